"""Messages of the importer: file-level errors and row problems."""

MESSAGES: dict[str, dict[str, str]] = {}
