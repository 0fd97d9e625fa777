"""The claims a model card makes that the harness can re-measure.

* metric values: the Hugging Face ``model-index``; Markdown tables, with or without outer
  pipes, either long (``| Metric | Value |`` or ``| Name | Value |``, optionally with a group
  column) or wide (``| Group | Accuracy | ROC AUC |``); and the text: prose ("reaches an
  accuracy of 0.93"), bullets (``- Accuracy: 0.93``, as a training framework writes them) and
  bold labels (``**Accuracy:** 0.93``). A training log (a table with epoch, step, training or
  validation loss columns) is training history, never a claim about the released model;
* evaluated groups: front-matter lists (``sensitive_features``, ``evaluated_groups``) and the
  ``feature=value`` groups of metric claims;
* the decision threshold: front matter ``decision_threshold`` or "threshold ... 0.35" in text;
* library versions: front matter (``libraries``/``software``/``dependencies``) or
  "scikit-learn 1.5.2" in text;
* the intended population: front matter ``population: {sex: {F: 0.5}}`` or a table with a
  share/proportion column next to a group column.

Each claim carries where it was read (file and line), the text it was read from, and the
rounding implied by how it was written (0.87 stands for anything in [0.865, 0.875]), so a
rounded claim is not called wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from tef_harness.checks.documentation.parsing import ParsedDocument
from tef_harness.sdk.alternation import longest_first

_METRIC_ALIASES = {
    "accuracy": "accuracy",
    "acc": "accuracy",
    "overall accuracy": "accuracy",
    "balanced accuracy": "balanced_accuracy",
    "bal acc": "balanced_accuracy",
    "f1": "f1",
    "f1 score": "f1",
    "f 1": "f1",
    "f1score": "f1",
    "f measure": "f1",
    "roc auc": "roc_auc",
    "auc": "roc_auc",
    "auroc": "roc_auc",
    "roc": "roc_auc",
    "roc auc score": "roc_auc",
    "area under the roc curve": "roc_auc",
    "auc roc": "roc_auc",
    "gini": "gini",
    "log loss": "log_loss",
    "logloss": "log_loss",
    "cross entropy": "log_loss",
    "logistic loss": "log_loss",
    "brier": "brier",
    "brier score": "brier",
    "ece": "ece",
    "expected calibration error": "ece",
    "mae": "mae",
    "mean absolute error": "mae",
    "rmse": "rmse",
    "root mean squared error": "rmse",
    "r2": "r2",
    "r²": "r2",
    "r squared": "r2",
    "precision": "precision",
    "recall": "recall",
    "sensitivity": "recall",
    "true positive rate": "recall",
    "tpr": "recall",
    "specificity": "specificity",
    # the same measures named in the other languages of the Union the checks read
    "genauigkeit": "accuracy",
    "treffergenauigkeit": "accuracy",
    "exactitude": "accuracy",
    "accuratezza": "accuracy",
    "exactitud": "accuracy",
    "nauwkeurigheid": "accuracy",
    "dokładność": "accuracy",
    "trafność": "accuracy",
    "sensitivität": "recall",
    "sensibilité": "recall",
    "sensibilità": "recall",
    "sensibilidad": "recall",
    "spezifität": "specificity",
    "spécificité": "specificity",
    "specificità": "specificity",
    "especificidad": "specificity",
}
#: metrics on [0, 1] that cards often write as percentages
_UNIT_INTERVAL = {"accuracy", "balanced_accuracy", "f1", "roc_auc", "ece", "precision", "recall", "specificity"}
_OVERALL = {"", "overall", "all", "total", "whole", "entire", "global", "-", "—", "population", "all rows"}
_GROUP_COLS = ("group", "subgroup", "segment", "slice", "cohort", "category", "split", "dataset")
_FEATURE_COLS = ("feature", "attribute", "factor", "sensitive", "characteristic", "dimension")
_VALUE_COLS = (
    "value", "score", "result", "estimate", "measured", "declared", "point",
    # value and result columns in de, fr, it, es, nl, pl
    "wert", "ergebnis", "valeur", "résultat", "valore", "risultato", "valor", "resultado", "waarde", "resultaat",
    "wartość", "wynik",
)
#: the column naming the metric of each row ("Metric | Value"), in the supported languages
_METRIC_COLS = ("metric", "measure", "metrik", "kennzahl", "métrique", "mesure", "metrica", "misura", "métrica",
                "medida", "metriek", "maat", "metryka", "miara")
_SHARE_COLS = ("share", "proportion", "percent", "percentage", "%", "fraction")
_TRAIN_ROW = re.compile(r"^\W*(train|training)( set| data| split)?\W*$", re.I)
_SPLIT_ROW = re.compile(
    r"^\W*(test|testing|validation|valid|holdout|hold-out|eval|evaluation|out-of-time|oot)"
    r"( set| data| split)?\W*$",
    re.I,
)
#: a number as cards write it: "0.93", ".93", "93 %", and with a decimal comma "0,93" (German,
#: French, ... cards); "12,584" (a thousands separator) is read by :func:`_decimal`
_NUMBER = re.compile(r"(?<![\w.,])([-+]?(?:\d+[.,]\d+|\.\d+|\d+))\s*(%?)")
_THOUSANDS = re.compile(r"^[-+]?[1-9]\d{0,2}(?:,\d{3})+$")


def _decimal(number: str) -> str:
    """A written number in Python's form: "0,93" -> "0.93"; "12,584" -> "12584" (a comma before
    exactly three digits after a non-zero lead is a thousands separator)."""
    if "," not in number:
        return number
    return number.replace(",", "") if _THOUSANDS.match(number) else number.replace(",", ".")
_KEYED_GROUP = re.compile(r"^\s*([A-Za-z_][\w ]*?)\s*(?:=|:|==)\s*(.+?)\s*$")
_IN_NAME_GROUP = re.compile(r"^(.*?)\s*[(\[]\s*([A-Za-z_]\w*)\s*[=:]\s*([^)\]]+?)\s*[)\]]\s*$")
_LIBS = (
    "scikit-learn|sklearn|numpy|pandas|scipy|xgboost|lightgbm|catboost|torch|pytorch|tensorflow|keras|"
    "onnxruntime|onnx|skops|python|joblib|fairlearn|transformers|statsmodels|mlflow"
)
_LIB_VERSION = re.compile(
    rf"(?<![\w-])({_LIBS})(?![\w-])[\s|:=,]*(?:version\s*|v(?=\d))?(\d+\.\d+(?:\.\d+)?(?:[a-z]+\d*)?)", re.I
)
_THRESHOLD = re.compile(
    r"\b(?:decision\s+|classification\s+|operating\s+|approval\s+)?(?:threshold|cut-?off)\b[^\d.]{0,50}?"
    r"(?<![\w.])(0?\.\d+|1\.0+)(?!\d|\.\d)",
    re.I,
)


@dataclass(frozen=True)
class MetricClaim:
    metric: str  # canonical name when known, else the normalised raw name
    label: str  # as written
    value: float
    #: half the last written digit's unit, on the metric's scale
    half_unit: float
    feature: str | None
    group: str | None
    source: str
    dataset: str | None = None
    #: the words the claim was read from ("Accuracy: 0.8603", "| accuracy | 0.93 |")
    evidence: str | None = None
    #: where else the card states the same claim (model-index and a results table): one claim
    #: with several evidence locations, so one number is compared, and reported, once
    also_at: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShareClaim:
    feature: str | None
    group: str
    share: float
    half_unit: float
    source: str


@dataclass(frozen=True)
class CardClaims:
    metrics: tuple[MetricClaim, ...]
    groups: tuple[tuple[str, str], ...]  # (feature, where declared)
    threshold: tuple[float, str] | None
    versions: tuple[tuple[str, str, str], ...]  # (library, version, where)
    population: tuple[ShareClaim, ...]


def canonical_metric(name: str) -> str:
    key = re.sub(r"[\s_\-/]+", " ", name.strip().lower()).strip(" .:")
    key = re.sub(r"\s*\(.*\)$", "", key) if key not in _METRIC_ALIASES else key
    return _METRIC_ALIASES.get(key, key.replace(" ", "_"))


def _scaled(metric: str, raw: str | float, percent: bool = False) -> tuple[float, float] | None:
    """(value, half unit) on the metric's natural scale; None when not a number."""
    text = raw if isinstance(raw, str) else repr(float(raw)) if isinstance(raw, float) else str(raw)
    m = _NUMBER.search(text)
    if m is None:
        return None
    number = _decimal(m.group(1))
    percent = percent or m.group(2) == "%"
    value = float(number)
    decimals = len(number.split(".")[1]) if "." in number else 0
    if isinstance(raw, float) and decimals > 6:
        decimals = 6
    half = 0.5 * 10.0**-decimals
    if percent or (metric in _UNIT_INTERVAL and 1.0 < value <= 100.0):
        value, half = value / 100.0, half / 100.0
    return value, half


def _split_group(text: str, feature: str | None) -> tuple[str | None, str | None]:
    """(feature, group) from a cell like 'sex=F', 'sex: F', 'F' or 'Overall'."""
    cell = re.sub(r"[*_`]", "", text).strip()
    if cell.lower() in _OVERALL:
        return None, None
    keyed = _KEYED_GROUP.match(cell)
    if keyed and not feature:
        return keyed.group(1).strip().replace(" ", "_"), keyed.group(2).strip()
    return (feature or None), cell


def extract_claims(card: ParsedDocument) -> CardClaims:
    metrics: list[MetricClaim] = []
    population: list[ShareClaim] = []
    metrics += _model_index(card)
    tables = _tables(card.body)
    for line, rows, row_lines in tables:
        if _is_training_log(rows[0]):
            continue  # epochs and losses of training: history, not claims about the model
        # each claim names its own row's line: a reader checking a claim goes to that row
        table = f"table at line {card.body_line + line}"
        sources = [f"{card.name}: line {card.body_line + r} ({table})" for r in row_lines]
        m, p = _table_claims(rows, sources)
        metrics += m
        population += p
    metrics += _text_claims(card, {i for line, rows, _ in tables for i in range(line, line + len(rows) + 1)})
    metrics = merge_repeated(metrics)
    population += _front_population(card)
    groups: dict[str, str] = {}
    for key in ("sensitive_features", "evaluated_groups", "protected_attributes", "evaluation_factors"):
        value = card.front_matter.get(key)
        for feat in value if isinstance(value, list) else [value] if isinstance(value, str) else []:
            groups.setdefault(str(feat), f"{card.name}: front matter '{key}'")
    for claim in metrics:
        if claim.feature:
            groups.setdefault(claim.feature, claim.source)
    return CardClaims(
        metrics=tuple(metrics),
        groups=tuple(groups.items()),
        threshold=_threshold(card),
        versions=tuple(_versions(card)),
        population=tuple(population),
    )


def _same_claim(a: MetricClaim, b: MetricClaim) -> bool:
    """The same metric of the same group and split, with values that agree to the rounding of
    the less precise one (0.84 and 0.8412; not 0.72 and 0.725, which sits on its edge): one
    statement written twice. A claim naming no split is taken to be about the one the other
    names (a results table beside model-index)."""
    return (
        a.metric == b.metric
        and (a.feature or "").lower() == (b.feature or "").lower()
        and (a.group or "").lower() == (b.group or "").lower()
        and (a.dataset is None or b.dataset is None or a.dataset.lower() == b.dataset.lower())
        and abs(a.value - b.value) < max(a.half_unit, b.half_unit) - 1e-12
    )


def merge_repeated(claims: list[MetricClaim]) -> list[MetricClaim]:
    """Claims in reading order with each repeated claim merged into its first occurrence: the
    more precisely written value is kept (the one the rounding rule then tests), the other
    place goes to ``also_at``. Different values, groups or splits stay separate claims."""
    out: list[MetricClaim] = []
    for claim in claims:
        i = next((i for i, kept in enumerate(out) if _same_claim(kept, claim)), None)
        if i is None:
            out.append(claim)
            continue
        kept = out[i]
        precise, other = (claim, kept) if claim.half_unit < kept.half_unit else (kept, claim)
        out[i] = replace(
            precise,
            dataset=precise.dataset or other.dataset,
            also_at=(*precise.also_at, other.source, *other.also_at),
        )
    return out


def _model_index(card: ParsedDocument) -> list[MetricClaim]:
    out: list[MetricClaim] = []
    index = card.front_matter.get("model-index")
    for m, model in enumerate(index if isinstance(index, list) else []):
        results = model.get("results") if isinstance(model, dict) else None
        for r, result in enumerate(results if isinstance(results, list) else []):
            if not isinstance(result, dict):
                continue
            dataset = result.get("dataset")
            ds = None
            if isinstance(dataset, dict):
                ds = " ".join(str(dataset[k]) for k in ("name", "split") if dataset.get(k)) or None
            entries = result.get("metrics")
            for k, entry in enumerate(entries if isinstance(entries, list) else []):
                if not isinstance(entry, dict) or "value" not in entry:
                    continue
                label = str(entry.get("name") or entry.get("type") or "")
                feature = group = None
                in_name = _IN_NAME_GROUP.match(label)
                if in_name:
                    label, feature, group = in_name.group(1), in_name.group(2), in_name.group(3)
                metric = canonical_metric(label if in_name else str(entry.get("type") or label))
                scaled = _scaled(metric, entry["value"])
                if scaled is None:
                    continue
                where = f"{card.name}: front matter model-index[{m}].results[{r}].metrics[{k}]"
                out.append(MetricClaim(metric, label, scaled[0], scaled[1], feature, group, where, ds))
    return out


_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{1,}:?\s*(?:\|\s*:?-{1,}:?\s*)*\|?\s*$")


def _tables(body: str) -> list[tuple[int, list[list[str]], list[int]]]:
    """Markdown tables as (0-based line of the header, rows of cells without the separator,
    0-based line of each data row). A table may omit its outer pipes (``Metric | Value`` over
    ``--- | ---``), as GitHub allows."""
    lines = body.splitlines()
    out: list[tuple[int, list[list[str]], list[int]]] = []
    i = 0
    while i < len(lines) - 1:
        head, sep = lines[i], lines[i + 1]
        if "|" in head and "|" in sep and "-" in sep and _TABLE_SEP.match(sep) and head.strip():
            rows = [_cells(head)]
            row_lines: list[int] = []
            j = i + 2
            while j < len(lines) and "|" in lines[j] and lines[j].strip():
                rows.append(_cells(lines[j]))
                row_lines.append(j)
                j += 1
            out.append((i, rows, row_lines))
            i = j
        else:
            i += 1
    return out


_TRAINING_LOG_COLS = ("epoch", "step", "training loss", "train loss", "validation loss", "val loss", "eval loss")


def _is_training_log(header: list[str]) -> bool:
    """A table of training history: it has an epoch or step column, or a training/validation
    loss column (the table a training framework writes under "Training results")."""
    low = [re.sub(r"[\s_]+", " ", c.lower()).strip() for c in header]
    return any(c in _TRAINING_LOG_COLS or c.startswith(("epoch", "step ")) for c in low)


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _col(header: list[str], names: tuple[str, ...]) -> int | None:
    for idx, cell in enumerate(header):
        low = cell.lower()
        if any(re.search(rf"(?<![a-z]){re.escape(n)}(?![a-z])", low) for n in names):
            return idx
    return None


def _table_claims(rows: list[list[str]], sources: list[str]) -> tuple[list[MetricClaim], list[ShareClaim]]:
    """Claims of one table; ``sources[k]`` is where data row ``k`` is (file and line)."""
    header, data = rows[0], rows[1:]
    metrics: list[MetricClaim] = []
    shares: list[ShareClaim] = []
    metric_col = _col(header, _METRIC_COLS)
    if metric_col is None and _col(header, _VALUE_COLS) is not None:
        # "| Name | Value |": a name column holds metric names when the rows say so
        name_col = _col(header, ("name", "indicator", "kpi"))
        names_known = set(_METRIC_ALIASES.values())
        if name_col is not None and any(
            len(r) > name_col and canonical_metric(r[name_col]) in names_known for r in data
        ):
            metric_col = name_col
    feature_col = _col(header, _FEATURE_COLS)
    group_col = _col(header, _GROUP_COLS)
    share_col = _col(header, _SHARE_COLS)
    names = set(_METRIC_ALIASES.values())
    known = {i: canonical_metric(c) for i, c in enumerate(header) if canonical_metric(c) in names}
    if metric_col is not None:
        value_col = _col([c if i != metric_col else "" for i, c in enumerate(header)], _VALUE_COLS)
        if value_col is None:
            return metrics, shares
        for row, where in zip(data, sources, strict=True):
            if len(row) <= max(metric_col, value_col):
                continue
            feat = row[feature_col] if feature_col is not None and feature_col < len(row) else None
            grp = row[group_col] if group_col is not None and group_col < len(row) else ""
            feature, group = _split_group(grp, feat or None)
            name = row[metric_col]
            if "," in name and group is None:  # "accuracy, sex_Female" (Model Card Toolkit's slices)
                name, _, slice_ = name.partition(",")
                keyed = _KEYED_GROUP.match(slice_)
                feature, group = (keyed.group(1), keyed.group(2)) if keyed else (feature, slice_.strip())
            metric = canonical_metric(name)
            scaled = _scaled(metric, row[value_col], "%" in header[value_col])
            if scaled:
                text = f"{row[metric_col]} | {row[value_col]}"
                metrics.append(MetricClaim(metric, row[metric_col], *scaled, feature, group, where, None, text))
        return metrics, shares
    if not known and share_col is None:
        return metrics, shares
    label_col = group_col if group_col is not None and group_col != share_col else 0
    for row, where in zip(data, sources, strict=True):
        if len(row) <= label_col:
            continue
        feat = row[feature_col] if feature_col is not None and feature_col < len(row) else None
        dataset = None
        if _TRAIN_ROW.match(row[label_col]):
            continue  # training-set figures are not claims about the model's performance
        if _SPLIT_ROW.match(row[label_col]):
            feature, group, dataset = None, None, row[label_col]
        else:
            feature, group = _split_group(row[label_col], feat or None)
        for idx, metric in known.items():
            if idx < len(row) and idx not in (label_col, feature_col):
                scaled = _scaled(metric, row[idx], "%" in header[idx])
                if scaled:
                    text = f"{row[label_col]} | {header[idx]} | {row[idx]}"
                    metrics.append(MetricClaim(metric, header[idx], *scaled, feature, group, where, dataset, text))
        if share_col is not None and share_col < len(row) and group is not None:
            scaled = _scaled("accuracy", row[share_col], "%" in header[share_col])  # shares live on [0, 1]
            if scaled:
                shares.append(ShareClaim(feature, group, scaled[0], scaled[1], where))
    return metrics, shares


_METRIC_NAMES = "|".join(
    re.escape(k).replace(r"\ ", r"[\s_-]+") for k in sorted(_METRIC_ALIASES, key=longest_first) if len(k) >= 2
)
#: "accuracy of 0.93", "Accuracy: 0.93", "F1 score = 0.88", "ROC AUC is 91%", "an accuracy of 91.3"
_TEXT_CLAIM = re.compile(
    rf"(?<![\w-])(?P<name>{_METRIC_NAMES})(?:[\s_-]+score)?(?![\w-])\s*(?:\((?!\s*[\d.])[^()\n]{{0,30}}\))?\s*"
    r"(?:[:=]|\bof\b|\bis\b|\bwas\b|\bequals\b|\breaches\b|\bat\b"
    # "beträgt", "liegt bei", "est de", "atteint", "è (pari a)", "es de", "alcanza", "bedraagt", "wynosi"
    r"|\bbeträgt\b|\bliegt bei\b|\bvon\b|\best de\b|\best\b|\batteint\b|\bè(?: pari a)?(?!\w)|\bdi\b"
    r"|\bes de\b|\bes\b|\bde\b|\balcanza\b|\bbedraagt\b|\bvan\b|\bwynosi\b|\bosiąga\b)?\s*"
    r"(?:about|approximately|around|roughly|etwa|environ|circa|aproximadamente|ongeveer|około|~|≈)?\s*\(?\s*"
    r"(?P<number>[-+]?(?:\d+[.,]\d+|\.\d+|\d+))(?P<percent>\s*%)?(?![\w.]*\d)",
    re.I,
)
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
#: a figure given for comparison is about another model ("for comparison, BERT reaches 92.7")
_COMPARISON = re.compile(r"\b(?:for comparison|compared (?:to|with)|baseline|versus|vs\.?|previous version)\b", re.I)


def _text_claims(card: ParsedDocument, table_lines: set[int]) -> list[MetricClaim]:
    """Metric values written in prose, bullets and bold labels, outside tables and code."""
    out: list[MetricClaim] = []
    fence = False
    for i, raw in enumerate(card.body.splitlines()):
        if _FENCE.match(raw):
            fence = not fence
            continue
        if fence or i in table_lines or not re.search(r"\d", raw):
            continue
        line = re.sub(r"[*_`]+", "", raw)
        for m in _TEXT_CLAIM.finditer(line):
            sentence_start = max(line.rfind(". ", 0, m.start()), line.rfind("(", 0, m.start()), 0)
            if _COMPARISON.search(line[sentence_start : m.start()]):
                continue
            metric = canonical_metric(m.group("name"))
            scaled = _scaled(metric, m.group("number"), bool(m.group("percent")))
            if scaled is None or (metric in _UNIT_INTERVAL and not 0.0 <= scaled[0] <= 1.0):
                continue
            where = f"{card.name}: line {card.body_line + i}"
            text = m.group(0).strip()
            out.append(MetricClaim(metric, m.group("name"), *scaled, None, None, where, None, text))
    return out


def _front_population(card: ParsedDocument) -> list[ShareClaim]:
    out: list[ShareClaim] = []
    for key in ("population", "intended_population"):
        value = card.front_matter.get(key)
        if not isinstance(value, dict):
            continue
        for feature, groups in value.items():
            if not isinstance(groups, dict):
                continue
            for group, share in groups.items():
                scaled = _scaled("accuracy", share) if isinstance(share, int | float | str) else None
                if scaled:
                    out.append(
                        ShareClaim(
                            str(feature),
                            str(group),
                            scaled[0],
                            scaled[1],
                            f"{card.name}: front matter '{key}.{feature}.{group}'",
                        )
                    )
    return out


def _threshold(card: ParsedDocument) -> tuple[float, str] | None:
    for key in ("decision_threshold", "threshold"):
        value = card.front_matter.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value), f"{card.name}: front matter '{key}'"
    m = _THRESHOLD.search(card.body)
    if m:
        return float(m.group(1)), f"{card.name}: line {card.body_line + card.body[: m.start(1)].count(chr(10))}"
    return None


def _versions(card: ParsedDocument) -> list[tuple[str, str, str]]:
    found: dict[str, tuple[str, str, str]] = {}
    for key in ("libraries", "software", "dependencies", "requirements"):
        value: Any = card.front_matter.get(key)
        pairs: list[tuple[str, str]] = []
        if isinstance(value, dict):
            pairs = [(str(k), str(v)) for k, v in value.items()]
        elif isinstance(value, list):
            for entry in value:  # "numpy==1.26", "pandas 2.2"
                parts = re.split(r"\s*[=<>~!]=+\s*|\s+", str(entry).strip(), maxsplit=1)
                if len(parts) == 2 and re.search(r"\d", parts[1]):
                    pairs.append((parts[0], parts[1]))
        for lib, ver in pairs:
            found.setdefault(normalise_library(lib), (lib, ver.strip(), f"{card.name}: front matter '{key}'"))
    if card.front_matter.get("library_name") and card.front_matter.get("library_version"):
        lib = str(card.front_matter["library_name"])
        found.setdefault(
            normalise_library(lib),
            (lib, str(card.front_matter["library_version"]), f"{card.name}: front matter 'library_version'"),
        )
    for i, line in enumerate(card.body.splitlines()):
        for m in _LIB_VERSION.finditer(line):
            found.setdefault(
                normalise_library(m.group(1)), (m.group(1), m.group(2), f"{card.name}: line {card.body_line + i}")
            )
    return list(found.values())


def normalise_library(name: str) -> str:
    key = re.sub(r"[\s_.]+", "-", name.strip().lower())
    key = re.sub(r"-?version$", "", key).strip("-")
    return {"sklearn": "scikit-learn", "pytorch": "torch"}.get(key, key)
