"""Shared test setup: the project root on sys.path and the artifacts folder."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
