"""``serve.py``, the launcher: ``streamlit run app.py`` with the same flags, and the one way the
app is started everywhere (make, README, the image, the local replicas, benchmarks, browser tests),
so what is measured and tested is what users run."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))

from appserver import streamlit_command  # noqa: E402
from emulate_image import parse_dockerfile  # noqa: E402

import serve  # noqa: E402


def test_the_cli_sees_streamlit_run_app_py_with_the_flags_unchanged() -> None:
    flags = ["--server.port", "8502", "--server.headless=true"]
    assert serve.streamlit_argv(flags) == ["streamlit", "run", str(ROOT / "app.py"), *flags]


def test_every_start_of_the_app_goes_through_serve_py() -> None:
    assert streamlit_command(8501)[1] == str(ROOT / "serve.py")
    make_run = re.search(r"^run:.*\n\t(.+)$", (ROOT / "Makefile").read_text(), re.M)
    assert make_run and "serve.py" in make_run.group(1)
    assert "streamlit run" not in make_run.group(1)
    image = parse_dockerfile((ROOT / "deploy" / "Dockerfile").read_text())
    assert image["cmd"][:2] == ["python", "serve.py"]
    assert "serve.py" in image["copy"]
    assert "!serve.py" in (ROOT / "deploy" / "Dockerfile.dockerignore").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "python serve.py" in readme
    assert "streamlit run app.py   " not in readme  # the run command itself
    conftest = (ROOT / "tests" / "browser" / "conftest.py").read_text()
    assert 'str(ROOT / "serve.py")' in conftest
