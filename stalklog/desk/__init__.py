"""stalklog.desk."""
