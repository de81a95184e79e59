"""Where the tests find the report's text: ``$REPORT_SOURCE`` (a file, or a folder holding one
``*.txt``), default ``../shared/source/`` beside the repository. Without it the fidelity tests
skip locally but fail under ``CI=true``: CI must compare the data with the report."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "source"


def source_path() -> Path | None:
    """The report text file, or None when it cannot be found."""
    where = Path(os.environ.get("REPORT_SOURCE", "") or DEFAULT)
    if where.is_file():
        return where
    texts = sorted(where.glob("*.txt")) if where.is_dir() else []
    return texts[0] if texts else None


def read_source() -> str:
    """The report's text; skips the test (fails under ``CI=true``) when it is missing."""
    path = source_path()
    if path is None:
        msg = f"report text not found (set REPORT_SOURCE; default {DEFAULT})"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg + " — required under CI=true")
        pytest.skip(msg)
    return path.read_text(encoding="utf-8")
