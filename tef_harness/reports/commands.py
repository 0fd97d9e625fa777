"""What the report commands do, kept out of cli.py so the CLI stays a thin parser:

- :func:`write_report_folder` (``tef check --out DIR``): every selected format, then the manifest;
- :func:`render_saved` (``tef report render``): re-render a saved report.json;
- :func:`verify` (``tef report verify``): check a folder against its manifest.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tef_harness.reports.renderers.registry import BaselineAware, select_renderers
from tef_harness.reports.schema import ConformityReport
from tef_harness.reports.sinks.outputs import Written, write_outputs

#: a signing key can also come from the environment (a CI secret mounted as a file)
SIGN_KEY_ENV = "TEF_SIGNING_KEY"
#: the public key ``tef report verify`` trusts when --key is not given (a path)
VERIFY_KEY_ENV = "TEF_VERIFY_KEY"
#: ``tef report verify``: the files match the manifest, but no trusted key vouches for it
EXIT_UNAUTHENTICATED = 4


def _note(text: str) -> None:
    sys.stderr.write(f"tef: {text}\n")


def write_report_folder(
    report: ConformityReport,
    folder: Path,
    formats: str | None,
    *,
    config_file: Path | None = None,
    sign_key: Path | None = None,
    baseline: tuple[ConformityReport, str] | None = None,
) -> list[Written]:
    """Write the selected formats (default: all available, JSON always) and manifest.json.
    ``baseline`` (report, where it came from): renderers that can show the changes against it
    (a ``with_baseline`` method: report.md) do.

    The signing key is read before anything is written, so a bad key leaves no folder
    behind. Raises ConfigError for an unknown or unavailable format or a bad key.
    """
    from tef_harness.reports.sinks.audit_files import drop_stale_outputs
    from tef_harness.reports.sinks.manifest import build_manifest, load_private_key, sign_manifest, write_manifest

    renderers, notes = select_renderers(formats)
    if not any(r.name == "json" for r in renderers):
        # the canonical record is always written: every other format is rendered from it
        json_renderer, _ = select_renderers("json")
        renderers = json_renderer + renderers
    key_path = sign_key or (Path(os.environ[SIGN_KEY_ENV]) if os.environ.get(SIGN_KEY_ENV) else None)
    if key_path is not None:
        load_private_key(key_path)
    for n in notes:
        _note(n)
    if baseline is not None:
        renderers = [r.with_baseline(*baseline) if isinstance(r, BaselineAware) else r for r in renderers]
    written = write_outputs(report, renderers, folder)
    # an earlier audit's outputs this one did not render again (a report.pdf beside a newer
    # report.json) would pass for this audit's: removed while they are as that manifest lists
    for name in drop_stale_outputs(folder, {w.path.name for w in written}):
        _note(f"removed {name} of an earlier audit from {folder} (this audit did not render it)")
    manifest = build_manifest(report, folder, [w.path for w in written], config_file)
    if key_path is not None:
        manifest = sign_manifest(manifest, key_path)
    write_manifest(manifest, folder)
    return written


def render_saved(report_path: Path, formats: str, out: Path | None) -> list[Written]:
    """Re-render a saved report into ``out`` (default: its own folder). JSON is not rewritten
    unless asked for: the saved file is the record."""
    from tef_harness.reports.load import load_report

    report = load_report(report_path)
    renderers, _ = select_renderers(formats)
    return write_outputs(report, renderers, out or report_path.parent)


def verify(folder: Path, key: Path | None) -> int:
    """0 intact and signed under a trusted key (``key``, else ``TEF_VERIFY_KEY``), 1 tampered,
    4 intact but unauthenticated (no trusted key, or an unsigned manifest: see manifest.py for
    why that is not 0); bad input raises IntakeError (exit 2 in the CLI)."""
    from tef_harness.reports.sinks.manifest import verify_folder

    field = "--key"
    if key is None and os.environ.get(VERIFY_KEY_ENV):
        key, field = Path(os.environ[VERIFY_KEY_ENV]), VERIFY_KEY_ENV
    result = verify_folder(folder, key, key_field=field)
    for n in result.notes:
        _note(n)
    if not result.intact:
        for p in result.problems:
            _note(f"tampered: {p}")
        return 1
    if result.authenticated:
        _note(f"{folder}: intact and authentic (signed under the trusted key)")
        return 0
    _note(
        f"{folder}: files match the manifest, but its authenticity is UNVERIFIED "
        f"(exit {EXIT_UNAUTHENTICATED}): give the signer's public key with --key or {VERIFY_KEY_ENV}"
    )
    return EXIT_UNAUTHENTICATED
