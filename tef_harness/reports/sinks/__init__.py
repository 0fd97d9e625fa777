"""Sinks: where rendered reports go (files)."""
