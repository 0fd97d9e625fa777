"""Immutable containers for everything a report holds: ``FrozenDict`` and ``FrozenJson``.

A ``ConformityReport`` is read by several consumers (renderers, the MLflow sink, a later
check through ``ctx.results``, a batch runner in another process). If any of them could
change a nested dict, the next one would read something the engine never judged. So every
mapping reachable from a report is a ``FrozenDict`` and every sequence a tuple, all the way
down: pydantic freezes on validation (dict -> FrozenDict, list -> tuple) and serialises back
to plain JSON objects and arrays, so the JSON bytes are those a plain dict would give.

``FrozenDict`` keeps insertion order (JSON output is byte-stable), compares equal to any
mapping with the same items, is hashable when its values are, and pickles by value.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Annotated, Any, TypeVar, get_args

from pydantic import GetCoreSchemaHandler, JsonValue
from pydantic_core import core_schema
from typing_extensions import TypeAliasType

K = TypeVar("K")
V = TypeVar("V")


class FrozenDict(Mapping[K, V]):
    """A read-only mapping: ``fd[key]``, ``len``, iteration and ``|`` (a new FrozenDict) work,
    item assignment and deletion raise ``TypeError``. Values are stored as given; use
    ``freeze`` (or a pydantic field typed ``FrozenDict``/``FrozenJson``) to freeze nested ones."""

    __slots__ = ("_data", "_hash")
    _data: dict[K, V]
    _hash: int | None

    def __init__(self, data: Mapping[K, V] | Any = (), /, **kwargs: V) -> None:
        object.__setattr__(self, "_data", dict(data, **kwargs))
        object.__setattr__(self, "_hash", None)

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"FrozenDict({self._data!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenDict):
            return bool(self._data == other._data)
        if isinstance(other, Mapping):
            return bool(self._data == dict(other.items()))
        return NotImplemented

    def __hash__(self) -> int:
        h = self._hash
        if h is None:
            # order-independent, as equality is; raises TypeError for an unhashable value
            h = hash(frozenset(self._data.items()))
            object.__setattr__(self, "_hash", h)
        return h

    def __or__(self, other: Mapping[K, V]) -> FrozenDict[K, V]:
        return FrozenDict({**self._data, **other})

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"FrozenDict is immutable (cannot set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"FrozenDict is immutable (cannot delete {name!r})")

    def __reduce__(self) -> tuple[type[FrozenDict[K, V]], tuple[dict[K, V]]]:
        return (FrozenDict, (dict(self._data),))

    def __copy__(self) -> FrozenDict[K, V]:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> FrozenDict[K, V]:
        return self  # immutable all the way down when built by freeze or pydantic

    def thaw(self) -> dict[K, Any]:
        """A plain, mutable deep copy (nested FrozenDicts -> dicts, tuples -> lists)."""
        out: dict[K, Any] = thaw(self)
        return out

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        """Validate as ``dict[K, V]`` (so nested types validate, and freeze, as declared),
        then wrap; serialise as a plain dict."""
        args = get_args(source)
        key, value = args if len(args) == 2 else (Any, Any)
        inner = handler.generate_schema(dict[key, value])  # type: ignore[valid-type]
        return core_schema.no_info_after_validator_function(
            FrozenDict,
            inner,
            serialization=core_schema.plain_serializer_function_ser_schema(thaw, when_used="always"),
        )


def freeze(value: Any) -> Any:
    """``value`` with every mapping made a FrozenDict and every list, tuple or set a tuple,
    recursively (a set's order is sorted by ``repr`` so the result is deterministic)."""
    if isinstance(value, FrozenDict):
        return FrozenDict({k: freeze(v) for k, v in value.items()})
    if isinstance(value, Mapping):
        return FrozenDict({k: freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    if isinstance(value, set | frozenset):
        return tuple(freeze(v) for v in sorted(value, key=repr))
    return value


def thaw(value: Any) -> Any:
    """The inverse of ``freeze`` for JSON output: mappings -> dicts, tuples and lists -> lists."""
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [thaw(v) for v in value]
    return value


class _FrozenJsonSchema:
    """Validates exactly as pydantic's ``JsonValue`` does (numpy scalars are refused, as a
    non-JSON value should be where the check built it), after thawing frozen input (a detail
    taken from an earlier result), then freezes the validated value."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(
            thaw,
            core_schema.no_info_after_validator_function(freeze, handler.generate_schema(JsonValue)),
            serialization=core_schema.plain_serializer_function_ser_schema(thaw, when_used="always"),
        )


#: A JSON value, frozen: objects are FrozenDicts, arrays are tuples. As a pydantic field type
#: it accepts what ``JsonValue`` accepts (and frozen values) and freezes it.
FrozenJson = TypeAliasType(
    "FrozenJson",
    Annotated[
        "FrozenDict[str, FrozenJson] | tuple[FrozenJson, ...] | str | bool | int | float | None",
        _FrozenJsonSchema,
    ],
)

__all__ = ["FrozenDict", "FrozenJson", "freeze", "thaw"]
