"""Reading articles from every supported format and encoding (the good paths).

Every input is made here; texts are written for the tests, not taken from sample articles.
"""
from __future__ import annotations

import json
import zipfile

import pytest

from data_prep.ingest.decoding import clean_text, decode
from data_prep.ingest.html_text import html_to_text, iso_date
from data_prep.identity import article_id
from data_prep.ingest.reading import markdown_text, read_paths, read_upload
from data_prep.records import RawArticle, ReadProblem
from files_support import make_zip


def articles(items):
    return [x for x in items if isinstance(x, RawArticle)]


def problems(items):
    return [x for x in items if isinstance(x, ReadProblem)]


def one_article(name, data):
    items = list(read_upload(name, data))
    found = articles(items)
    assert len(found) == 1, items
    return found[0], problems(items)




# ------------------------------------------------------------------------ encodings

ENCODED = [
    # (sentence, encoding) -- one per script / code page family we promise to read
    ("Kazakhstan and China signed 12 agreements worth $1.5 billion.", "utf-8"),
    ("Казахстан и Китай подписали 12 соглашений.", "utf-8-sig"),
    ("Казахстан и Китай подписали 12 соглашений на сумму 1,5 млрд долларов.", "utf-16"),
    ("Kazakhstan and China signed 12 agreements in Astana on Tuesday.", "utf-16-le"),
    ("Kazakhstan and China signed 12 agreements in Astana on Tuesday.", "utf-16-be"),
    ("Россия и Казахстан договорились расширить торговлю зерном.", "utf-16-le"),
    ("Россия и Казахстан договорились расширить торговлю зерном и углём.", "cp1251"),
    ("Україна та Польща підписали угоду про співпрацю в енергетиці.", "cp1251"),
    ("Привет мир", "cp1251"),
    ("Le président a signé un accord de coopération avec le Sénégal à Dakar.", "cp1252"),
    ("La reunión en España con México, año 2023 – “acuerdo” firmado.", "cp1252"),
    ("Deutschland und Österreich unterzeichnen ein Abkommen über Straßen.", "latin-1"),
    ("Współpraca gospodarcza między Polską a Łotwą została podpisana.", "cp1250"),
    ("Česká republika a Slovensko podepsaly dohodu o spolupráci.", "cp1250"),
    ("Türkiye ile Azerbaycan arasında işbirliği anlaşması imzalandı.", "cp1254"),
    ("Η Ελλάδα και η Κύπρος υπέγραψαν συμφωνία συνεργασίας.", "cp1253"),
    ("Lietuva ir Latvija pasirašė bendradarbiavimo sutartį dėl energetikos.", "cp1257"),
    ("Россия и Казахстан подписали соглашение о торговле.", "koi8_r"),
    ("وقعت مصر والسعودية اتفاقية تعاون اقتصادي في مجال الطاقة", "cp1256"),
    ("中国与哈萨克斯坦签署了合作协议，双方同意扩大贸易。", "gb18030"),
    ("日本と中国は貿易協定に署名しました。", "shift_jis"),
    ("café", "cp1252"),
]


@pytest.mark.parametrize("sentence,encoding", ENCODED)
def test_common_encodings_decode_exactly(sentence, encoding):
    article, found = one_article("a.txt", sentence.encode(encoding))
    assert article.text == sentence
    assert found == []


@pytest.mark.parametrize("raw,expected", [
    ("a\r\nb\rc", "a\nb\nc"),
    ("nul\x00here", "nulhere"),
    ("bell\x07 esc\x1b tab\tkept", "bell esc tab\tkept"),
    ("page\x0cbreak", "page\nbreak"),
    # Unicode oddities pass through unchanged
    ("\u200fRTL mark \u200b zero width \u2060 joiner", "\u200fRTL mark \u200b zero width \u2060 joiner"),
    ("e\u0301 combining and \uff11\uff12 full-width", "e\u0301 combining and \uff11\uff12 full-width"),
    ("1\u00a0000\u202f000 NBSP in numbers", "1\u00a0000\u202f000 NBSP in numbers"),
    ("\ufeffBOM-like char kept mid\ufefftext", "\ufeffBOM-like char kept mid\ufefftext"),
])
def test_clean_text(raw, expected):
    assert clean_text(raw) == expected


def test_oddities_survive_reading_a_file():
    text = "\u200fمصر\u200f and \u200bChina: \uff11\uff12\u00a0% rise, cafe\u0301.\r\n"
    article, _ = one_article("odd.txt", text.encode("utf-8"))
    assert article.text == text.replace("\r\n", "\n")


@pytest.mark.parametrize("data,encoding", [
    ("plain ascii".encode(), "utf-8"),
    ("Привет".encode("utf-16"), "utf-16-le"),
    ("Россия и Казахстан подписали соглашение".encode("cp1251"), "cp1251"),
])
def test_decode_reports_encoding(data, encoding):
    assert decode(data).encoding == encoding


def test_mixed_utf8_and_legacy_lines_both_readable():
    data = "Москва — столица\n".encode("utf-8") + "Россия и Казахстан подписали\n".encode("cp1251")
    article, found = one_article("mixed.txt", data)
    assert article.text == "Москва — столица\nРоссия и Казахстан подписали\n"
    assert any("mixed encodings" in p.message and "cp1251" in p.message for p in found)


# ------------------------------------------------------------------------ txt, md


def test_txt_doc_is_file_name_and_origin_is_path(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text("Astana hosted talks.", encoding="utf-8")
    [article] = list(read_paths([folder / "one.txt"]))
    assert article.doc == "one.txt"
    assert article.text == "Astana hosted talks."
    assert article.origin == str(folder / "one.txt")
    assert article.title is None and article.published is None


@pytest.mark.parametrize("markdown,text,title", [
    ("# Deal signed\n\nSee [the report](http://example.com/a_(b)) now.",
     "Deal signed\n\nSee the report now.", "Deal signed"),
    ("Intro ![map](http://img.example/x.png) end", "Intro  end", None),
    ("Ref [link][1] here.\n\n[1]: http://example.com/ref\n", "Ref link here.\n\n", None),
    ("Auto <https://example.com/x> gone", "Auto  gone", None),
    ("## Sub heading\n**Bold** words", "Sub heading\nBold words", None),
    ("Price 5 * 3 = 15 and a_b_c", "Price 5 * 3 = 15 and a_b_c", None),
])
def test_markdown_text(markdown, text, title):
    assert markdown_text(markdown) == (text, title)


def test_md_file_has_no_urls():
    article, _ = one_article("n.md", b"# Title\n\nText with [a link](https://x.example/p?q=1).")
    assert "https" not in article.text and "a link" in article.text
    assert article.title == "Title"


# ------------------------------------------------------------------------ html

PAGE = """<!DOCTYPE html><html><head><title>Uzbekistan and Oman sign deal | Daily Wire Site</title>
<meta property="article:published_time" content="2024-03-05T23:30:00-05:00">
<meta property="og:site_name" content="Daily Wire Site">
<link rel="canonical" href="https://news.example/deal">
<script>document.write("<p>script text</p>")</script><style>p {color: red}</style></head>
<body><header><nav><a href="/">Home</a> <a href="/world">France</a></nav></header>
<div class="cookie-banner">We use cookies</div>
<main><article><h1>Uzbekistan and Oman
   sign deal</h1>
<p>First paragraph with <b>bold</b> and <a href="https://x.example">a link</a>.<br>Line two.</p>
<!-- hidden comment -->
<p>Trade reached $1.2&nbsp;billion &amp; rising.</p>
<form><input value="search"></form>
<aside>Related: Germany</aside><div class="related-stories"><a>Japan news</a></div>
<ul><li>one</li><li>two</li></ul></article></main>
<footer>Copyright Chile</footer></body></html>"""


def test_html_main_text_title_date_url_source():
    article, found = one_article("page.html", PAGE.encode("utf-8"))
    assert found == []
    assert article.text == (
        "Uzbekistan and Oman sign deal\n\n"
        "First paragraph with bold and a link.\nLine two.\n\n"
        "Trade reached $1.2\u00a0billion & rising.\n\none\ntwo"
    )
    assert article.title == "Uzbekistan and Oman sign deal"
    assert article.published == "2024-03-05"
    assert article.url == "https://news.example/deal"
    assert article.source == "Daily Wire Site"


@pytest.mark.parametrize("markup,title,published", [
    ("<html><head><title>Talks resume - Site</title></head><body><p>Body text</p></body></html>",
     "Talks resume", None),
    ("<article><time datetime='2023-11-28T10:00'>28 Nov</time><p>x</p></article>", None,
     "2023-11-28"),
    ('<script type="application/ld+json">{"datePublished": "2022-08-17T15:42:00+06:00"}'
     "</script><p>x</p>", None, "2022-08-17"),
    ("<meta name='pubdate' content='20210102'><p>x</p>", None, "2021-01-02"),
    # a site logo in an <h1> of the page header is not the title
    ("<header><h1>Site Logo</h1></header><meta property='og:title' content='Real title'>"
     "<p>x</p>", "Real title", None),
    ("<header><h1>Site Logo</h1></header><div><h1>Story title</h1><p>x</p></div>",
     "Story title", None),
    ("<meta itemprop='datePublished' content='bad date'><p>x</p>", None, None),
    ("<div><time datetime='2020-01-01'>clock</time></div><p>x</p>", None, "2020-01-01"),
    # the page header's clock is today, not the article's date
    ("<header><time datetime='2026-11-23'>today</time></header><p>x</p>", None, None),
    ("<meta name='date' content='soon'><meta name='pubdate' content='2019-05-06'><p>x</p>",
     None, "2019-05-06"),
])
def test_html_metadata(markup, title, published):
    page = html_to_text(markup)
    assert page.title == title
    assert page.published == published


def test_html_declared_charset_used():
    page = ('<html><head><meta charset="windows-1251"></head><body><p>Минск и Ереван '
            'подписали соглашение.</p></body></html>').encode("cp1251")
    article, _ = one_article("ru.htm", page)
    assert article.text == "Минск и Ереван подписали соглашение."


def test_html_pre_keeps_lines_and_table_cells_are_spaced():
    page = html_to_text("<pre>a  b\nc</pre><table><tr><td>x</td><td>y</td></tr></table>")
    assert page.text == "a b\nc\n\nx y"


def test_unknown_extension_with_html_content_is_read_as_html():
    article, _ = one_article("page.php", b"<!doctype html><html><body><p>Hello</p>"
                                         b"<script>x()</script></body></html>")
    assert article.text == "Hello"


# ------------------------------------------------------------------------ tables


@pytest.mark.parametrize("header", ["text", "Body", "CONTENT", "article", "full_text",
                                    "Full Text", "story"])
def test_csv_text_column_names(header):
    data = f"id,{header}\n1,Chile and Peru agreed.\n".encode()
    article, _ = one_article("rows.csv", data)
    assert article.text == "Chile and Peru agreed."
    assert article.doc == "rows.csv#1"


def test_csv_metadata_columns_and_multiline_cells():
    data = ("Headline;Date;Link;Publisher;Body\n"
            'T1;28.11.2023;https://a.example/1;Wire;"Line one\r\nline two; with semicolon"\n'
            "T2;2024-01-02T08:00:00Z;;;Second\n").encode("utf-8")
    items = list(read_upload("export.csv", data))
    first, second = articles(items)
    assert first == RawArticle("export.csv#1", "Line one\nline two; with semicolon", "T1",
                               "2023-11-28", "https://a.example/1", "Wire", "export.csv")
    assert (second.doc, second.text, second.published, second.url) == (
        "export.csv#2", "Second", "2024-01-02", None)


def test_tsv_and_html_cell():
    data = b"title\tcontent\nA\t<p>Para <b>one</b></p><p>Para two</p>\n"
    article, _ = one_article("feed.tsv", data)
    assert article.text == "Para one\n\nPara two"
    assert article.title == "A"


def test_jsonl_docs_are_line_numbers():
    lines = [{"text": "first"}, None, {"Body": "third", "publishedAt": 1701129600,
                                        "source": {"id": None, "name": "Agency"}}]
    data = "\n".join("" if x is None else json.dumps(x) for x in lines).encode()
    first, third = articles(read_upload("a.jsonl", data))
    assert (first.doc, first.text) == ("a.jsonl#1", "first")
    assert (third.doc, third.text, third.published, third.source) == (
        "a.jsonl#3", "third", "2023-11-28", "Agency")


@pytest.mark.parametrize("payload,docs,texts", [
    ([{"text": "a"}, {"content": "b"}], ["x.json#1", "x.json#2"], ["a", "b"]),
    ({"articles": [{"story": "c", "title": "T"}]}, ["x.json#1"], ["c"]),
    ({"text": "single", "title": "S"}, ["x.json"], ["single"]),
    ([{"content": {"rendered": "<p>wp</p>"}}], ["x.json#1"], ["wp"]),
    ([{"text": ["para 1", "para 2"]}], ["x.json#1"], ["para 1\n\npara 2"]),
])
def test_json_shapes(payload, docs, texts):
    found = articles(read_upload("x.json", json.dumps(payload).encode()))
    assert [a.doc for a in found] == docs
    assert [a.text for a in found] == texts


# ------------------------------------------------------------------------ zip, folders


def test_zip_members_sorted_named_and_nested_one_level():
    inner = make_zip([("deep.txt", "inner text")])
    data = make_zip([
        ("z/last.txt", "last"), ("a/first.md", "first"), ("rows.csv", "text\nrow one\n"),
        ("inner.zip", inner), (".hidden.txt", "no"), ("__MACOSX/a/._first.md", "no"),
        ("dir/", ""),
    ])
    found = list(read_upload("bundle.zip", data))
    assert [(a.doc, a.text) for a in articles(found)] == [
        ("bundle.zip:a/first.md", "first"),
        ("bundle.zip:inner.zip:deep.txt", "inner text"),
        ("bundle.zip:rows.csv#1", "row one"),
        ("bundle.zip:z/last.txt", "last"),
    ]
    assert problems(found) == []
    assert all(a.origin == "bundle.zip" for a in articles(found))


def test_stored_zip_and_utf8_member_names():
    data = make_zip([("Казахстан.txt", "text")], zipfile.ZIP_STORED)
    article, _ = one_article("b.zip", data)
    assert article.doc == "b.zip:Казахстан.txt"


def test_folder_recursive_sorted_hidden_skipped(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "2.txt").write_text("two")
    (tmp_path / "b" / "1.txt").write_text("one")
    (tmp_path / "a.txt").write_text("zero")
    (tmp_path / ".secret.txt").write_text("hidden")
    (tmp_path / ".git" / "c.txt").write_text("hidden")
    found = list(read_paths([tmp_path]))
    assert [(a.doc, a.text) for a in found] == [("a.txt", "zero"), ("1.txt", "one"),
                                                ("2.txt", "two")]
    # a single path given as a string is a path, not a list of characters
    assert [a.text for a in read_paths(str(tmp_path / "a.txt"))] == ["zero"]


# ------------------------------------------------------------------------ identity, dates


@pytest.mark.parametrize("a,b,same", [
    ("Astana hosted talks.", "Astana hosted talks.", True),
    ("Astana hosted\r\n talks.\n", "  Astana hosted talks.", True),
    ("\uff11\uff12 projects", "12 projects", True),  # NFKC
    ("cafe\u0301", "café", True),
    ("Astana hosted talks.", "astana hosted talks.", False),  # case kept
    ("Astana hosted talks.", "Astana hosted talks!", False),
])
def test_article_id(a, b, same):
    assert (article_id(a) == article_id(b)) is same
    assert len(article_id(a)) == 16 and int(article_id(a), 16) >= 0


def test_same_article_in_two_files_same_id(tmp_path):
    (tmp_path / "x.txt").write_bytes("Минск, 2 мая.\r\nТекст.".encode("cp1251"))
    (tmp_path / "y.md").write_bytes("\ufeffМинск, 2 мая.\nТекст.".encode("utf-8"))
    x, y = read_paths([tmp_path])
    assert x.doc != y.doc and article_id(x.text) == article_id(y.text)


@pytest.mark.parametrize("value,expected", [
    ("2023-11-28T23:30:00-05:00", "2023-11-28"),
    ("2023/11/28", "2023-11-28"),
    ("28.11.2023", "2023-11-28"),
    ("02.01.2024", "2024-01-02"),  # day first
    ("11/28/2023", "2023-11-28"),
    ("28/11/2023", "2023-11-28"),
    ("03/04/2023", None),  # ambiguous
    ("Nov 28, 2023", "2023-11-28"),
    ("28 November 2023", "2023-11-28"),
    ("Tue, 28 Nov 2023 10:00:00 GMT", "2023-11-28"),
    (1701129600, "2023-11-28"),
    (1701129600000, "2023-11-28"),
    ("20231128", "2023-11-28"),
    ("2023-02-30", None),
    ("yesterday", None),
    ("", None),
    (None, None),
    (True, None),
])
def test_iso_date(value, expected):
    assert iso_date(value) == expected


def test_json_lines_saved_as_json():
    found = list(read_upload("x.json", b'{"text": "a"}\n{"text": "b"}\n'))
    assert [(a.doc, a.text) for a in found] == [("x.json#1", "a"), ("x.json#2", "b")]


@pytest.mark.parametrize("markup,text", [
    # a wrapper whose class names look like furniture must not hide the whole page (the
    # page is then read without class hints, the sidebar included)
    ('<body><div class="page has-sidebar"><p>' + "Long paragraph text. " * 20 + "</p></div>"
     '<div class="sidebar">Side</div></body>', ("Long paragraph text. " * 20).strip()
     + "\n\nSide"),
    ('<div class="content"><p>Main text</p><div class="share-buttons">Share</div>'
     '<div hidden>Hidden</div><div style="display: none">None</div></div>', "Main text"),
    ('<div itemprop="articleBody"><p>Body only</p></div><div><p>Outside</p></div>',
     "Body only"),
    ('<article><p>Short teaser</p></article><article><p>The longer main story.</p>'
     "</article>", "The longer main story."),
])
def test_html_main_container_and_furniture(markup, text):
    assert html_to_text(markup).text == text
