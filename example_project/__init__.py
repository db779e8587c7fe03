"""A small library API that exercises every capability of versioning_app."""
