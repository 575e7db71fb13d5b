"""The back office's own tables, one module per part (people, offerings, reports)."""
