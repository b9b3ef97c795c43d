"""Bad input: every case is a real file made here, read in a batch beside a good file.

Each case asserts the problem message and that the good article of the same batch is
still returned, so one bad file never takes the batch down.
"""
from __future__ import annotations

import os
import struct
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data_prep.ingest import limits
from data_prep.ingest.decoding import decode
from data_prep.ingest.html_text import html_to_text, iso_date
from data_prep.identity import article_id
from data_prep.ingest.reading import read_paths, read_upload
from data_prep.records import RawArticle, ReadProblem
from files_support import make_zip

GOOD = "Brazil and Argentina signed a trade agreement in Buenos Aires."
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256)) * 4




def patch_zip(data, name, *, size=None, flags=None):
    """Rewrite the header fields of one member (a lying or encrypted zip)."""
    data = bytearray(data)
    encoded = name.encode()
    for sig, name_len_at, name_at, size_at, flag_at in ((b"PK\x03\x04", 26, 30, 22, 6),
                                                        (b"PK\x01\x02", 28, 46, 24, 8)):
        start = data.find(sig)
        while start >= 0:
            length = struct.unpack_from("<H", data, start + name_len_at)[0]
            if data[start + name_at:start + name_at + length] == encoded:
                if size is not None:
                    struct.pack_into("<I", data, start + size_at, size)
                if flags is not None:
                    struct.pack_into("<H", data, start + flag_at, flags)
            start = data.find(sig, start + 4)
    return bytes(data)


def batch(tmp_path, name, data):
    """Read a folder holding a good file and the bad one."""
    (tmp_path / "0_good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / name).write_bytes(data)
    items = list(read_paths([tmp_path]))
    good = [x for x in items if isinstance(x, RawArticle) and x.doc == "0_good.txt"]
    assert [g.text for g in good] == [GOOD], items
    assert all(isinstance(x, (RawArticle, ReadProblem)) for x in items)
    return items


def messages(items):
    return [p.message for p in items if isinstance(p, ReadProblem)]


def docs(items):
    return [a.doc for a in items if isinstance(a, RawArticle)]


BAD_FILES = [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\t\r\n ", "empty file (only whitespace)"),
    ("picture.png", PNG, "binary content (PNG image), not text"),
    ("renamed.txt", PDF, "binary content (PDF document), not text"),
    ("report.pdf", b"not really a pdf", "binary content (PDF document), not text"),
    ("letter.docx", make_zip([("word/document.xml", "<w/>")]),
     "binary content (Word document), not text"),
    ("noise.txt", bytes((i * 7919 + 13) % 256 for i in range(20000)),
     "binary content, not text"),
    ("nulls.dat", b"\x00" * 5000, "binary content, not text"),
    ("bytes.unknown", bytes(range(256)) * 50, "binary content, not text"),
    ("nohead.csv", b"id,name\n1,x\n2,y\n", "no text column: columns are id, name"),
    ("broken.json", b'[{"text": "a"},', "not valid JSON (line 1:"),
    ("scalar.json", b"42", 'no articles: expected a list of objects or {"articles": [...]}'),
    ("nolist.json", b'{"meta": 1}', "no articles: expected a list of objects"),
    ("corrupt.zip", b"PK\x03\x04 definitely not a zip", "not a valid zip archive"),
    ("truncated.zip", make_zip([("a.txt", GOOD * 50)])[:60], "not a valid zip archive"),
    ("notzip.zip", b"plain text in a .zip", "not a valid zip archive"),
]


@pytest.mark.parametrize("name,data,message", BAD_FILES)
def test_bad_file_is_a_problem_and_batch_goes_on(tmp_path, name, data, message):
    items = batch(tmp_path, name, data)
    found = [p for p in items if isinstance(p, ReadProblem)]
    assert len(found) == 1, found
    assert found[0].message.startswith(message)
    assert found[0].file == str(tmp_path / name)
    assert docs(items) == ["0_good.txt"]


def test_missing_path_is_a_problem(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    items = list(read_paths([tmp_path / "missing.txt", tmp_path / "good.txt"]))
    assert messages(items) == ["no such file or directory"]
    assert docs(items) == ["good.txt"]


# ------------------------------------------------------------------------ size limits


def test_50mb_single_line_is_over_the_file_limit(tmp_path):
    items = batch(tmp_path, "huge.txt", b"a" * (50 * limits.MB))
    assert messages(items) == ["file is 50.0 MB, over the 25 MB limit"]


def test_upload_over_the_file_limit():
    items = list(read_upload("big.txt", b"word " * (6 * limits.MB)))
    assert messages(items) == ["file is 30.0 MB, over the 25 MB limit"]


def test_long_single_line_under_the_limits_reads_unchanged(tmp_path):
    # its speed is measured in bench/, not asserted here
    line = ("Kazakhstan ships grain to China, 1\u00a0000 t. " * 40000)[: limits.MAX_ARTICLE_CHARS]
    items = batch(tmp_path, "long.txt", line.encode("utf-8"))
    [long] = [a for a in items if isinstance(a, RawArticle) and a.doc == "long.txt"]
    assert long.text == line
    assert messages(items) == []


def test_text_over_the_article_limit_is_cut_with_a_note(tmp_path):
    words = "cooperation " * (limits.MAX_ARTICLE_CHARS // 12 + 1000)
    items = batch(tmp_path, "book.txt", words.encode())
    [book] = [a for a in items if isinstance(a, RawArticle) and a.doc == "book.txt"]
    assert len(book.text) <= limits.MAX_ARTICLE_CHARS and words.startswith(book.text)
    assert messages(items) == [f"text is {len(words):,} characters, over the "
                               f"{limits.MAX_ARTICLE_CHARS:,}-character limit: cut to "
                               f"{len(book.text):,}"]


# ------------------------------------------------------------------------ encodings


def test_mixed_encodings_decoded_and_said(tmp_path):
    data = ("Réunion à Genève, 2024\n".encode("utf-8")
            + "Le président a signé à Dakar.\n".encode("cp1252") + GOOD.encode())
    items = batch(tmp_path, "mixed.txt", data)
    [mixed] = [a for a in items if isinstance(a, RawArticle) and a.doc == "mixed.txt"]
    assert mixed.text == "Réunion à Genève, 2024\nLe président a signé à Dakar.\n" + GOOD
    assert messages(items) == ["mixed encodings: 3 passages were not UTF-8 and were read "
                               "as cp1252"]


def test_damaged_utf16_read_with_replacement_and_said(tmp_path):
    text = "Chile and Peru signed a fishing accord. " * 10
    data = b"\xff\xfe" + text.encode("utf-16-le") + b"\x00\xd8" * 40
    items = batch(tmp_path, "damaged.txt", data)
    [damaged] = [a for a in items if isinstance(a, RawArticle) and a.doc == "damaged.txt"]
    assert damaged.text == text + "\ufffd" * 40
    assert messages(items) == ["40 undecodable byte sequences replaced with \ufffd"]


def test_mostly_undecodable_text_is_binary(tmp_path):
    data = b"\xff\xfe" + "Chile.".encode("utf-16-le") + b"\x00\xd8" * 40
    items = batch(tmp_path, "junk.txt", data)
    assert messages(items) == ["binary content, not text"]


def test_numbers_only_text_is_read_unchanged(tmp_path):
    items = batch(tmp_path, "numbers.txt", b"12 345 678\n2024 2025\n3.5%")
    [numbers] = [a for a in items if isinstance(a, RawArticle) and a.doc == "numbers.txt"]
    assert numbers.text == "12 345 678\n2024 2025\n3.5%"


# ------------------------------------------------------------------------ tables


def test_csv_ragged_rows(tmp_path):
    data = (b"id,title,text\n1,A,first\n2,B,second,extra,cells\n3,C\n4,D,fourth,,\n"
            b"\n5,E,fifth\n")
    items = batch(tmp_path, "ragged.csv", data)
    assert docs(items) == ["0_good.txt", "ragged.csv#1", "ragged.csv#4", "ragged.csv#5"]
    assert messages(items) == ["row 2 has 5 fields, the header has 3: skipped",
                               "row 3 has 2 fields, the header has 3: no text"]
    assert [p.line for p in items if isinstance(p, ReadProblem)] == [3, 4]


def test_csv_10mb_cell(tmp_path):
    cell = "Mongolia exports copper to China. " * (10 * limits.MB // 34)
    data = f'text,title\n"{cell}",Big\nsmall row,Small\n'.encode()
    items = batch(tmp_path, "cell.csv", data)
    big, small = [a for a in items if isinstance(a, RawArticle) and a.doc.startswith("cell")]
    assert big.title == "Big" and cell.startswith(big.text)
    assert len(big.text) > limits.MAX_ARTICLE_CHARS * 0.9
    assert (small.doc, small.text) == ("cell.csv#2", "small row")
    assert messages(items) == [f"row 1: text is {len(cell):,} characters, over the "
                               f"{limits.MAX_ARTICLE_CHARS:,}-character limit: cut to "
                               f"{len(big.text):,}"]


def test_jsonl_broken_lines_reported_by_line_number(tmp_path):
    data = (b'{"text": "one"}\n{"text": "two"\n\n[1, 2]\n{"id": 5, "name": "x"}\n'
            b'{"text": ""}\n{"text": "seven"}\n{"text": "\\u0000nul\\u0007"}\n')
    items = batch(tmp_path, "rows.jsonl", data)
    assert docs(items) == ["0_good.txt", "rows.jsonl#1", "rows.jsonl#7", "rows.jsonl#8"]
    assert messages(items) == [
        "line 2: not valid JSON (Expecting ',' delimiter)",
        "line 4: not a JSON object",
        "line 5: no text field: fields are id, name",
        "line 6: no text",
    ]
    assert [p.line for p in items if isinstance(p, ReadProblem)] == [2, 4, 5, 6]
    assert [a.text for a in items if isinstance(a, RawArticle)][-1] == "nul"


def test_deeply_nested_json_is_a_problem(tmp_path):
    items = batch(tmp_path, "deep.json", b"[" * 100000 + b"]" * 100000)
    assert len(messages(items)) == 1


def test_too_many_problems_are_summed_up(tmp_path):
    data = b"{bad\n" * (limits.MAX_PROBLEMS_PER_FILE + 50)
    items = batch(tmp_path, "bad.jsonl", data)
    assert len(messages(items)) == limits.MAX_PROBLEMS_PER_FILE + 1
    assert messages(items)[-1] == "50 more problems not shown"


def test_table_row_limit_of_an_upload():
    data = b'{"text": "x"}\n' * (limits.MAX_TABLE_ROWS + 5)
    items = list(read_upload("many.jsonl", data))
    assert len(docs(items)) == limits.MAX_TABLE_ROWS
    assert messages(items) == [f"more than {limits.MAX_TABLE_ROWS:,} lines: stopped after "
                               f"{limits.MAX_TABLE_ROWS:,}"]


def test_table_file_on_disk_streams_every_row(tmp_path):
    # a corpus file is read a line at a time: no row limit, nothing refused for its size
    data = b'{"text": "x"}\n' * (limits.MAX_TABLE_ROWS + 5)
    items = batch(tmp_path, "many.jsonl", data)
    assert len(docs(items)) == limits.MAX_TABLE_ROWS + 6 and messages(items) == []


@pytest.mark.parametrize("name, data, expected", [
    # (file, bytes, (docs read from it, messages))
    ("big.jsonl", b'{"text": "' + b"w " * (limits.MAX_FILE_BYTES // 2 + 10) + b'"}\n{"text": "ok"}\n',
     (["big.jsonl#2"], ["line 1: over the 25 MB limit of one article: skipped"])),
    ("big.csv", b'text\n"' + b"w " * (limits.MAX_FILE_BYTES // 2 + 10) + b'"\nok\n',
     (["big.csv#1"], ["line 2: not valid CSV (field larger than field limit (26214400))"])),
    ("bom.jsonl", b'\xef\xbb\xbf{"text": "Chile"}\n', (["bom.jsonl#1"], [])),
    ("utf16.jsonl", '{"text": "Perú"}\n{"text": "Chile"}\n'.encode("utf-16"),
     (["utf16.jsonl#1", "utf16.jsonl#2"], [])),
    ("cp1251.csv", "text;title\nКазахстан и Китай;Заголовок\n".encode("cp1251"), (["cp1251.csv#1"], [])),
    ("image.jsonl", PNG * 100, ([], ["binary content (PNG image), not text"])),
    ("blank.csv", b"  \n", ([], ["empty file (only whitespace)"])),
])
def test_streamed_table_files_limit_each_article(tmp_path, name, data, expected):
    items = batch(tmp_path, name, data)
    assert (docs(items)[1:], messages(items)) == expected


def test_streamed_table_text_is_decoded(tmp_path):
    items = batch(tmp_path, "cp1251.csv", "text;title\nКазахстан и Китай;Заголовок\n".encode("cp1251"))
    [row] = [a for a in items if a.doc == "cp1251.csv#1"]
    assert (row.text, row.title) == ("Казахстан и Китай", "Заголовок")


# ------------------------------------------------------------------------ zip


@pytest.mark.parametrize("evil", ["../../x", "../x.txt", "/etc/passwd", "a/../../b.txt",
                                  "..\\..\\win.txt", "C:/windows/x.txt"])
def test_zip_path_traversal_is_skipped_and_nothing_written(tmp_path, monkeypatch, evil):
    monkeypatch.chdir(tmp_path)
    data = make_zip([(evil, "evil"), ("ok.txt", GOOD)])
    items = list(read_upload("bundle.zip", data))
    assert docs(items) == ["bundle.zip:ok.txt"]
    assert messages(items) == [f"zip entry '{evil}' escapes the archive: skipped"]
    assert list(tmp_path.iterdir()) == []


def test_zip_nested_deeper_than_one_level_is_skipped(tmp_path):
    level2 = make_zip([("deepest.txt", "too deep")])
    level1 = make_zip([("two.zip", level2), ("one.txt", "level one")])
    items = batch(tmp_path, "outer.zip", make_zip([("inner.zip", level1), ("top.txt", "top")]))
    assert docs(items) == ["0_good.txt", "outer.zip:inner.zip:one.txt", "outer.zip:top.txt"]
    assert messages(items) == ["zip nested more than 1 level deep: skipped"]
    assert [p.file for p in items if isinstance(p, ReadProblem)] == [
        str(tmp_path / "outer.zip") + ":inner.zip:two.zip"]


def test_zip_bomb_upload_stops_at_the_expanded_limit():
    member = 20 * limits.MB
    count = limits.MAX_ZIP_EXPANDED_BYTES // member + 2
    zeros = b"\x00" * member
    data = make_zip([("a.txt", GOOD)] + [(f"bomb{i:02}.txt", zeros) for i in range(count)])
    assert len(data) < 2 * limits.MB
    items = list(read_upload("bomb.zip", data))
    assert docs(items) == ["bomb.zip:a.txt"]
    read = limits.MAX_ZIP_EXPANDED_BYTES // member
    assert messages(items)[-1] == (f"zip expands beyond the 200 MB limit: stopped after "
                                   f"{read} files")
    assert messages(items)[:-1] == ["binary content, not text"] * (read - 1)


def test_zip_member_whose_header_lies_about_its_size(tmp_path):
    data = make_zip([("a.txt", GOOD), ("big.txt", b"A" * (30 * limits.MB))])
    items = batch(tmp_path, "liar.zip", patch_zip(data, "big.txt", size=100))
    assert docs(items) == ["0_good.txt", "liar.zip:a.txt"]
    assert messages(items) == ["corrupt zip entry (Bad CRC-32 for file 'big.txt'): skipped"]


def test_zip_member_over_the_file_limit(tmp_path):
    data = make_zip([("a.txt", GOOD), ("big.txt", b"A" * (30 * limits.MB))])
    items = batch(tmp_path, "big.zip", data)
    assert docs(items) == ["0_good.txt", "big.zip:a.txt"]
    assert messages(items) == ["file is 30.0 MB, over the 25 MB limit"]


def test_zip_member_expanding_beyond_the_file_limit_despite_its_header(tmp_path):
    data = make_zip([("a.txt", GOOD), ("big.txt", b"A" * (30 * limits.MB))])
    # header claims 1 MB: the member is cut there by zipfile and fails its CRC, but the
    # other way round (header larger than the data) is caught by counting while reading
    items = batch(tmp_path, "claim.zip", patch_zip(data, "big.txt", size=limits.MB))
    assert docs(items) == ["0_good.txt", "claim.zip:a.txt"]
    assert messages(items) == ["corrupt zip entry (Bad CRC-32 for file 'big.txt'): skipped"]


def test_zip_encrypted_member(tmp_path):
    data = patch_zip(make_zip([("a.txt", GOOD), ("secret.txt", "x")]), "secret.txt", flags=1)
    items = batch(tmp_path, "locked.zip", data)
    assert docs(items) == ["0_good.txt", "locked.zip:a.txt"]
    assert messages(items) == ["encrypted zip entry: skipped"]


def test_zip_member_count_limit_of_an_upload():
    count = limits.MAX_ZIP_MEMBERS + 3
    data = make_zip([(f"m{i:05}.txt", "x") for i in range(count)], zipfile.ZIP_STORED)
    items = list(read_upload("many.zip", data))
    assert len(docs(items)) == limits.MAX_ZIP_MEMBERS
    assert messages(items) == [f"zip has {count:,} entries, over the "
                               f"{limits.MAX_ZIP_MEMBERS:,} limit: read the first "
                               f"{limits.MAX_ZIP_MEMBERS:,}"]


def test_zip_on_disk_streams_every_member_and_limits_each(tmp_path):
    # a corpus zip is read member by member: no count or total limit, each member limited
    count = limits.MAX_ZIP_MEMBERS + 3
    members = [(f"m{i:05}.txt", "x") for i in range(count)]
    data = make_zip(members + [("zbig.txt", b"A" * (30 * limits.MB))])
    items = batch(tmp_path, "many.zip", data)
    assert len(docs(items)) == count + 1
    assert messages(items) == ["file is 30.0 MB, over the 25 MB limit"]


def test_zip_with_bad_members_keeps_good_ones(tmp_path):
    data = make_zip([("a.txt", GOOD), ("b.png", PNG), ("c.jsonl", '{"text": "ok"}\n{x\n'),
                     ("d.txt", "")])
    items = batch(tmp_path, "mix.zip", data)
    assert docs(items) == ["0_good.txt", "mix.zip:a.txt", "mix.zip:c.jsonl#1"]
    zip_path = str(tmp_path / "mix.zip")
    assert [(p.file, p.message) for p in items if isinstance(p, ReadProblem)] == [
        (zip_path + ":b.png", "binary content (PNG image), not text"),
        (zip_path + ":c.jsonl", "line 2: not valid JSON (Expecting property name enclosed "
                                "in double quotes)"),
        (zip_path + ":d.txt", "empty file"),
    ]


# ------------------------------------------------------------------------ hostile HTML


@pytest.mark.parametrize("markup,expected", [
    ("<div>" * 50000 + "deep text" + "</div>" * 50000, "deep text"),
    ("<p>unclosed <b>bold <i>italic", "unclosed bold italic"),
    ("<p>text</p><script>never closed", "text"),
    ("<p a='" + "x" * 100000 + "'>attr</p>", "attr"),
    ("<!x <![CDATA[ <? <p>after junk</p>", "after junk"),
    ("<p>&#0;&#xD800;&nosuch; &amp;</p>", "\ufffd\ufffd&nosuch"),
    ("</p></div></html><p>stray closers</p>", "stray closers"),
    ("<table><td>cell<tr>row</table>", "cell\nrow"),
])
def test_hostile_html(markup, expected):
    assert expected in html_to_text(markup).text


def test_hostile_html_file_in_a_batch(tmp_path):
    markup = ("<html><body>" + "<div><span>" * 20000 + "<p>Chile and Peru</p>"
              + "<script>" + "x" * 1000).encode()
    items = batch(tmp_path, "hostile.html", markup)
    [page] = [a for a in items if isinstance(a, RawArticle) and a.doc == "hostile.html"]
    assert page.text == "Chile and Peru"


def test_html_without_text_is_a_problem(tmp_path):
    items = batch(tmp_path, "empty.html", b"<html><head><script>x()</script></head></html>")
    assert messages(items) == ["no text found in the HTML page"]


# ------------------------------------------------------------------------ never raises

NAMES = st.sampled_from(["a.txt", "a.md", "a.html", "a.csv", "a.tsv", "a.jsonl", "a.json",
                         "a.zip", "a.bin", "a", "a.pdf"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=NAMES, data=st.binary(max_size=3000))
def test_read_upload_never_raises_on_bytes(name, data):
    items = list(read_upload(name, data))
    assert all(isinstance(x, (RawArticle, ReadProblem)) for x in items)
    for item in items:
        if isinstance(item, RawArticle):
            assert "\x00" not in item.text and "\r" not in item.text


@settings(max_examples=300, deadline=None)
@given(name=NAMES, text=st.text(max_size=2000))
def test_read_upload_never_raises_on_text(name, text):
    for encoding in ("utf-8", "utf-16"):
        items = list(read_upload(name, text.encode(encoding, "surrogatepass")))
        assert all(isinstance(x, (RawArticle, ReadProblem)) for x in items)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=3000))
def test_helpers_never_raise(text):
    assert isinstance(html_to_text(text).text, str)
    assert isinstance(decode(text.encode("utf-8", "surrogatepass")).text, str)
    assert len(article_id(text)) == 16
    assert iso_date(text) is None or len(iso_date(text)) == 10


def test_odd_arguments_do_not_raise():
    assert [type(x) for x in read_upload(None, None)] == [ReadProblem]
    assert [type(x) for x in read_paths([object()])] == [ReadProblem]
    assert [a.text for a in read_upload("x.txt", bytearray(b"ok"))] == ["ok"]
    assert [a.text for a in read_upload("dir/sub\\x.txt", "str data")] == ["str data"]
    assert [a.doc for a in read_upload("dir/sub\\x.txt", b"abc")] == ["x.txt"]


def test_special_file_is_not_read(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(tmp_path / "pipe.txt")
    items = batch(tmp_path, "z.txt", b"zed")
    assert messages(items) == ["not a regular file"]
    assert docs(items) == ["0_good.txt", "z.txt"]
