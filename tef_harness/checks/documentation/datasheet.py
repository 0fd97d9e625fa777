"""documentation.datasheet: is the training data's datasheet complete (Annex IV 2(d))?

The datasheet (Markdown or YAML) is scored against the Gebru et al. sections: motivation,
composition, collection process, preprocessing/cleaning/labelling, uses, distribution,
maintenance. The first four are what Annex IV 2(d) asks of training data, so a missing one
is high; the others medium.
"""

from __future__ import annotations

from pydantic import field_validator

from tef_harness.api import Check, CheckOutput, Params, RunContext
from tef_harness.checks.documentation.assess import assess, details_for, findings_for, item_states, metrics_for
from tef_harness.checks.documentation.parsing import parse_document
from tef_harness.checks.documentation.profiles import load_documentation_profile


class DatasheetParams(Params):
    #: a shipped profile name or a path to a profile YAML file
    profile: str = "datasheet"

    @field_validator("profile")
    @classmethod
    def _loadable(cls, v: str) -> str:
        load_documentation_profile(v)
        return v


class DatasheetCompleteness(Check):
    id = "documentation.datasheet"
    family = "documentation"
    title = "Datasheet completeness for the training data"
    description = (
        "Scores the training data's datasheet against the sections of Datasheets for Datasets "
        "(Gebru et al.). Metrics: completeness, completeness.required, items.<state>."
    )
    requires = frozenset({"datasheet"})
    evidence_for = ("EU-AI-Act:AnnexIV-2(d)",)
    Params = DatasheetParams

    def bind(self, ctx: RunContext, params: DatasheetParams) -> str | None:
        load_documentation_profile(params.profile)  # ConfigError naming the profile file
        parse_document(ctx.documents["datasheet"])  # IntakeError naming the datasheet
        return None

    def run(self, ctx: RunContext, params: DatasheetParams) -> CheckOutput:
        profile, source = load_documentation_profile(params.profile)
        docs = [parse_document(ctx.documents["datasheet"])]
        assessments = assess(profile, docs)
        return CheckOutput(
            metrics=tuple(metrics_for(assessments)),
            findings=tuple(findings_for(assessments)),
            details=details_for(profile, source, docs, assessments),
            views=(item_states(profile, assessments),),
        )
