"""The report stage: the ConformityReport schema, renderers that turn it into text
(``renderers/``) and sinks that put that text somewhere (``sinks/``)."""
