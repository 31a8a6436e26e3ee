"""Ingest: sources → fetch → parse → understand → enrich → stored entries."""
