"""The jinja2 environment of the report templates: autoescaping always on (whatever the
template's name), undefined variables are errors, templates ship inside the package."""

from __future__ import annotations

import functools

import jinja2


@functools.cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("tef_harness.reports.renderers", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
