"""The library: books and authors, served in every declared API version."""
