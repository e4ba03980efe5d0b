"""stalklog.interchange."""
