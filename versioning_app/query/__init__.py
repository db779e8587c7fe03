"""Versioned query parameters: each version's filter, ordering, search and paging names, to head."""
