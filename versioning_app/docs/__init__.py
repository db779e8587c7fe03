"""The docs wing: per-version OpenAPI documents, the docs pages, the changelog and the
minor-release compatibility guard, all built on drf-spectacular."""
