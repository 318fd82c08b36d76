"""Funnel's domain: B2B sales funnels from a CRM deal export.

Pure Python (pandas, numpy, scipy, altair); never imports streamlit, so every
function here works from a notebook or a script. The names below are the
public face (see DESIGN.md); they load lazily so that importing the package
for the importer alone does not pull in scipy.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    # import and the canonical table
    "read_deals": "funnel_model.importer",
    "read_stage_history": "funnel_model.importer",
    "DealImport": "funnel_model.importer",
    "infer_config": "funnel_model.importer",
    "problems_report": "funnel_model.importer",
    "detect_mapping": "funnel_model.importer",
    "FunnelConfig": "funnel_model.config",
    "FunnelSpec": "funnel_model.config",
    "StageSpec": "funnel_model.config",
    "derive_segments": "funnel_model.segments",
    "PreparedDataset": "funnel_model.prepared",
    "prepare": "funnel_model.prepared",
    "client_base": "funnel_model.clients",
    # errors
    "FunnelError": "funnel_model.errors",
    "DealImportError": "funnel_model.errors",
    "ConfigError": "funnel_model.errors",
    "ParameterError": "funnel_model.errors",
    "CompensationPlanError": "funnel_model.errors",
    "ScenarioError": "funnel_model.errors",
    "ProjectError": "funnel_model.errors",
    # analyses
    "funnel_geometry": "funnel_model.geometry",
    "stage_win_rates": "funnel_model.geometry",
    "revenue_distribution": "funnel_model.forecast",
    "leads_needed": "funnel_model.plan",
    "longest_streak_pmf": "funnel_model.rejection",
    "prob_better": "funnel_model.rejection",
    # compensation
    "CompensationPlan": "funnel_model.compensation",
    "pay_from_actuals": "funnel_model.compensation",
    "pay_distribution": "funnel_model.compensation",
    "pay_per_revenue": "funnel_model.compensation",
    # keeping and handing over work
    "Scenario": "funnel_model.scenario",
    "StageProbability": "funnel_model.scenario",
    "save_project": "funnel_model.project",
    "load_project": "funnel_model.project",
    "Project": "funnel_model.project",
    "to_csv": "funnel_model.export",
    "to_xlsx": "funnel_model.export",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'funnel_model' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
