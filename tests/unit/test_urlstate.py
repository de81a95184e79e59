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
