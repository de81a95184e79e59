"""Every session reads the same cached dataset object (no copy per rerun): no page may change it."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from components import cached
from components.data import default_data_dir, files_signature, load_bundle
from components.registry import PAGES


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_page_changes_the_shared_dataset(make_app, lang: str) -> None:  # noqa: ANN001
    folder = default_data_dir()
    for spec in PAGES:
        at = make_app(spec.path, lang=lang)
        assert not at.exception, (spec.path, at.exception)
        at.run()  # a rerun reads the cached results of the first
        assert not at.exception, (spec.path, at.exception)
    shared = cached._load(str(folder), files_signature(folder))
    assert shared is cached._load(str(folder), files_signature(folder))  # one object, not copies
    fresh = load_bundle(folder)
    for field in dataclasses.fields(fresh):
        pd.testing.assert_frame_equal(getattr(shared, field.name), getattr(fresh, field.name))
