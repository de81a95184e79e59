"""The manifest of validated files (``data/validated.json``): the shipped data skips the pandera run
at start only while its exact bytes, under the current rules, are the ones that passed it."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from components import data
from components.data import (
    FILES,
    MANIFEST,
    DataError,
    build_manifest,
    load_bundle,
    vouched_files,
    write_manifest,
)

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_manifest_matches_a_full_validation() -> None:
    """Fails after any change to a data file or to the rules: run `make manifest` (it validates
    every shipped file fully first and refuses to write if one fails)."""
    committed = json.loads(MANIFEST.read_text(encoding="utf-8"))
    fresh = build_manifest()  # raises DataError if a shipped file breaks the schema
    assert committed["rules"] == fresh["rules"], "rules changed: run `make manifest`"
    assert committed["files"] == fresh["files"], "data files changed: run `make manifest`"
    assert set(committed["files"]) == set(FILES.values())
    assert vouched_files() == committed["files"]


@pytest.fixture
def schema_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tables the pandera schema ran on (the real run, counted)."""
    runs: list[str] = []
    real = data.schema_problems

    def counted(name: str, typed: pd.DataFrame) -> list:
        runs.append(name)
        return real(name, typed)

    monkeypatch.setattr(data, "schema_problems", counted)
    return runs


def _same_bundle(a: data.Bundle, b: data.Bundle) -> None:
    for f in dataclasses.fields(a):
        pd.testing.assert_frame_equal(getattr(a, f.name), getattr(b, f.name))


def test_vouched_files_skip_the_schema_run_and_give_the_same_bundle(
    schema_runs: list[str],
) -> None:
    fast = load_bundle()
    assert schema_runs == []
    full = load_bundle(use_manifest=False)
    assert schema_runs == list(FILES)
    _same_bundle(fast, full)


def _copy_data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for file in FILES.values():
        shutil.copy(ROOT / "data" / file, folder / file)
    return folder


def test_an_edited_file_gets_the_full_validation(tmp_path: Path, schema_runs: list[str]) -> None:
    folder = _copy_data(tmp_path)
    path = folder / "clusters.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[3, "sector"] = "spaceships"  # only the pandera schema knows the sector vocabulary
    frame.to_csv(path, index=False)
    with pytest.raises(DataError) as err:
        load_bundle(folder)
    assert err.value.problem.code == "vocab"
    assert err.value.column == "sector" and err.value.row == 4
    assert schema_runs == ["clusters"]


def test_a_one_byte_change_that_stays_valid_is_still_fully_validated(
    tmp_path: Path, schema_runs: list[str]
) -> None:
    folder = _copy_data(tmp_path)
    path = folder / "facts.csv"
    path.write_bytes(path.read_bytes() + b"\n")  # a trailing blank line: same rows, new bytes
    load_bundle(folder)
    assert schema_runs == ["facts"]


def test_an_identical_copy_elsewhere_is_vouched_for_by_its_bytes(
    tmp_path: Path, schema_runs: list[str]
) -> None:
    _same_bundle(load_bundle(_copy_data(tmp_path)), load_bundle(use_manifest=False))
    assert schema_runs == list(FILES)  # the full load only


def test_a_stale_or_broken_manifest_vouches_for_nothing(tmp_path: Path) -> None:
    stale = tmp_path / "stale.json"
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    stale.write_text(json.dumps({**manifest, "rules": "0" * 64}), encoding="utf-8")
    assert vouched_files(stale) == {}
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert vouched_files(broken) == {}
    assert vouched_files(tmp_path / "missing.json") == {}
    current = tmp_path / "current.json"
    current.write_text(json.dumps(manifest), encoding="utf-8")
    assert vouched_files(current) == manifest["files"]


def test_write_manifest_refuses_a_folder_that_fails(tmp_path: Path) -> None:
    folder = _copy_data(tmp_path)
    path = folder / "trends.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("ch6.1", "ch6.9", 1), "utf-8")
    target = tmp_path / "validated.json"
    with pytest.raises(DataError):
        write_manifest(target, folder)
    assert not target.exists()


def test_the_rules_fingerprint_covers_the_schema_and_the_pins() -> None:
    assert "components/schemas.py" in data.RULE_SOURCES
    assert {"pandera", "pandas", "pycountry"} <= set(data.RULE_PINS)
    pins = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert all(f"{name}==" in pins for name in data.RULE_PINS)


def test_a_cold_start_of_the_shipped_data_does_not_import_pandera() -> None:
    code = (
        "import sys\n"
        "from components import cached, memo, upload, widgets, data\n"
        "data.load_bundle()\n"
        "assert 'pandera' not in sys.modules, 'pandera imported'\n"
        "upload.columns()\n"
        "assert 'pandera' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=120)
