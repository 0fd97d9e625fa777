"""FrozenDict and FrozenJson: the immutable containers every report holds."""

from __future__ import annotations

import copy
import json
import pickle
from typing import Any

import numpy as np
import pytest
from pydantic import BaseModel, ConfigDict, Field, JsonValue, TypeAdapter, ValidationError

from tef_harness.sdk.frozen import FrozenDict, FrozenJson, freeze, thaw


class Holder(BaseModel):
    model_config = ConfigDict(frozen=True)

    data: FrozenDict[str, FrozenJson] = Field(default_factory=FrozenDict)
    counts: FrozenDict[str, int] = Field(default_factory=FrozenDict)


NESTED = {"a": [1, 2.5, {"b": [True, None, "x"]}], "c": {}, "d": "é"}


def test_validation_freezes_all_the_way_down() -> None:
    h = Holder(data=NESTED, counts={"n": 3})
    assert isinstance(h.data, FrozenDict) and isinstance(h.data["a"], tuple)
    assert isinstance(h.data["a"][2], FrozenDict) and h.data["a"][2]["b"] == (True, None, "x")
    assert h.data == freeze(NESTED) and thaw(h.data) == NESTED


def test_json_is_what_the_plain_dict_gives() -> None:
    """The serialised bytes equal those of the same model typed with dict/JsonValue."""

    class Plain(BaseModel):
        data: dict[str, JsonValue]
        counts: dict[str, int]

    frozen = Holder(data=NESTED, counts={"n": 3, "m": 1})
    plain = Plain(data=NESTED, counts={"n": 3, "m": 1})
    assert frozen.model_dump_json() == plain.model_dump_json()
    assert frozen.model_dump_json(indent=2) == plain.model_dump_json(indent=2)
    assert frozen.model_dump() == plain.model_dump()  # python mode: plain dicts and lists again
    assert Holder.model_validate_json(frozen.model_dump_json()) == frozen


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.__setitem__("a", 1),
        lambda d: d.__delitem__("a"),
        lambda d: d.update(x=1),
        lambda d: d.pop("a"),
        lambda d: d.clear(),
        lambda d: setattr(d, "_data", {}),
        lambda d: setattr(d, "anything", 1),
        lambda d: d["a"].append(1),
    ],
    ids=["setitem", "delitem", "update", "pop", "clear", "set-data", "set-attr", "nested-append"],
)
def test_no_mutation(mutate: Any) -> None:
    d = Holder(data=NESTED).data
    with pytest.raises((TypeError, AttributeError)):
        mutate(d)
    assert thaw(d) == NESTED


def test_equality_hash_pickle_copy() -> None:
    d = freeze(NESTED)
    # a mapping equals any mapping with the same items; arrays are tuples (a tuple is not a list)
    assert FrozenDict(a=1) == {"a": 1} and FrozenDict(a=1) == {"a": 1} and d != NESTED and thaw(d) == NESTED
    assert d == freeze(NESTED) and d == d | {}
    assert FrozenDict(a=1, b=2) == FrozenDict(b=2, a=1) and hash(FrozenDict(a=1, b=2)) == hash(FrozenDict(b=2, a=1))
    assert len({freeze({"x": [1]}), freeze({"x": [1]})}) == 1
    with pytest.raises(TypeError):
        hash(FrozenDict(a=[1]))  # an unhashable value makes it unhashable, as a tuple would be
    back = pickle.loads(pickle.dumps(d))
    assert back == d and isinstance(back, FrozenDict) and list(back) == list(d)
    assert copy.copy(d) is d and copy.deepcopy(d) is d
    assert (d | {"z": 1})["z"] == 1 and "z" not in d
    assert repr(FrozenDict(a=1)) == "FrozenDict({'a': 1})"


def test_validates_as_json_value_does() -> None:
    """Values pydantic's JsonValue refuses (a numpy integer) are refused; frozen input is taken."""
    ta: TypeAdapter[Any] = TypeAdapter(FrozenDict[str, FrozenJson])
    with pytest.raises(ValidationError):
        ta.validate_python({"x": np.int64(1)})
    assert ta.validate_python({"x": freeze({"y": [1]})}) == {"x": {"y": (1,)}}
    assert ta.validate_python({"x": np.float64(0.5)})["x"] == 0.5
    with pytest.raises(ValidationError):
        Holder(counts={"n": "many"})


def test_json_schema_is_a_plain_object() -> None:
    schema = Holder.model_json_schema(mode="serialization")
    counts = schema["properties"]["counts"]
    assert counts == {"additionalProperties": {"type": "integer"}, "title": "Counts", "type": "object"}
    assert schema["properties"]["data"]["type"] == "object"
    json.dumps(schema)
