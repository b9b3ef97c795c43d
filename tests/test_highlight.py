"""Article text as HTML: every piece of text is escaped, spans are marked safely."""
from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atlas_ui.highlight import highlight_html, legend_html

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '<a href="javascript:alert(3)">click</a>',
    '"><svg onload=alert(4)>',
    "' onmouseover='alert(5)",
]


def _text_of(markup: str) -> str:
    """The visible text of our HTML (tags removed, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_text_is_shown_literally(payload):
    text = f"Kazakhstan said {payload} today."
    out = highlight_html(text, [(0, 10, "country", "KAZ")])
    assert "<script" not in out and "<img" not in out and "<svg" not in out and "<a " not in out
    assert _text_of(out) == text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_inside_a_span_and_its_label_is_escaped(payload):
    text = f"X {payload} Y"
    out = highlight_html(text, [(2, 2 + len(payload), "org", payload)])
    assert "<script" not in out and "<img" not in out and "<svg" not in out
    assert _text_of(out) == text
    title = re.search(r'title="([^"]*)"', out).group(1)
    assert html.unescape(title) == f"organisation: {payload}"


@pytest.mark.parametrize("kind", ['country" onclick="alert(1)', "<b>", "figure"])
def test_kind_is_whitelisted(kind):
    out = highlight_html("abc", [(0, 3, kind, "")])
    assert "onclick" not in out and "<b>" not in out
    assert re.search(r'class="hl-(figure|other)"', out)


@pytest.mark.parametrize("spans, marked", [
    ([(0, 10, "country", "KAZ")], ["Kazakhstan"]),
    ([(0, 10, "country", "KAZ"), (14, 18, "date", "2023")], ["Kazakhstan", "2023"]),
    ([(14, 18, "date", "2023"), (0, 10, "country", "KAZ")], ["Kazakhstan", "2023"]),  # any order
    ([(0, 10, "country", "KAZ"), (5, 12, "org", "x")], ["Kazakhstan"]),  # overlap: first wins
    ([(0, 3, "org", ""), (0, 10, "country", "KAZ")], ["Kazakhstan"]),  # same start: longest wins
    ([(-5, 3, "org", "")], ["Kaz"]),  # clipped to the text
    ([(17, 99, "date", "")], ["3."]),
    ([(5, 5, "org", ""), (7, 3, "org", ""), (40, 50, "org", "")], []),  # empty/backwards/outside
    ([("a", "b", "org", ""), (None, 1, "org", ""), (1,), "xx"], []),  # malformed: skipped
])
def test_spans(spans, marked):
    text = "Kazakhstan in 2023."
    out = highlight_html(text, spans)
    assert re.findall(r"<mark[^>]*>(.*?)</mark>", out) == marked
    assert _text_of(out) == text


@pytest.mark.parametrize("text", ["", None, 42, "a\u200fb\u200b\u0301 ７\u00a0000", "x" * 100_000])
def test_odd_text_never_raises(text):
    out = highlight_html(text, [(0, 1, "figure", "1")])
    assert out.startswith('<div class="atlas-article"') and out.endswith("</div>")


def test_legend_names_every_kind():
    assert all(w in legend_html() for w in ("country", "figure", "date", "organisation", "person"))


@settings(max_examples=200, deadline=None)
@given(st.text(), st.lists(st.tuples(st.integers(-5, 80), st.integers(-5, 80),
                                     st.sampled_from(["country", "figure", "x<y"]), st.text())))
def test_any_text_and_spans_keep_the_text_and_never_raise(text, spans):
    out = highlight_html(text, spans)
    assert _text_of(out) == text
    assert out.count("<mark") == out.count("</mark>")


def test_reordering_controls_are_shown_not_obeyed_and_offsets_hold():
    out = highlight_html("Iceland \u202egnp.exe", [(0, 7, "country", "ISL")])
    assert "\u202e" not in out and "\ufffdgnp.exe" in out
    assert '>Iceland</mark>' in out
