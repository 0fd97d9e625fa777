"""Edit the arrays inside a skops archive without loading the model, to build crafted files.

skops stores every numpy array as its own ``.npy`` member and refers to it from
``schema.json``; a tree's node array is the structured array with a ``left_child`` field
(``sklearn.tree._tree.NODE_DTYPE``) and a histogram tree's is the one with ``is_leaf``
(``PREDICTOR_RECORD_DTYPE``). These helpers rewrite one record field of one such array, or a
JSON scalar in the schema, and write a new archive; the corrupted model is never unpickled
or loaded here.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

#: a field that marks each kind of node array
TREE_NODES = "left_child"
HIST_NODES = "is_leaf"


def node_arrays(path: Path, kind: str) -> list[str]:
    """Names of the archive's ``.npy`` members whose record dtype has field ``kind``, sorted."""
    with zipfile.ZipFile(path) as archive:
        names = []
        for name in sorted(n for n in archive.namelist() if n.endswith(".npy")):
            array = np.load(io.BytesIO(archive.read(name)), allow_pickle=False)
            if array.dtype.names and kind in array.dtype.names:
                names.append(name)
    return names


def _rewrite(src: Path, dst: Path, edit: Callable[[str, bytes], bytes]) -> None:
    with zipfile.ZipFile(src) as archive, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for info in archive.infolist():
            out.writestr(info.filename, edit(info.filename, archive.read(info.filename)))


def set_node_field(src: Path, dst: Path, kind: str, field: str, node: int, value: Any, which: int = 0) -> None:
    """Copy ``src`` to ``dst`` with ``nodes[node][field] = value`` in the ``which``-th node
    array of ``kind`` (wrapping as the field's dtype does, as a crafted file would)."""
    target = node_arrays(src, kind)[which]

    def edit(name: str, data: bytes) -> bytes:
        if name != target:
            return data
        array = np.load(io.BytesIO(data), allow_pickle=False).copy()
        array[field][node] = np.array(value).astype(array.dtype[field], casting="unsafe")
        buffer = io.BytesIO()
        np.save(buffer, array, allow_pickle=False)
        return buffer.getvalue()

    _rewrite(src, dst, edit)


def set_schema_scalar(src: Path, dst: Path, key: str, value: int, which: int = 0) -> None:
    """Copy ``src`` to ``dst`` with the ``which``-th JSON scalar stored under dict key ``key``
    in ``schema.json`` (e.g. a Tree's ``node_count``) set to ``value``."""
    seen = [0]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            content = node.get("content")
            if isinstance(content, dict) and key in content and isinstance(content[key], dict):
                if seen[0] == which:
                    content[key]["content"] = str(value)
                    # skops reuses an object already loaded under the same __id__ (small
                    # ints share one), so the edited scalar gets an id of its own
                    content[key]["__id__"] = 1
                seen[0] += 1
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    def edit(name: str, data: bytes) -> bytes:
        if name != "schema.json":
            return data
        schema = json.loads(data)
        walk(schema)
        return json.dumps(schema).encode()

    _rewrite(src, dst, edit)
