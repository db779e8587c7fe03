"""The usage wing: who called which version and endpoint, counted in process on the request
path, buffered in the cache, flushed to daily rows, and summed up for people."""
