"""Untrusted text stays text: the inert helpers (table of hostile strings -> what is shown),
and a walk over the app's source that fails when content reaches a Markdown or HTML renderer
any other way than through `atlas_ui.inert`."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from atlas_ui import inert

ROOT = Path(__file__).resolve().parent.parent
# Streamlit calls that render their text argument as Markdown (or HTML).
RENDERERS = {"markdown", "header", "subheader", "title", "caption", "toast", "info", "warning",
             "error", "success", "write", "html", "latex", "exception", "code", "text"}
# Keyword arguments Streamlit renders as Markdown: tooltips, progress and status text, labels.
MARKDOWN_KEYWORDS = {"help", "text", "label", "body"}
INERT_FUNCS = {"md", "markdown", "progress_text", "label", "chart_text"}
# Plotly calls: their text is made inert by `inert.chart_text`, checked in test_charts.py.
PLOTLY_RECEIVERS = {"go", "fig", "px"}


@pytest.mark.parametrize("text", [
    "[click](http://evil.example/login)",
    "see http://evil.example/login and www.evil.example",
    "<a href='http://evil.example'>x</a> <img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "**bold** _em_ `code` ~~gone~~ # not a heading",
    "1. not a list\n- nor this\n> nor a quote",
    "    not a code block",
    ":red[coloured] :material/home: $x^2$ | a | table |",
    "mail me@evil.example",
    "Қазақстан 中国 مرحبا 👍",
])
def test_md_shows_the_text_as_written(text):
    shown = inert.md(text)
    assert inert.shown(shown) == text  # the same characters come back
    # nothing a Markdown parser could read as markup is left unescaped
    assert not re.search(r"[!-/:-@\[-`{-~]", re.sub(r"\\[!-/:-@\[-`{-~]", "", shown))
    # Streamlit links addresses after resolving escapes: a joiner must sit inside each one
    assert not re.search(r"https?\\:\\/|www\\\.|\\@[\w-]", shown)


def test_md_keeps_line_breaks_and_leading_spaces_as_text():
    shown = inert.md("one\ntwo\n    three")
    assert shown == "one  \ntwo  \n\u00a0\u00a0\u00a0\u00a0three"


@pytest.mark.parametrize("value, expected", [
    ("abc\u202egnp.exe", "abcgnp.exe"),  # a right-to-left override would reorder the name
    ("zero\u200bwidth\u2060join\ufeff", "zerowidthjoin"),
    ("line\nbreaks\tand  spaces", "line breaks and spaces"),
    ("مرحبا Қазақстан 中国 👍", "مرحبا Қазақстан 中国 👍"),  # scripts and emoji are kept
    (None, ""),
    (float("nan"), ""),
])
def test_label_drops_hidden_and_reordering_characters(value, expected):
    assert inert.label(value) == expected


def test_label_cuts_long_text():
    assert inert.label("x" * 5000, 40) == "x" * 39 + "…"


@pytest.mark.parametrize("value, expected", [
    ("<a href='http://evil.example'>x</a>", "&lt;a href=&#x27;http://evil.example&#x27;&gt;x&lt;/a&gt;"),
    (["Kenya", None, "<b>Peru</b>"], "Kenya; &lt;b&gt;Peru&lt;/b&gt;"),
    ("a\u202eb", "ab"),
])
def test_chart_text_is_escaped_for_plotly(value, expected):
    assert inert.chart_text(value) == expected


def test_markdown_fills_a_template_with_inert_values():
    assert inert.markdown("**Filtered:** {words}", words="[x](http://e.example)") == \
        "**Filtered:** \\[x\\]\\(http\\:\u2060\\/\\/e\\.example\\)"


@pytest.mark.parametrize("url, expected", [
    ("https://news.example/a?b=1#c", "https://news.example/a?b=1#c"),
    ("HTTP://news.example/a", "http://news.example/a"),
    ("javascript:alert(1)", None),
    ("data:text/html,<script>", None),
    ("//news.example/a", None),
    ("http://", None),
    ("vbscript:x", None),
    (" java\u200bscript:alert(1)", None),
])
def test_only_http_links_are_made(url, expected):
    assert inert.safe_url(url) == expected


# ---------------------------------------------------------------------------- source walk

def _sources() -> list[Path]:
    files = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "atlas_ui").glob("*.py"))]
    return [f for f in files if f.name != "inert.py"]


def _is_inert_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
        and isinstance(node.func.value, ast.Name) and node.func.value.id == "inert" \
        and node.func.attr in INERT_FUNCS


def _app_made(node: ast.AST) -> bool:
    """A literal, a module constant (UPPER_CASE), a `.help` text of the filter table, an inert
    call, or a join/choice of those."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, (str, int, float)) or node.value is None
    if isinstance(node, ast.Name):
        return node.id.isupper()
    if isinstance(node, ast.Attribute):
        return node.attr.isupper() or node.attr == "help"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _app_made(node.left) and _app_made(node.right)
    if isinstance(node, ast.IfExp):
        return _app_made(node.body) and _app_made(node.orelse)
    return _is_inert_call(node)


def _violations(path: Path, root: Path = ROOT) -> list[str]:
    out = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else ""
        receiver = node.func.value.id if name and isinstance(node.func.value, ast.Name) else ""
        if receiver == "inert" or receiver in PLOTLY_RECEIVERS:
            continue  # the one way: it makes every value inert itself; plotly: see above
        where = f"{path.relative_to(root)}:{node.lineno}"
        for kw in node.keywords:
            if kw.arg == "unsafe_allow_html":
                out.append(f"{where}: unsafe_allow_html outside atlas_ui/inert.py")
            elif kw.arg in MARKDOWN_KEYWORDS and not _app_made(kw.value) and name != "text_input":
                out.append(f"{where}: {kw.arg}= of .{name}() is not app-made text")
        if name in RENDERERS and node.args and not _app_made(node.args[0]) \
                and receiver not in ("_log", "_LOG", "logging"):
            out.append(f"{where}: .{name}() is given text that is not app-made: use atlas_ui.inert")
    return out


def test_no_source_route_from_content_to_a_renderer():
    problems = [v for f in _sources() for v in _violations(f)]
    assert problems == []


def test_the_source_walk_catches_a_direct_route(tmp_path):
    bad = tmp_path / "page.py"
    bad.write_text("import streamlit as st\n"
                   "st.subheader(row['title'])\n"
                   "st.warning(f'Unknown {value}')\n"
                   "st.markdown(html, unsafe_allow_html=True)\n"
                   "st.progress(0.5, text=f'{doc}')\n"
                   "st.info('A literal is fine')\n"
                   "st.caption(inert.md(value))\n", encoding="utf-8")
    found = _violations(bad, tmp_path)
    assert sorted({line.split(":")[1] for line in found}) == ["2", "3", "4", "5"]
