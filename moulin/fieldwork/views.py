"""Pages of field work."""
