"""Domain error types, one per failure family.

Every error carries a message key and its parameters rather than a finished
sentence, so the UI can show it in the user's language
(``err.message("ru")``); ``str(err)`` is the English text for notebooks and
logs.
"""

from __future__ import annotations

from funnel_model.i18n import t

__all__ = [
    "CompensationPlanError",
    "ConfigError",
    "DealImportError",
    "FunnelError",
    "ParameterError",
    "ProjectError",
    "ScenarioError",
]


class FunnelError(Exception):
    """Base of every error a user can cause; shown by the UI with ``st.error``.

    Parameters
    ----------
    key : str
        Message key in the translation catalogs; the text names what went
        wrong, where (file, column, row) and how to fix it.
    **params
        Values substituted into the message.
    """

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(t(key, "en", **params))

    def message(self, lang: str) -> str:
        """The message in ``lang`` ("ru" or "en")."""
        return t(self.key, lang, **self.params)


class DealImportError(FunnelError):
    """A file cannot be read as deals or stage history at all."""


class ConfigError(FunnelError):
    """A funnel config is inconsistent or cannot be loaded."""


class ParameterError(FunnelError, ValueError):
    """A computation got a parameter outside its domain (p > 1, n < 0, ...)."""


class CompensationPlanError(FunnelError):
    """A compensation plan is invalid or cannot be loaded."""


class ScenarioError(FunnelError):
    """A saved scenario cannot be loaded: not JSON, another version, or a field of the wrong type."""


class ProjectError(FunnelError):
    """A project file is broken, truncated or not a Funnel project."""
