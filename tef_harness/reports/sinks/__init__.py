"""Sinks: where rendered reports go (files; an MLflow run, from the written report folder)."""
