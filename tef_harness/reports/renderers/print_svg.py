"""A plot's SVG made cheaper for WeasyPrint to paint, with the same picture.

matplotlib wraps every artist in an ``<g id="...">`` of its own (about 120 groups per plot)
and writes each element's paint as a ``style="..."`` attribute. WeasyPrint pushes and pops
a graphics state for every group and parses every ``style`` attribute with its CSS
tokenizer, so the 15 plots of the demo's PDF (about 5,300 SVG nodes) cost about 0.9 s of
its painting. Here, for the printed report only:

1. a ``<g>`` whose only attribute is its ``id`` is replaced by its children (nothing refers
   to those ids: ``<use>`` and ``clip-path`` refer to ``<defs>`` entries, never to a group;
   a group with a transform, a clip or a style is kept);
2. ``style`` declarations become presentation attributes (``fill="#fff"``), which
   WeasyPrint reads without parsing, except ``font*`` (the shorthand has no attribute form)
   and the line cap and join, which the plot's own ``<style>`` rule would otherwise override
   (a CSS rule beats a presentation attribute, never a ``style`` attribute);
3. a label's font family is its first choice only (matplotlib lists ten fallbacks).

The input is matplotlib's own output (labels XML-escaped by its writer), parsed with the
standard library and written back with the same escaping.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

_SVG = "http://www.w3.org/2000/svg"
_XLINK = "http://www.w3.org/1999/xlink"
_GROUP = f"{{{_SVG}}}g"
#: declarations that stay in ``style`` (see the module's docstring)
_KEEP_IN_STYLE = ("font", "stroke-linecap", "stroke-linejoin")


def flatten_for_print(svg: str) -> str:
    """The same plot with id-only groups unwrapped and paint moved to attributes (str -> str).

    Raises ``xml.etree.ElementTree.ParseError`` on text that is not well-formed XML (never
    the case for ``plots.render_svg``'s output)."""
    ET.register_namespace("", _SVG)
    ET.register_namespace("xlink", _XLINK)
    root = ET.fromstring(svg)
    _flatten(root, is_root=True)
    return ET.tostring(root, encoding="unicode")


def _flatten(element: ET.Element, *, is_root: bool = False) -> None:
    children: list[ET.Element] = []
    for child in list(element):
        _flatten(child)
        if child.tag == _GROUP and set(child.attrib) <= {"id"}:
            children.extend(child)
        else:
            children.append(child)
    element[:] = children
    style = element.get("style")
    if style is None or is_root:  # the root's style is its CSS size, used by the page
        return
    kept = []
    for declaration in style.split(";"):
        name, colon, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if not colon or not name:
            continue
        if name == "font-family":
            # the first family only (matplotlib's is DejaVu Sans, the one the PDF prints with):
            # Pango looked up all ten fallbacks for each of the ~260 labels
            kept.append(f"font-family: {value.split(',')[0].strip()}")
        elif name.startswith(_KEEP_IN_STYLE):
            kept.append(f"{name}: {value}")
        else:
            element.set(name, value)
    if kept:
        element.set("style", "; ".join(kept))
    else:
        del element.attrib["style"]
