"""The ``tef`` command: parse, call the engine, render, exit with a stable code.

Exit codes: 0 conformant, 1 non-conformant, incomplete or regressed against the baseline,
2 usage or input error, 3 internal error, 4 conformant but the MLflow run could not be logged
(the report is written). Data goes to stdout; progress and diagnostics go to stderr. Heavy
libraries are imported inside the commands so ``tef --help`` stays fast.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from tef_harness.engine.offline import apply_offline_defaults

EXIT_CONFORMANT, EXIT_NOT_CONFORMANT, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3

app = typer.Typer(
    name="tef",
    help="Pre-market conformity testing for machine-learning models.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
report_app = typer.Typer(help="Work with report files.", no_args_is_help=True)
app.add_typer(report_app, name="report")
doc_app = typer.Typer(help="Documentation checks on a card alone.", no_args_is_help=True)
app.add_typer(doc_app, name="doc")

F = TypeVar("F", bound=Callable[..., Any])


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def _guarded(fn: F) -> F:
    """Turn expected errors into one line and exit 2, anything else into exit 3."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from tef_harness.sdk.errors import TefError

        try:
            return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except TefError as exc:
            _err(f"tef: error: {exc.one_line()}")
            raise typer.Exit(EXIT_INPUT) from None
        except KeyboardInterrupt:
            _err("tef: interrupted")
            raise typer.Exit(130) from None
        except Exception as exc:
            if os.environ.get("TEF_DEBUG"):
                raise
            from tef_harness.sdk.masking import redact

            first = redact(str(exc).splitlines()[0][:300]) if str(exc) else ""
            _err(f"tef: internal error: {type(exc).__name__}: {first}")
            _err("tef: set TEF_DEBUG=1 for a traceback, and please report this")
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def _print_version(value: bool) -> None:
    if value:
        from tef_harness.engine.versions import version_lines

        sys.stdout.write("\n".join(version_lines()) + "\n")
        raise typer.Exit(EXIT_CONFORMANT)


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", is_eager=True, callback=_print_version, help="harness, Python and checks versions"),
    ] = False,
) -> None:
    """Pre-market conformity testing for machine-learning models."""


def _abs(path: Path | None) -> str | None:
    return str(path.resolve()) if path is not None else None


@app.command()
@_guarded
def check(
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="tef.toml or pyproject.toml; default: found by walking up")
    ] = None,
    model: Annotated[
        Path | None, typer.Option(help="model artifact (.skops, .onnx, MLflow folder, .pkl/.joblib)")
    ] = None,
    model_uri: Annotated[str | None, typer.Option("--model-uri", help="MLflow URI (runs:/..., models:/...)")] = None,
    data: Annotated[Path | None, typer.Option(help="evaluation data (CSV, Parquet, JSON lines)")] = None,
    target: Annotated[str | None, typer.Option(help="label column")] = None,
    sensitive: Annotated[list[str] | None, typer.Option(help="sensitive column (repeat for several)")] = None,
    card: Annotated[Path | None, typer.Option(help="model card (Markdown)")] = None,
    train_sample: Annotated[Path | None, typer.Option("--train-sample", help="sample of the training data")] = None,
    predictions: Annotated[Path | None, typer.Option(help="predictions file for a predictions-only audit")] = None,
    profile: Annotated[str | None, typer.Option(help="policy profile name or path")] = None,
    only: Annotated[str | None, typer.Option(help="comma-separated check ids to run")] = None,
    trust_artifact: Annotated[
        bool, typer.Option("--trust-artifact", help="allow formats that execute code on load")
    ] = False,
    trust_type: Annotated[
        list[str] | None,
        typer.Option("--trust-type", help="a skops type you reviewed and approve (repeat; adds to trusted_types)"),
    ] = None,
    no_third_party: Annotated[bool, typer.Option("--no-third-party", help="run built-in checks only")] = False,
    seed: Annotated[int | None, typer.Option(help="random seed")] = None,
    jobs: Annotated[int | None, typer.Option(help="worker processes for checks that split work (config: jobs)")] = None,
    out: Annotated[Path | None, typer.Option(help="report folder (default: tef-report)")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="also print the report JSON on stdout")] = False,
    tracking_uri: Annotated[
        str | None,
        typer.Option("--tracking-uri", help="MLflow tracking URI (default: sqlite:///mlflow.db by the config)"),
    ] = None,
    no_tracking: Annotated[bool, typer.Option("--no-tracking", help="do not log the audit to MLflow")] = False,
    register: Annotated[
        str | None,
        typer.Option("--register-as", help="first register the .skops/.onnx file unchanged as a version of this model"),
    ] = None,
    baseline: Annotated[
        str | None, typer.Option(help="previous report.json (or MLflow run id) to gate regressions against")
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="formats to write, e.g. html,md,junit,pdf (default: all available)")
    ] = None,
    sign_key: Annotated[
        Path | None,
        typer.Option("--sign-key", help="Ed25519 private key (PEM) to sign manifest.json; or TEF_SIGNING_KEY"),
    ] = None,
) -> None:
    """Run the checks on a model, write a conformity report, and log it as an MLflow run."""
    logging.basicConfig(format="tef: %(message)s", level=logging.WARNING, stream=sys.stderr)
    from tef_harness.sdk.masking import install_log_redaction

    for handler in logging.getLogger().handlers:
        install_log_redaction(handler)
    # presidio warns once per recognizer whose language is not English: noise for the reader
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    from tef_harness.config.loader import find_config, load_config
    from tef_harness.engine.audit import AuditSpec, run_audit
    from tef_harness.reports.commands import write_report_folder
    from tef_harness.reports.renderers.console import ProgressPrinter, print_summary
    from tef_harness.reports.renderers.json_report import render_json
    from tef_harness.reports.renderers.registry import select_renderers
    from tef_harness.sdk.errors import ConfigError
    from tef_harness.sdk.results import CheckResult

    select_renderers(fmt)  # an unknown or unavailable format is an input error before the run
    overrides: dict[str, Any] = {}
    pairs: list[tuple[str, Any]] = [
        ("model.path", _abs(model) or model_uri),
        ("model.predictions", _abs(predictions)),
        ("data.path", _abs(data)),
        ("data.target", target),
        ("data.sensitive", sensitive or None),
        ("data.train_sample", _abs(train_sample)),
        ("documents.card", _abs(card)),
        ("profile", profile),
        ("plugins.only", [s.strip() for s in only.split(",") if s.strip()] if only else None),
        ("seed", seed),
        ("jobs", jobs),
        ("out", _abs(out)),
        # recorded in the report's config, so `tef report sync` can retry a failed registration
        ("tracking.register_as", register),
    ]
    overrides.update({k: v for k, v in pairs if v is not None})
    if trust_artifact:
        overrides["model.trust_artifact"] = True
    if no_third_party:
        overrides["plugins.third_party"] = False
    cfg_path = config if config is not None else find_config(Path.cwd())
    lc = load_config(cfg_path, overrides)
    if trust_type:  # the flags add to the file's list
        overrides["model.trusted_types"] = list(dict.fromkeys([*lc.config.model.trusted_types, *trust_type]))
        lc = load_config(cfg_path, overrides)
    if profile is not None:  # named by the flag, an unknown profile is the flag's error, not the file's
        from tef_harness.config.policy import load_policy_profile

        try:
            load_policy_profile(profile, lc.base_dir)
        except ConfigError as exc:
            raise ConfigError(exc.detail, file=exc.file, field="--profile") from None
    out_dir = lc.path(lc.config.out)
    assert out_dir is not None
    if out_dir.exists() and not out_dir.is_dir():  # found before any check runs, not at the write
        raise ConfigError(
            "exists and is not a folder; --out names the folder the report goes to", file=out_dir, field="out"
        )
    from tef_harness.config.tracking_uri import resolve_tracking
    from tef_harness.reports.tracking_commands import (
        EXIT_TRACKING_FAILED,
        prepare_model_registry,
        registration,
        track_check,
    )

    tracking = resolve_tracking(lc, flag_uri=tracking_uri, disabled=no_tracking, flag_register=register)
    prepare_model_registry(lc, tracking)
    from tef_harness.reports.baseline import baseline_spec, gate, load_baseline
    from tef_harness.reports.tracking_worker import TrackingWorker

    spec = baseline_spec(lc, baseline)
    baseline_report = load_baseline(spec[0], tracking, field=spec[1]) if spec else None
    warmup = TrackingWorker(tracking, registration(tracking, lc)) if tracking is not None else None
    # which config is used is said once the inputs were accepted: a bad input is one line alone
    announced = not lc.source
    try:
        with ProgressPrinter() as printer:

            def progress(check_id: str, result: CheckResult | None) -> None:
                # the first check starting means the inputs were accepted: only then open the
                # tracking store (in a worker process, while the checks run), so a bad input leaves none
                nonlocal announced
                if not announced:
                    _err(f"tef: config {lc.source}")
                    announced = True
                if warmup is not None and not warmup.started:
                    warmup.start()
                printer.update(check_id, result)

            report = run_audit(AuditSpec.from_loaded(lc), progress=progress)
        if not announced:  # no check ran
            _err(f"tef: config {lc.source}")
        cfg_file = Path(lc.source).resolve() if lc.source and Path(lc.source).is_file() else None
        write_report_folder(
            report,
            out_dir,
            fmt,
            config_file=cfg_file,
            sign_key=sign_key,
            baseline=(baseline_report, spec[0]) if baseline_report is not None and spec else None,
        )
        print_summary(report, out_dir / "report.json")
        if json_out:
            sys.stdout.write(render_json(report))
        code = EXIT_CONFORMANT if report.verdict == "conformant" else EXIT_NOT_CONFORMANT
        if baseline_report is not None:
            lines, passed = gate(baseline_report, report, lc)
            for line in lines:
                _err(f"tef: baseline: {line}")
            if not passed:
                _err("tef: baseline: a metric regressed beyond its threshold: gate failed")
                code = EXIT_NOT_CONFORMANT
        if tracking is not None:
            # the data's schema comes from the report (each file's column dtypes), not the frames
            opened = warmup if warmup is not None and warmup.started else None  # no check ran: none opened
            if not track_check(out_dir, tracking, {}, opened) and code == EXIT_CONFORMANT:
                code = EXIT_TRACKING_FAILED
        raise typer.Exit(code)
    finally:
        if warmup is not None:
            warmup.close()  # the worker process never outlives tef check (tracking_worker.py)


@app.command("list-checks")
@_guarded
def list_checks(
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    no_third_party: Annotated[bool, typer.Option("--no-third-party", help="built-in checks only")] = False,
) -> None:
    """Show every registered check, with what it needs and what it gives evidence for."""
    import json

    from tef_harness.engine.registry import discover
    from tef_harness.sdk.errors import ConfigError

    if fmt not in ("table", "json"):
        raise ConfigError(f"unknown format {fmt!r}; use table or json", field="--format")
    found = discover(third_party=not no_third_party)
    rows = [
        {
            "id": p.check_id,
            "family": p.cls.family,
            "title": p.cls.title,
            "description": p.cls.description,
            "requires": sorted(p.cls.requires),
            "evidence_for": list(p.cls.evidence_for),
            "distribution": p.distribution,
            "version": p.version,
        }
        for p in found.plugins
    ]
    failures = [
        {"name": f.name, "entry_point": f.entry_point, "distribution": f.distribution, "error": f.error}
        for f in found.failures
    ]
    if fmt == "json":
        sys.stdout.write(json.dumps({"checks": rows, "load_failures": failures}, indent=2) + "\n")
        return
    from tef_harness.reports.renderers.console import print_check_table

    print_check_table(rows, failures)


@app.command()
@_guarded
def init(
    model: Annotated[str, typer.Option(help="model artifact path")] = "model.skops",
    data: Annotated[str, typer.Option(help="evaluation data path")] = "eval.csv",
    target: Annotated[str, typer.Option(help="label column")] = "label",
    sensitive: Annotated[list[str] | None, typer.Option(help="sensitive column (repeat)")] = None,
    card: Annotated[str | None, typer.Option(help="model card path")] = None,
    profile: Annotated[str, typer.Option(help="policy profile")] = "default",
    task: Annotated[
        str, typer.Option(help="auto, binary, multiclass or regression; auto reads the target in --data if it exists")
    ] = "auto",
    path: Annotated[Path, typer.Option("--path", help="where to write the config")] = Path("tef.toml"),
    card_template: Annotated[
        str | None,
        typer.Option(
            help="also write a model-card template at --card for this documentation profile "
            "(eu-ai-act-annex-iv, model-card, hf-model-card)"
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="overwrite an existing file")] = False,
) -> None:
    """Write a commented tef.toml for your files (and, with --card-template, a model-card template)."""
    from tef_harness.config.init_template import detect_task, render_card_template, render_config, sensitive_groups
    from tef_harness.intake.models.skops_model import SKLEARN_INTERNAL_TYPES
    from tef_harness.reports.sinks.files import write_atomic
    from tef_harness.sdk.errors import ConfigError

    if task not in ("auto", "binary", "multiclass", "regression"):
        raise ConfigError(f"unknown task {task!r}; use auto, binary, multiclass or regression", field="--task")
    if task == "auto":
        task = detect_task(Path(data), target) or "auto"

    # each file to write, and the flag that writes it elsewhere
    targets = [(path, "--path")]
    if card_template is not None:
        if card is None:
            raise ConfigError("--card-template needs --card, the path to write the template to", field="--card")
        targets.append((Path(card), "--card"))
    for target_path, flag in targets:
        elsewhere = f"name another file with {flag}"
        if target_path.exists() and not force:
            # say both ways out: a user adding a card template to a project that has a tef.toml
            # wants --path (or --force), and neither is obvious from "file exists"
            raise ConfigError(f"file exists; pass --force to overwrite it, or {elsewhere}", file=target_path)
    card_text = None
    if card_template is not None:
        card_text = render_card_template(card_template)
    untrusted = _skops_untrusted_types(Path(model))
    text = render_config(
        model=model,
        data=data,
        target=target,
        sensitive=sensitive or [],
        card=card,
        profile=profile,
        task=task,
        untrusted_types=untrusted,
        allow_listed=SKLEARN_INTERNAL_TYPES,
        group_labels=sensitive_groups(Path(data), sensitive or []),
    )
    write_atomic(path, text)
    _err(f"tef: wrote {path}")
    if card_text is not None and card is not None:
        write_atomic(Path(card), card_text)
        _err(f"tef: wrote {card} (a {card_template} template: every item is a section with a hint)")


def _skops_untrusted_types(model: Path) -> list[str] | None:
    """The types an existing skops file holds beyond skops' safe list (None for another file)."""
    if model.suffix.lower() != ".skops" or not model.is_file():
        return None
    from tef_harness.intake.models.skops_model import untrusted_types

    return untrusted_types(model)


@report_app.command("sync")
@_guarded
def report_sync_cmd(
    folder: Annotated[Path, typer.Argument(help="report folder (or its report.json)")],
    tracking_uri: Annotated[str | None, typer.Option("--tracking-uri", help="MLflow tracking URI")] = None,
    experiment: Annotated[str | None, typer.Option(help="experiment name (default: as recorded)")] = None,
) -> None:
    """Log a saved report to MLflow, unless a finished run with the same report digest exists."""
    apply_offline_defaults()
    from tef_harness.reports.sinks.mlflow_sink import TrackingFailed
    from tef_harness.reports.tracking_commands import EXIT_TRACKING_FAILED, sync

    try:
        sync(folder, flag_uri=tracking_uri, experiment=experiment)
    except TrackingFailed as exc:
        _err(f"tef: tracking failed: {exc.one_line()}")
        raise typer.Exit(EXIT_TRACKING_FAILED) from None


@report_app.command("diff")
@_guarded
def report_diff_cmd(
    old: Annotated[Path, typer.Argument(help="baseline report.json (or its folder)")],
    new: Annotated[Path, typer.Argument(help="candidate report.json (or its folder)")],
) -> None:
    """Print what changed between two reports: verdict, statuses, metrics, findings."""
    from tef_harness.reports.report_diff import diff_lines
    from tef_harness.reports.sinks.mlflow_sink import read_report

    lines = diff_lines(read_report(old)[0], read_report(new)[0])
    sys.stdout.write("".join(f"{line}\n" for line in lines) if lines else "no changes\n")


@report_app.command("summary")
@_guarded
def report_summary_cmd(
    folder: Annotated[Path, typer.Argument(help="report folder (or its report.json)")],
) -> None:
    """Print a report's summary as Markdown (verdict, one row per check), e.g. for a CI job summary."""
    from tef_harness.reports.sinks.mlflow_sink import read_report
    from tef_harness.reports.tracking_view import summary_text

    sys.stdout.write(summary_text(read_report(folder)[0]))


@report_app.command("schema")
@_guarded
def report_schema_cmd() -> None:
    """Print the JSON Schema of report.json."""
    from tef_harness.reports.renderers.json_report import report_schema

    sys.stdout.write(report_schema())


@report_app.command("render")
@_guarded
def report_render_cmd(
    report_json: Annotated[Path, typer.Argument(help="a saved report.json")],
    fmt: Annotated[str, typer.Option("--format", help="comma-separated: html,md,junit,pdf,json")] = "html,md,junit",
    out: Annotated[Path | None, typer.Option(help="folder to write to (default: the report's folder)")] = None,
) -> None:
    """Re-render a saved report.json into other formats."""
    from tef_harness.reports.commands import render_saved

    for w in render_saved(report_json, fmt, out):
        _err(f"tef: wrote {w.path} ({w.bytes:,} bytes)")


@report_app.command("verify")
@_guarded
def report_verify_cmd(
    folder: Annotated[Path, typer.Argument(help="a report folder with manifest.json")],
    key: Annotated[
        Path | None,
        typer.Option(
            "--key", help="trusted Ed25519 public key (PEM) the manifest must be signed with; or TEF_VERIFY_KEY"
        ),
    ] = None,
) -> None:
    """Check a report folder against its manifest: exit 0 intact and signed under the trusted
    key, 1 tampered, 2 bad input, 4 intact but unauthenticated (no trusted key, or unsigned)."""
    from tef_harness.reports.commands import verify

    raise typer.Exit(verify(folder, key))


@doc_app.command("check")
@_guarded
def doc_check(
    card: Annotated[Path, typer.Argument(help="model card (Markdown) or technical documentation (YAML)")],
    doc_profile: Annotated[
        str | None,
        typer.Option(
            "--doc-profile", help="documentation profile name or path to a profile YAML (default: eu-ai-act-annex-iv)"
        ),
    ] = None,
    technical_doc: Annotated[Path | None, typer.Option("--technical-doc", help="technical documentation file")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print the check's output as JSON")] = False,
    # deprecated alias, hidden: `tef check --profile` is the policy profile, a different thing;
    # kept working for one release (it shipped in --help) with a notice on stderr
    old_profile: Annotated[str | None, typer.Option("--profile", hidden=True)] = None,
) -> None:
    """Run documentation.completeness on a card: each item's state and where its evidence is.
    Exit 0 when every item is complete, 1 when some are missing or unfilled, 2 on a bad input."""
    from tef_harness.reports.renderers.console import summary_width
    from tef_harness.reports.renderers.doc_check import check_card, render_json, render_text
    from tef_harness.sdk.errors import ConfigError

    if old_profile is not None:
        if doc_profile is not None:
            raise ConfigError("give --doc-profile only (--profile is its deprecated name)", field="--profile")
        _err(
            "tef: warning: 'tef doc check --profile' is deprecated: use --doc-profile "
            "(--profile is tef check's policy profile)"
        )
        doc_profile = old_profile
    doc_profile = doc_profile or "eu-ai-act-annex-iv"
    try:
        out = check_card(card, doc_profile, technical_doc)
    except ConfigError as exc:
        if exc.field != "profile" or exc.file is not None:
            raise
        # a shipped name that does not exist: the flag is what the user typed it in
        raise ConfigError(exc.detail, field="--doc-profile") from None
    sys.stdout.write(render_json(out) if json_out else render_text(out, width=summary_width()))
    raise typer.Exit(EXIT_NOT_CONFORMANT if out.findings else EXIT_CONFORMANT)


def main() -> None:
    apply_offline_defaults()
    app()
