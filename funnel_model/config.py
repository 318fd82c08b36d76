"""Funnel config: per funnel, the stages in order with a default win
probability each, and which stage names mean won and lost.

Serializes to JSON (``to_json`` / ``from_json``) so a user can save, edit and
reload it; loading validates and raises :class:`ConfigError` with the fix.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

import pandas as pd

from funnel_model.errors import ConfigError

__all__ = ["DEFAULT_FUNNEL", "FunnelConfig", "FunnelSpec", "StageSpec"]

DEFAULT_FUNNEL = "main"


@dataclass
class StageSpec:
    """An open (non-terminal) stage and its default win probability (0..1)."""

    name: str
    probability: float


@dataclass
class FunnelSpec:
    """One CRM pipeline.

    Attributes
    ----------
    name : str
        Pipeline name as in the data's ``funnel`` column.
    stages : list of StageSpec
        Open stages in funnel order, first to last.
    won : list of str
        Stage names that mean the deal was won.
    lost : list of str
        Stage names that mean the deal was lost.
    """

    name: str
    stages: list[StageSpec] = field(default_factory=list)
    won: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)

    @property
    def stage_names(self) -> list[str]:
        return [s.name for s in self.stages]

    def probability(self, stage: str) -> float:
        """Default win probability of ``stage``: 1 for won, 0 for lost."""
        if stage in self.won:
            return 1.0
        if stage in self.lost:
            return 0.0
        for s in self.stages:
            if s.name == stage:
                return s.probability
        raise ConfigError("config.unknown_stage", funnel=self.name, stage=stage)


@dataclass
class FunnelConfig:
    """The funnels of one dataset, keyed by name in the data's order."""

    funnels: list[FunnelSpec] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.validate()

    def funnel(self, name: str | None) -> FunnelSpec:
        """The spec of funnel ``name``; a missing name means the only funnel."""
        if name is None or (isinstance(name, float) and pd.isna(name)):
            if len(self.funnels) == 1:
                return self.funnels[0]
            name = DEFAULT_FUNNEL
        for f in self.funnels:
            if f.name == name:
                return f
        raise ConfigError("config.unknown_funnel", funnel=name)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.funnels]

    def validate(self) -> None:
        """Raise :class:`ConfigError` on duplicate names or bad probabilities."""
        seen: set[str] = set()
        for f in self.funnels:
            if f.name in seen:
                raise ConfigError("config.duplicate_funnel", funnel=f.name)
            seen.add(f.name)
            names = [s.name for s in f.stages] + list(f.won) + list(f.lost)
            dupes = sorted({n for n in names if names.count(n) > 1})
            if dupes:
                raise ConfigError("config.duplicate_stage", funnel=f.name, stage=", ".join(dupes))
            for s in f.stages:
                p = s.probability
                if not isinstance(p, (int, float)) or pd.isna(p) or not 0.0 <= p <= 1.0:
                    raise ConfigError("config.bad_probability", funnel=f.name, stage=s.name, value=p)

    def stage_table(self) -> pd.DataFrame:
        """One row per stage (open, then won, then lost) for an editable table.

        Columns: ``funnel``, ``order`` (1-based; terminal stages have none),
        ``stage``, ``kind`` ("open", "won", "lost"), ``probability``.
        """
        rows = []
        for f in self.funnels:
            for i, s in enumerate(f.stages, start=1):
                rows.append((f.name, i, s.name, "open", s.probability))
            rows += [(f.name, pd.NA, w, "won", 1.0) for w in f.won]
            rows += [(f.name, pd.NA, ls, "lost", 0.0) for ls in f.lost]
        table = pd.DataFrame(rows, columns=["funnel", "order", "stage", "kind", "probability"])
        return table.astype({"order": "Int64", "probability": "float64"})

    @classmethod
    def from_stage_table(cls, table: pd.DataFrame) -> FunnelConfig:
        """Inverse of :meth:`stage_table`: open stages sorted by ``order``."""
        missing = {"funnel", "stage", "kind", "probability"} - set(table.columns)
        if missing:
            raise ConfigError("config.table_columns", columns=", ".join(sorted(missing)))
        funnels = []
        table = table.dropna(subset=["stage"])
        for name, group in table.groupby("funnel", sort=False):
            kinds = group["kind"].astype(str)
            bad = sorted(set(kinds) - {"open", "won", "lost"})
            if bad:
                raise ConfigError("config.bad_kind", funnel=name, kind=", ".join(bad))
            opened = group[kinds == "open"]
            if "order" in opened.columns:
                opened = opened.sort_values("order", kind="stable", na_position="last")
            stages = [StageSpec(str(r.stage), float(r.probability)) for r in opened.itertuples()]
            funnels.append(
                FunnelSpec(
                    str(name),
                    stages,
                    won=[str(s) for s in group.loc[kinds == "won", "stage"]],
                    lost=[str(s) for s in group.loc[kinds == "lost", "stage"]],
                )
            )
        return cls(funnels)

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    @classmethod
    def from_dict(cls, data: dict) -> FunnelConfig:
        try:
            funnels = [
                FunnelSpec(
                    name=str(f["name"]),
                    stages=[StageSpec(str(s["name"]), float(s["probability"])) for s in f.get("stages", [])],
                    won=[str(w) for w in f.get("won", [])],
                    lost=[str(x) for x in f.get("lost", [])],
                )
                for f in data["funnels"]
            ]
        except (KeyError, TypeError, ValueError, OverflowError) as exc:  # OverflowError: an integer beyond float
            raise ConfigError("config.bad_json", detail=f"{type(exc).__name__}: {exc}") from exc
        return cls(funnels)

    @classmethod
    def from_json(cls, text: str | bytes) -> FunnelConfig:
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError("config.bad_json", detail=str(exc)) from exc
        except (ValueError, RecursionError) as exc:
            # json's own limits: an integer of over 4,300 digits, arrays or objects nested ~1,000 deep
            raise ConfigError("config.bad_json", detail="a number too long or nesting too deep") from exc
        if not isinstance(data, dict):
            raise ConfigError("config.bad_json", detail="top level must be an object")
        return cls.from_dict(data)
