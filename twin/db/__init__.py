"""Database access: the embedded PostGIS cluster, engines and migrations."""
