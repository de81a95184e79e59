"""URL-state parsing never raises and reports what it dropped."""

from __future__ import annotations

from components import urlstate as u


def test_choice() -> None:
    assert u.parse_choice(None, ["a", "b"], "a") == u.Parsed("a")
    assert u.parse_choice("b", ["a", "b"], "a") == u.Parsed("b")
    assert u.parse_choice("zz", ["a", "b"], "a") == u.Parsed("a", ("zz",))


def test_multi_keeps_option_order_and_reports_unknowns() -> None:
    p = u.parse_multi("nev,bogus,biomed,nev", ["biomed", "nev", "x"])
    assert p.value == ("biomed", "nev")
    assert p.rejected == ("bogus",)
    assert u.parse_multi("", ["a"]) == u.Parsed(())
    assert u.parse_multi(" , ,", ["a"]) == u.Parsed(())


def test_text_strips_control_characters_and_caps_length() -> None:
    assert u.parse_text("Basel") == u.Parsed("Basel")
    p = u.parse_text("a\x00b\nc")
    assert p.value == "abc" and p.rejected
    assert len(u.parse_text("x" * 500).value) == u.MAX_TEXT


def test_slug() -> None:
    slug = "basel-health-valley"
    assert u.parse_slug(slug, [slug]).value == slug
    assert u.parse_slug("<script>", None) == u.Parsed(None, ("<script>",))
    assert u.parse_slug("unknown-id", ["a"]) == u.Parsed(None, ("unknown-id",))
    assert u.parse_slug(None) == u.Parsed(None)


def test_encode_and_default() -> None:
    assert u.encode(("a", "b")) == "a,b"
    assert u.encode(None) == ""
    assert u.is_default((), ())
    assert u.is_default(["a"], ("a",))
    assert not u.is_default("en", "zh")


VALID = {"a", "b", "c"}.__contains__


def test_click_from_url_then_chart_then_elsewhere() -> None:
    state, rejected = u.next_click(u.Click(), "a", [], VALID)  # a shared link
    assert state.value == "a" and state.url == "a" and rejected == ()
    state, _ = u.next_click(state, "a", ["b"], VALID)  # a click on the chart
    assert state.value == "b" and state.seen == ("b",)
    # The chart re-sends the same selection on every rerun: it must not undo a choice made in a
    # list (set_click resets ``seen`` and the value).
    state = u.Click(value="c", url=state.url, seen=("b",))
    state, _ = u.next_click(state, "b", ["b"], VALID)
    assert state.value == "c"


def test_click_url_without_param_keeps_the_value() -> None:
    state = u.Click(value="a", url="a")
    state, _ = u.next_click(state, None, [], VALID)  # page reopened from the sidebar
    assert state.value == "a"


def test_click_bad_url_value_is_rejected_and_value_kept() -> None:
    state, rejected = u.next_click(u.Click(value="a", url="a"), "zzz", [], VALID)
    assert state.value == "a" and rejected == ("zzz",)


def test_click_url_only_leads_on_a_visits_first_run_or_back() -> None:
    """In a rerun within a visit the browser may send its URL from before our last write: the
    remembered value stands (a click is not undone), and a bad value there is not reported."""
    state = u.Click(value="b", url="b", seen=("b",))
    stale, rejected = u.next_click(state, "a", ["b"], VALID, url_leads=False)
    assert stale.value == "b" and stale.url == "b" and rejected == ()
    _, rejected = u.next_click(state, "zzz", ["b"], VALID, url_leads=False)
    assert rejected == ()
    back, _ = u.next_click(state, "a", ["b"], VALID, url_leads=True)  # Back, or a link
    assert back.value == "a"
    # A new chart selection still wins in any run.
    new, _ = u.next_click(state, "a", ["c"], VALID, url_leads=False)
    assert new.value == "c"


def test_click_empty_selection_does_not_clear() -> None:
    state, _ = u.next_click(u.Click(value="a", url="a", seen=("a",)), "a", [], VALID)
    assert state.value == "a" and state.seen == ()
    state, _ = u.next_click(state, "a", ["zz", "b"], VALID)  # unknown picks are skipped
    assert state.value == "b"
