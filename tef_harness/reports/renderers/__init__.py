"""Renderers: a ConformityReport in, text out (JSON, the console summary)."""
