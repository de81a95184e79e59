"""Start Cluster Atlas: ``python serve.py [flags]`` is ``streamlit run app.py [flags]`` (the same
flags, ``.streamlit/config.toml`` read the same way: run it from the repository root), with the
first page's work begun while the server starts.

Streamlit imports a page's modules and loads its data only when the first browser's script run
begins, after the server has started and the browser has fetched and evaluated the app's code.
Here a thread (``components.warmup.start_prestart``) does that work as soon as the server
listens: pandas, plotly, pydeck and the app's modules imported, the shipped data loaded and
validated, the first page's results computed. The first run (``app.py``) waits for it instead of
doing it again. ``streamlit run app.py`` still works, only its first page comes later.
"""

from __future__ import annotations

import runpy
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent
APP = ROOT / "app.py"


def streamlit_argv(flags: Sequence[str]) -> list[str]:
    """The ``sys.argv`` Streamlit's CLI sees: ``streamlit run <app.py> <flags>``."""
    return ["streamlit", "run", str(APP), *flags]


def main(flags: Sequence[str]) -> None:
    """Start the prestart thread, then Streamlit's own CLI in this (main) thread: as supported,
    ``python -m streamlit`` run as a module (its signal handling needs the main thread)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    # Streamlit itself first (imported by this module anyway): the thread then imports only what
    # the server does not, and begins when the server listens.
    from components.warmup import start_prestart

    start_prestart()
    sys.argv = streamlit_argv(flags)
    runpy.run_module("streamlit", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
