"""Dimensions and derived metric names: the segment encoding is one-to-one and inside
MLflow's alphabet, a derived name fits, duplicates raise where the output is built, and old
JSON (``higher_is_better``, names without dimensions) still reads."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tef_harness.api import CheckOutput, Dimensions, Metric, metric_name
from tef_harness.sdk.dimensions import decode_segment, encode_segment
from tef_harness.sdk.masking import redact

SEGMENT = re.compile(r"^[\w.\- ]+$")
MLFLOW_NAME = re.compile(r"^[\w.\-/ ]{1,250}$")
# text rich in the characters the encoding is about: '_', 'x', hex digits, '/', '+', spaces
tricky = st.text(alphabet=st.sampled_from([*"_x_X0aF9+-/. |é€", "\U0001f600"]), max_size=12)
values = st.one_of(tricky, st.text(max_size=12))


@given(values)
def test_a_segment_decodes_to_its_value_and_stays_in_the_alphabet(value: str) -> None:
    seg = encode_segment(value)
    assert SEGMENT.fullmatch(seg), seg
    assert decode_segment(seg) == (value,)
    assert decode_segment(encode_segment(value, escape_spaces=True)) == (value,)


@given(st.lists(values, min_size=1, max_size=4).map(tuple))
def test_a_tuple_segment_decodes_to_its_parts(parts: tuple[str, ...]) -> None:
    assert decode_segment(encode_segment(parts)) == parts


@given(st.lists(tricky, min_size=1, max_size=3).map(tuple), st.lists(tricky, min_size=1, max_size=3).map(tuple))
def test_different_groups_derive_different_names(a: tuple[str, ...], b: tuple[str, ...]) -> None:
    # only the encoding is tested here: values the masking door would change are left out
    assume(all(redact(v) == v for v in (*a, *b)))
    da = Dimensions(criterion="share", sensitive_set=("age_group",), group=a)
    db = Dimensions(criterion="share", sensitive_set=("age_group",), group=b)
    assert (da.name() == db.name()) == (a == b)
    assert MLFLOW_NAME.fullmatch(da.name())


@pytest.mark.parametrize(
    ("value", "segment"),
    [
        ("61+", "61_x2B"),
        ("61-", "61-"),
        ("61_", "61_"),
        ("age_group", "age_group"),
        ("EMAIL_ADDRESS", "EMAIL_ADDRESS"),
        ("a/b", "a_x2Fb"),
        ("F|40+", "F_x7C40_x2B"),
        ("a_x2B", "a_x5Fx2B"),  # a literal that looks like an escape is itself escaped
        ("", "_xFF"),
    ],
)
def test_known_encodings(value: str, segment: str) -> None:
    assert encode_segment(value) == segment


def test_swaps_and_intersections_read_like_before_where_they_were_unambiguous() -> None:
    d = Dimensions(criterion="flip_rate", sensitive_set=("age_group",), swap=("18-25", "61+"))
    assert d.name() == "flip_rate/age_group/18-25 to 61_x2B"
    spaced = Dimensions(criterion="flip_rate", sensitive_set=("s",), swap=("a to b", "c"))
    other = Dimensions(criterion="flip_rate", sensitive_set=("s",), swap=("a", "b to c"))
    assert spaced.name() != other.name()
    inter = Dimensions(criterion="share", sensitive_set=("sex", "age_group"), group=("female", "61+"))
    assert inter.name() == "share/sex_x_age_group/female_x_61_x2B"


def test_a_long_name_is_cut_with_a_digest_and_stays_distinct() -> None:
    a = Dimensions(criterion="share", group=("x" * 300 + "a",)).name()
    b = Dimensions(criterion="share", group=("x" * 300 + "b",)).name()
    assert len(a) <= 250 and len(b) <= 250 and a != b and MLFLOW_NAME.fullmatch(a)
    assert len(metric_name("p" * 400)) <= 250


def test_dimension_values_pass_the_masking_door() -> None:
    m = Metric(dims=Dimensions(criterion="share", group=("jane.doe@example.org",)), value=0.5)
    assert "jane" not in m.name and "example" not in m.name
    assert m.dims is not None and "jane" not in m.dims.group[0]
    assert "jane" not in m.model_dump_json()


def test_two_metrics_with_one_derived_name_raise_naming_both() -> None:
    # two different e-mails mask to the same text: the names meet, and the error says so
    a = Metric(dims=Dimensions(criterion="share", group=("anna@example.org",)), value=0.1)
    b = Metric(dims=Dimensions(criterion="share", group=("bert@example.org",)), value=0.2)
    assert a.name == b.name
    with pytest.raises(ValueError, match="two metrics derive the same name") as err:
        CheckOutput(metrics=(a, b))
    assert str(err.value).count("criterion='share'") == 2
    assert "anna" not in str(err.value) and "bert" not in str(err.value)
    with pytest.raises(ValueError, match="derive the same name 'accuracy'"):
        CheckOutput(
            metrics=(Metric(name="accuracy", value=0.1), Metric(dims=Dimensions(criterion="accuracy"), value=0.2))
        )


def test_a_given_name_must_be_the_derived_one() -> None:
    with pytest.raises(ValueError, match="is not the name its dimensions derive"):
        Metric(name="share/age_group/61_", dims=Dimensions(criterion="share", group=("61+",)), value=0.1)


def test_round_trip_and_old_json() -> None:
    m = Metric(
        dims=Dimensions(criterion="accuracy", family="gaussian_noise", severity=3),
        value=0.8,
        greater_is_better=True,
        unit="rate",
    )
    again = Metric.model_validate_json(m.model_dump_json())
    assert again == m and again.name == "accuracy/gaussian_noise/3"
    old = Metric.model_validate({"name": "dp_difference/sex", "value": 0.1, "higher_is_better": False})
    assert old.greater_is_better is False and old.dims is None and old.key.criterion == "dp_difference/sex"
    plain = Metric.model_validate({"name": "roc_auc", "value": 0.7})
    assert plain.dims == Dimensions(criterion="roc_auc")


def test_a_criterion_is_a_plain_identifier() -> None:
    with pytest.raises(ValueError, match="criterion"):
        Dimensions(criterion="a/b")


@given(st.lists(st.lists(values, min_size=1, max_size=3).map(tuple), min_size=1, max_size=4).map(tuple))
def test_a_name_decodes_to_the_parts_of_each_segment(segments: tuple[tuple[str, ...], ...]) -> None:
    from tef_harness.sdk.dimensions import decode_name

    assert decode_name("/".join(encode_segment(parts) for parts in segments)) == segments


# values without the two display separators, for which display is exactly the parts joined
plain = st.text(alphabet=st.characters(blacklist_characters="/|", blacklist_categories=("Cs",)), max_size=10)


@given(st.lists(st.lists(plain, min_size=1, max_size=3).map(tuple), min_size=1, max_size=4).map(tuple))
def test_display_name_shows_the_values_as_written(segments: tuple[tuple[str, ...], ...]) -> None:
    from tef_harness.sdk.dimensions import display_name

    name = "/".join(encode_segment(parts) for parts in segments)
    assert display_name(name) == "/".join("|".join(parts) for parts in segments)


@given(st.lists(st.sampled_from(["61+", "≥65", "18-25", "a_x2B", "東京・大阪", "F|40+", ""]), min_size=1, max_size=3))
def test_display_text_decodes_only_the_names_it_is_given(groups: list[str]) -> None:
    from tef_harness.sdk.dimensions import display_text

    names = [Dimensions(criterion="share", sensitive_set=("age_group",), group=(g,)).name() for g in groups]
    text = "; ".join(f"{n} = 0.5, needs >= 0.8" for n in names)
    shown = "; ".join(f"share/age_group/{g} = 0.5, needs >= 0.8" for g in groups)
    assert display_text(text, names) == shown
    assert display_text(text, []) == text  # nothing given, nothing touched
    # a longer name that merely starts with a given one is not a match
    assert display_text(f"{names[0]}0 and {names[0]}/x", names[:1]) == f"{names[0]}0 and {names[0]}/x"


def test_display_name_of_known_keys() -> None:
    from tef_harness.sdk.dimensions import display_name

    assert display_name("share_ratio/age_group/61_x2B") == "share_ratio/age_group/61+"
    assert display_name("dp_ratio/sex_x_age_group/female_x_61_x2B") == "dp_ratio/sex|age_group/female|61+"
    assert display_name("share/region/_xE6_x9D_xB1") == "share/region/東"
    assert display_name("share/region/_xE6_x9D") == "share/region/_xE6_x9D"  # cut inside a character
