"""A synthetic project for the schema-scale benchmark: N resources, 3 versions, a few changes."""
