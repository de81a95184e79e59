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


def test_the_quick_component_scan_keeps_exactly_what_streamlits_own_test_keeps(
    monkeypatch,  # noqa: ANN001
) -> None:
    from importlib.metadata import distributions

    from streamlit.components.v2 import manifest_scanner

    original = manifest_scanner._is_likely_streamlit_component_package
    monkeypatch.setattr(manifest_scanner, "_is_likely_streamlit_component_package", original)
    assert serve.quick_component_scan()
    assert serve.quick_component_scan()  # a second call changes nothing
    quick = manifest_scanner._is_likely_streamlit_component_package
    assert quick.quick and quick.original is original
    dists = list(distributions())
    assert len(dists) > 20
    kept = {d.name for d in dists if quick(d)}
    assert kept == {d.name for d in dists if original(d)}
    assert "streamlit" in kept
    # what it skips: packages whose metadata never names streamlit (most of them)
    assert sum(serve.mentions_streamlit(d) for d in dists) < len(dists) / 4


def test_the_start_up_banner_asks_no_server_for_the_external_address(monkeypatch) -> None:  # noqa: ANN001
    """A headless server otherwise asks checkip.amazonaws.com for its address (blocking the
    event loop as the first browser connects, and a request leaving an offline machine)."""
    from streamlit import config, net_util
    from streamlit.web import bootstrap

    def no_lookup() -> None:
        raise AssertionError("the banner looked up an IP address")

    monkeypatch.setattr(net_util, "get_external_ip", no_lookup)
    monkeypatch.setattr(net_util, "get_internal_ip", no_lookup)
    printed: list[str] = []
    monkeypatch.setattr(bootstrap.cli_util, "print_to_cli", lambda text, **_: printed.append(text))
    monkeypatch.chdir(ROOT)  # Streamlit reads ./.streamlit/config.toml
    try:
        config.get_config_options(force_reparse=True)
        assert config.is_manually_set("browser.serverAddress")
        config._set_option("server.headless", True, "test")
        bootstrap._print_url(False)
    finally:
        monkeypatch.undo()
        config.get_config_options(force_reparse=True)
    assert any("localhost" in line for line in printed)
