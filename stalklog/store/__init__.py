"""stalklog.store."""
