"""A download clicked while the page reran (components/downloads.py), on Streamlit's own media
file manager: the sequence of calls a rerun makes (script_runner.py: ``clear_session_refs`` at a
run's start, ``download_button`` registering its callable, ``remove_orphaned_files`` at its end)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.media_file_storage import MediaFileStorageError
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from components import downloads

COORDS = "1.(2.3).4"


@pytest.fixture
def manager() -> MediaFileManager:
    downloads.keep_replaced_downloads()
    return MediaFileManager(MemoryMediaFileStorage("/media"))


def _run(manager: MediaFileManager, body: bytes) -> str:
    """One run of a page showing one download button; the id the browser receives."""
    manager.clear_session_refs()
    file_id = manager.add_deferred(lambda: body, "text/plain", COORDS, "table.csv")
    manager.remove_orphaned_files()
    return file_id


def test_a_click_on_the_button_of_the_run_before_downloads_that_file(manager) -> None:
    first = _run(manager, b"before the rerun")
    second = _run(manager, b"after the rerun")
    assert first != second  # Streamlit: a new id on every run
    url = manager.execute_deferred(first)  # raised "Deferred file ... not found" before the fix
    file_id = url.rsplit("/", 1)[-1].split(".")[0]
    assert manager.read_file(file_id).content == b"before the rerun"
    second_url = manager.execute_deferred(second)
    assert manager.read_file(second_url.rsplit("/", 1)[-1].split(".")[0]).content == (
        b"after the rerun"
    )


def test_a_forgotten_button_stays_forgotten_after_the_grace(manager, monkeypatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(downloads, "time", SimpleNamespace(monotonic=lambda: now[0]))
    first = _run(manager, b"old")
    _run(manager, b"new")
    now[0] += downloads.GRACE_S + 1
    with pytest.raises(MediaFileStorageError, match="not found"):
        manager.execute_deferred(first)
    _run(manager, b"newer")  # the next sweep lets go of it
    assert first not in manager.__dict__[downloads._KEPT]


def test_a_revived_click_leaves_nothing_registered(manager) -> None:
    first = _run(manager, b"old")
    second = _run(manager, b"new")
    manager.execute_deferred(first)
    manager.execute_deferred(first)  # a second click on the same stale button
    assert set(manager._deferred_callables) == {second}


def test_a_disabled_button_is_revoked_at_once(manager) -> None:
    first = _run(manager, b"data")
    manager.remove_deferred(COORDS)  # what st.download_button(disabled=True) does
    with pytest.raises(MediaFileStorageError, match="not found"):
        manager.execute_deferred(first)


def test_the_patch_is_applied_once() -> None:
    downloads.keep_replaced_downloads()
    patched = MediaFileManager.execute_deferred
    downloads.keep_replaced_downloads()
    assert MediaFileManager.execute_deferred is patched
