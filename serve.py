"""Start Cluster Atlas: ``python serve.py [flags]`` is ``streamlit run app.py [flags]`` (the same
flags, ``.streamlit/config.toml`` read the same way: run it from the repository root), with the
first page's work begun while the server starts.

Streamlit imports a page's modules and loads its data only when the first browser's script run
begins, after the server has started and the browser has fetched and evaluated the app's code.
Here a thread (``components.warmup.start_prestart``) does that work as soon as the server
listens: pandas, plotly, pydeck and the app's modules imported, the shipped data loaded and
validated, the first page's results computed. The first run (``app.py``) waits for it instead of
doing it again. ``streamlit run app.py`` still works, only its first page comes later.

Before the server answers, Streamlit parses the metadata of every installed package to find
custom components; :func:`quick_component_scan` skips the packages that cannot be one.
"""

from __future__ import annotations

import gc
import logging
import runpy
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import Distribution
from pathlib import Path

ROOT = Path(__file__).resolve().parent
APP = ROOT / "app.py"


def streamlit_argv(flags: Sequence[str]) -> list[str]:
    """The ``sys.argv`` Streamlit's CLI sees: ``streamlit run <app.py> <flags>``."""
    return ["streamlit", "run", str(APP), *flags]


log = logging.getLogger(__name__)


def mentions_streamlit(dist: Distribution) -> bool:
    """Whether a distribution's metadata file says "streamlit" anywhere (read as text, not
    parsed): a package whose metadata never does cannot pass Streamlit's own test for a
    custom-component package (its name, summary or a requirement naming streamlit)."""
    try:
        text = dist.read_text("METADATA") or dist.read_text("PKG-INFO")
    except OSError:
        return True  # unreadable here: let Streamlit's own test decide
    return text is None or "streamlit" in text.lower()


def quick_component_scan() -> bool:
    """Streamlit 1.67 looks for custom-component packages before its server answers, parsing
    the metadata of every installed distribution (71 in the test environment: 0.3-0.6 s of the
    start on 2 cores). Skip the distributions :func:`mentions_streamlit` rules out; Streamlit's
    own test still decides for the rest, so the same packages are found
    (``tests/unit/test_serve.py`` compares both on every installed distribution). False, and
    nothing changed, where that test is not found (another Streamlit version)."""
    try:
        from streamlit.components.v2 import manifest_scanner
    except ImportError:
        return False
    original: Callable[[Distribution], bool] | None = getattr(
        manifest_scanner, "_is_likely_streamlit_component_package", None
    )
    if original is None or getattr(original, "quick", False):
        return original is not None

    def likely(dist: Distribution) -> bool:
        return mentions_streamlit(dist) and original(dist)

    likely.quick = True  # type: ignore[attr-defined]
    likely.original = original  # type: ignore[attr-defined]
    manifest_scanner._is_likely_streamlit_component_package = likely
    return True


def main(flags: Sequence[str]) -> None:
    """Start the prestart thread, then Streamlit's own CLI in this (main) thread: as supported,
    ``python -m streamlit`` run as a module (its signal handling needs the main thread)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    # No cyclic collections while Streamlit and then the first page's modules are imported: they
    # walk the same live objects again and again (components.warmup.collector_paused). The
    # prestart thread turns the collector on again when it ends.
    gc.disable()
    # Streamlit itself first (imported by this module anyway): the thread then imports only what
    # the server does not, and begins when the server listens.
    from components.warmup import start_prestart

    if not quick_component_scan():
        log.info("Streamlit's component scan not found: started without the quick scan")
    start_prestart(resume_gc=True)
    sys.argv = streamlit_argv(flags)
    runpy.run_module("streamlit", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
