"""Alembic migrations of the catalog store's schema (run by ``catalog.store.Store``)."""
