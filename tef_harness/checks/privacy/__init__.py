"""Privacy checks: PII in data, documentation and generated text (presidio, offline, with
EU national identifiers), membership inference, and canary exposure.

presidio must run offline; the engine applies those settings at process start
(``tef_harness.engine.offline``), so importing this package changes nothing.
"""
