"""A project file: one client's data, column mapping and scenarios in one zip, for keeping work without a server.

Inside: ``manifest.json`` (format, version, what is there), ``deals.parquet``
and ``history.parquet`` (columnar and compact, dtypes kept), ``mapping.json``
and ``scenarios.json``. Loading checks every part and raises
:class:`ProjectError` naming the part and the fix; sizes are checked before
anything is inflated, so a hostile zip cannot exhaust memory.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from funnel_model.errors import FunnelError, ProjectError
from funnel_model.parsing import ZIP_ERRORS
from funnel_model.scenario import Scenario

if TYPE_CHECKING:
    from funnel_model.importer import DealImport

__all__ = [
    "PROJECT_FORMAT",
    "PROJECT_VERSION",
    "Project",
    "as_import",
    "is_project",
    "load_project",
    "save_project",
]

PROJECT_FORMAT = "funnel-project"
PROJECT_VERSION = 1
MAX_UNPACKED_BYTES = 1 << 30  # 1 GiB inflated: far above any CRM export, far below a zip bomb
MAX_RATIO = 200  # parquet and JSON compress well, but not 200 times over
_STAMP = (1980, 1, 1, 0, 0, 0)  # fixed member times: the same project saves to the same bytes


@dataclass(frozen=True)
class Project:
    """What a project file holds.

    Attributes
    ----------
    deals : DataFrame
        Canonical deals, as saved (dtypes kept).
    history : DataFrame or None
        Stage history, when there was one.
    scenarios : tuple of Scenario
        In the order saved (the app saves the scenario in use first).
    mapping : dict or None
        Canonical column → source header of the original export.
    problems : DataFrame or None
        The import's problem rows (rejected, repaired, noted), when saved.
    """

    deals: pd.DataFrame
    history: pd.DataFrame | None = None
    scenarios: tuple[Scenario, ...] = ()
    mapping: dict[str, str] | None = field(default=None)
    problems: pd.DataFrame | None = None


def _parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    plain = frame.copy()
    plain.attrs = {}  # import notes in attrs are not part of the table
    plain.to_parquet(buffer, engine="pyarrow", index=False, compression="zstd")
    return buffer.getvalue()


def save_project(
    deals: pd.DataFrame,
    history: pd.DataFrame | None = None,
    scenarios: Iterable[Scenario] = (),
    mapping: Mapping[str, str] | None = None,
    *,
    problems: pd.DataFrame | None = None,
) -> bytes:
    """One project file (zip bytes) of the data, mapping and scenarios.

    Parameters
    ----------
    deals : DataFrame
        Canonical deals.
    history : DataFrame, optional
        Stage history.
    scenarios : iterable of Scenario
    mapping : {canonical column: source header}, optional
    problems : DataFrame, optional
        The import's problem rows, so the reopened project lists them too.

    Returns
    -------
    bytes
        Read back with :func:`load_project`.
    """
    scenarios = tuple(scenarios)
    members = {
        "deals.parquet": _parquet(deals),
        "mapping.json": json.dumps(dict(mapping) if mapping is not None else None, ensure_ascii=False).encode(),
        "scenarios.json": ("[" + ",\n".join(s.to_json() for s in scenarios) + "]").encode("utf-8"),
    }
    if history is not None:
        members["history.parquet"] = _parquet(history)
    if problems is not None:
        members["problems.parquet"] = _parquet(problems)
    manifest = {
        "format": PROJECT_FORMAT,
        "version": PROJECT_VERSION,
        "deals": len(deals),
        "history": None if history is None else len(history),
        "problems": None if problems is None else len(problems),
        "scenarios": len(scenarios),
        "files": sorted(members),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in {"manifest.json": json.dumps(manifest, indent=2).encode(), **members}.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=_STAMP), content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    except KeyError as exc:
        raise ProjectError("project.error.missing", part=name) from exc
    except ZIP_ERRORS as exc:
        raise ProjectError("project.error.part", part=name, detail=str(exc) or type(exc).__name__) from exc


def _json(archive: zipfile.ZipFile, name: str) -> object:
    try:
        return json.loads(_read(archive, name))
    except ValueError as exc:  # not JSON, not UTF-8, or an integer of over 4,300 digits
        raise ProjectError("project.error.part", part=name, detail=str(exc)) from exc
    except RecursionError as exc:
        raise ProjectError("project.error.part", part=name, detail="nested too deeply") from exc


def _table(archive: zipfile.ZipFile, name: str, rows: object) -> pd.DataFrame:
    try:
        table = pd.read_parquet(io.BytesIO(_read(archive, name)), engine="pyarrow")
    except ProjectError:
        raise
    except Exception as exc:  # pyarrow raises its own many kinds for a damaged file
        raise ProjectError("project.error.part", part=name, detail=str(exc) or type(exc).__name__) from exc
    if rows != len(table):
        raise ProjectError("project.error.rows", part=name, expected=rows, found=len(table))
    return table


def load_project(data: bytes) -> Project:
    """Read a project file written by :func:`save_project`.

    Parameters
    ----------
    data : bytes
        The file's content.

    Returns
    -------
    Project

    Raises
    ------
    ProjectError
        Not a zip, truncated, another program's zip, another version, a
        damaged part or one too large when inflated; the message names the part.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS as exc:
        raise ProjectError("project.error.not_zip", detail=str(exc)) from exc
    with archive:
        infos = archive.infolist()
        total = sum(info.file_size for info in infos)
        packed = sum(info.compress_size for info in infos)
        if total > MAX_UNPACKED_BYTES or total > MAX_RATIO * max(packed, 1) + (1 << 20):
            raise ProjectError("project.error.too_large", size=total)
        if "manifest.json" not in archive.namelist():
            raise ProjectError("project.error.foreign")
        manifest = _json(archive, "manifest.json")
        if not isinstance(manifest, dict) or manifest.get("format") != PROJECT_FORMAT:
            raise ProjectError("project.error.foreign")
        if manifest.get("version") != PROJECT_VERSION:
            raise ProjectError("project.error.version", found=repr(manifest.get("version")), expected=PROJECT_VERSION)
        deals = _table(archive, "deals.parquet", manifest.get("deals"))
        history = None
        if manifest.get("history") is not None:
            history = _table(archive, "history.parquet", manifest["history"])
        problems = None
        if manifest.get("problems") is not None:
            problems = _table(archive, "problems.parquet", manifest["problems"])
        mapping = _json(archive, "mapping.json")
        if mapping is not None and not (
            isinstance(mapping, dict) and all(isinstance(v, str) for v in mapping.values())
        ):
            raise ProjectError("project.error.part", part="mapping.json", detail="not an object of texts")
        items = _json(archive, "scenarios.json")
        if not isinstance(items, list):
            raise ProjectError("project.error.part", part="scenarios.json", detail="not a list")
        scenarios = []
        for i, item in enumerate(items):
            try:
                scenarios.append(Scenario.from_dict(item))
            except FunnelError as exc:
                raise ProjectError("project.error.part", part=f"scenarios.json[{i}]", detail=str(exc)) from exc
        if manifest.get("scenarios") != len(scenarios):
            raise ProjectError(
                "project.error.rows", part="scenarios.json", expected=manifest.get("scenarios"), found=len(scenarios)
            )
    return Project(deals=deals, history=history, scenarios=tuple(scenarios), mapping=mapping, problems=problems)


def as_import(project: Project) -> DealImport:
    """The project's deals as :func:`funnel_model.importer.read_deals` hands a file's over: the same
    problems, mapping and inferred config, so a reopened project reads like the original upload."""
    from funnel_model.importer import PROBLEM_COLUMNS, DealImport
    from funnel_model.inference import infer_config

    problems = project.problems
    if problems is None:
        problems = pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else "str") for c in PROBLEM_COLUMNS})
    return DealImport(
        deals=project.deals,
        problems=problems,
        mapping=dict(project.mapping or {}),
        config=infer_config(project.deals),
        source_columns=list(project.deals.columns),
    )


def is_project(data: bytes) -> bool:
    """Whether ``data`` looks like a project file (a zip holding a Funnel manifest), without reading it all."""
    if not data.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "manifest.json" in archive.namelist() and "deals.parquet" in archive.namelist()
    except ZIP_ERRORS:
        return False
