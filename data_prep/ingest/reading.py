"""Articles from files, folders, uploads and zip archives: RawArticle records, or ReadProblem
records for what cannot be read. Nothing here raises, so one bad file never stops a batch.

Formats by extension: .txt, .md, .html/.htm, .csv/.tsv, .jsonl, .json, .zip (one nested zip
level, read in memory only, never extracted). Unknown extensions are read as text when
they decode as text. Limits are in `limits.py`.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import zipfile
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Optional, Union

from data_prep.ingest import limits
from data_prep.ingest.decoding import clean_text, decode, sniff_binary
from data_prep.ingest.html_text import html_to_text, iso_date, looks_like_html
from data_prep.records import RawArticle, ReadProblem

Item = Union[RawArticle, ReadProblem]

_TEXT_EXT = frozenset((".txt", ".text"))
_MD_EXT = frozenset((".md", ".markdown", ".mdown", ".mkd"))
_HTML_EXT = frozenset((".html", ".htm", ".xhtml", ".shtml"))
_CSV_EXT = {".csv": None, ".tsv": "\t"}  # None: delimiter sniffed from the header line
_JSONL_EXT = frozenset((".jsonl", ".ndjson", ".jsonlines"))
_JSON_EXT = frozenset((".json",))
_ZIP_EXT = frozenset((".zip",))
# Files on disk read as a stream, one row, line or member at a time: a multi-GB corpus file
# never sits in memory, and the size limits apply to each article in it, not to the file.
_STREAMED_EXT = frozenset(_CSV_EXT) | _JSONL_EXT | _ZIP_EXT
# Documents people upload that are not text; named by extension (their magic is ZIP/OLE2).
_DOCUMENT_EXT = {
    ".docx": "Word document", ".doc": "Word document", ".xlsx": "Excel workbook",
    ".xls": "Excel workbook", ".pptx": "PowerPoint presentation", ".odt": "OpenDocument text",
    ".ods": "OpenDocument spreadsheet", ".epub": "EPUB book", ".pdf": "PDF document",
}

# Column / field names of table files, normalised (lower case, letters and digits only),
# best first. The last text names are summaries: used only when nothing better exists.
_TEXT_KEYS = ("text", "body", "content", "article", "fulltext", "story", "articletext",
              "articlebody", "bodytext", "maintext", "fullcontent", "textcontent",
              "plaintext", "description", "summary", "abstract")
_TITLE_KEYS = ("title", "headline", "heading", "articletitle", "subject")
_DATE_KEYS = ("published", "publishedat", "publishedtime", "publisheddate",
              "publicationdate", "pubdate", "datepublished", "publishdate", "date",
              "datetime", "time", "timestamp", "created", "createdat", "createddate")
_URL_KEYS = ("url", "link", "href", "uri", "permalink", "articleurl", "canonicalurl",
             "weburl", "sourceurl")
_SOURCE_KEYS = ("source", "sourcename", "publisher", "outlet", "site", "sitename", "domain",
                "publication", "newspaper", "media", "feed", "provider")
# Keys of a JSON object whose value is the list of articles.
_LIST_KEYS = ("articles", "items", "data", "results", "docs", "documents", "records",
              "entries", "posts", "stories", "news", "rows")

_KEY_CHARS = re.compile(r"[^0-9a-z]+")
_HTML_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{2,40})""",
                           re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]{0,100}encoding\s*=\s*["']([A-Za-z0-9._:-]{2,40})""")


# ------------------------------------------------------------------------ public API


def read_paths(paths: Iterable[Union[str, os.PathLike]]) -> Iterator[Item]:
    """Articles from files or folders (recursively, sorted, hidden files skipped).

    Never raises: every failure is yielded as a ReadProblem and reading goes on.
    """
    if isinstance(paths, (str, bytes, os.PathLike)):
        paths = [paths]
    try:
        items = list(paths)
    except Exception as exc:
        yield ReadProblem(str(paths)[:200], f"cannot list the paths: {exc}")
        return
    for path in items:
        try:
            where = os.fsdecode(os.fspath(path))
        except Exception:
            yield ReadProblem(repr(path)[:200], "not a file path")
            continue
        yield from _guard(where, lambda w=where: _read_path(w))


def count_articles(paths: Iterable[Union[str, os.PathLike]]) -> int:
    """About how many articles `read_paths` will give (for progress and its ETA), cheaply:
    a file is one, a JSON Lines or CSV file its lines, a zip its members. Never raises."""
    if isinstance(paths, (str, bytes, os.PathLike)):
        paths = [paths]
    total = 0
    for path in paths:
        try:
            where = os.fsdecode(os.fspath(path))
            files = _walk(where, lambda e: None) if os.path.isdir(where) else [where]
            total += sum(_count_in(f) for f in files)
        except Exception:  # noqa: BLE001 - an estimate; reading reports the problem
            total += 1
    return total


def _count_in(path: str) -> int:
    ext = _extension(path)
    try:
        if ext in _ZIP_EXT:
            with zipfile.ZipFile(path) as archive:
                return sum(not i.is_dir() for i in archive.infolist())
        if ext in _JSONL_EXT or ext in _CSV_EXT:
            lines = 0
            with open(path, "rb") as handle:
                while chunk := handle.read(1 << 22):
                    lines += chunk.count(b"\n")
            return max(1, lines - (ext in _CSV_EXT))
    except (OSError, zipfile.BadZipFile, ValueError):
        pass
    return 1


def read_upload(name: str, data: bytes) -> Iterator[Item]:
    """Articles from one uploaded file; `name` only decides the format. Never touches the
    disk and never raises."""
    name = str(name or "upload")
    base = re.split(r"[\\/]", name)[-1] or "upload"
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    try:
        data = bytes(data or b"")
    except Exception:
        yield ReadProblem(base, "upload is not bytes")
        return
    source = _Source(doc=base, file=base, origin=name)
    yield from _guard(base, lambda: _read_bytes(base, data, source, 0, None))


# ------------------------------------------------------------------------ plumbing


@dataclass
class _Source:
    """Where items come from: `doc` names articles, `file` names problems."""

    doc: str
    file: str
    origin: str
    problems: int = 0
    muted: int = 0

    def problem(self, message: str, line: Optional[int] = None) -> Iterator[ReadProblem]:
        """Yield a problem, or count it once MAX_PROBLEMS_PER_FILE have been shown."""
        self.problems += 1
        if self.problems > limits.MAX_PROBLEMS_PER_FILE:
            self.muted += 1
            return
        yield ReadProblem(self.file, message, line)

    def muted_summary(self) -> Iterator[ReadProblem]:
        if self.muted:
            yield ReadProblem(self.file, f"{self.muted:,} more problems not shown")
            self.muted = 0


@dataclass
class _Budget:
    """What one top-level zip has expanded so far (nested zips share it), and its limits:
    an upload's zip sits in memory and has both; a zip on disk is streamed member by member,
    so only each member's own size is limited."""

    expanded: int = 0
    files: int = 0
    max_expanded: Optional[int] = limits.MAX_ZIP_EXPANDED_BYTES
    max_members: Optional[int] = limits.MAX_ZIP_MEMBERS


class _ZipLimit(Exception):
    """The expanded-bytes budget of a zip is spent: stop the whole archive."""


def _guard(file: str, make: Any) -> Iterator[Item]:
    try:
        yield from make()
    except Exception as exc:  # a bug or an OS surprise must not end the batch
        yield ReadProblem(file, f"could not read: {type(exc).__name__}: {exc}"[:500])


def _read_path(path: str) -> Iterator[Item]:
    try:
        info = os.stat(path)
    except OSError as exc:
        yield ReadProblem(path, _os_message(exc))
        return
    if stat.S_ISDIR(info.st_mode):
        errors: list[OSError] = []
        for file in _walk(path, errors.append):
            yield from _guard(file, lambda f=file: _read_file(f, path))
        for exc in errors:
            yield ReadProblem(getattr(exc, "filename", None) or path, _os_message(exc))
        return
    yield from _read_file(path, path)


def _walk(root: str, onerror: Any) -> list[str]:
    found: list[tuple[tuple[str, ...], str]] = []
    for folder, dirs, files in os.walk(root, onerror=onerror):
        dirs[:] = [d for d in dirs if not _hidden_name(d)]
        rel = os.path.relpath(folder, root)
        parts = () if rel == os.curdir else tuple(rel.split(os.sep))
        for name in files:
            if not _hidden_name(name):
                found.append((parts + (name,), os.path.join(folder, name)))
    found.sort()
    return [path for _, path in found]


def _hidden_name(name: str) -> bool:
    return name.startswith(".") or name == "__MACOSX"


def _os_message(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot read: {exc.strerror or exc}"


def _size_message(size: int) -> str:
    return (f"file is {size / limits.MB:.1f} MB, over the "
            f"{limits.MAX_FILE_BYTES // limits.MB} MB limit")


def _read_file(path: str, given: str) -> Iterator[Item]:
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            yield ReadProblem(path, "not a regular file")
            return
        ext = _extension(path)
        if ext in _STREAMED_EXT:  # one article per row or member: limits apply per article
            name = os.path.basename(path)
            yield from _read_streamed(path, ext, _Source(doc=name, file=path, origin=path))
            return
        if info.st_size > limits.MAX_FILE_BYTES:
            yield ReadProblem(path, _size_message(info.st_size))
            return
        with open(path, "rb") as handle:
            data = handle.read(limits.MAX_FILE_BYTES + 1)
    except OSError as exc:
        yield ReadProblem(path, _os_message(exc))
        return
    name = os.path.basename(path)
    yield from _read_bytes(name, data, _Source(doc=name, file=path, origin=path), 0, None)


def _read_streamed(path: str, ext: str, src: _Source) -> Iterator[Item]:
    """A table file or zip on disk, read a row or member at a time (memory flat in its size)."""
    if ext in _ZIP_EXT:
        yield from _read_zip(path, src, 0, _Budget(max_expanded=None, max_members=None))
        yield from src.muted_summary()
        return
    try:
        handle = open(path, "rb")
    except OSError as exc:
        yield ReadProblem(path, _os_message(exc))
        return
    with handle:
        head = handle.read(limits.SNIFF_BYTES)
        if not head.strip() and len(head) < limits.SNIFF_BYTES:
            yield from src.problem("empty file" if not head else "empty file (only whitespace)")
            return
        cut = head.rfind(b"\n")
        decoded = decode(head[: cut + 1] if cut > 0 and len(head) == limits.SNIFF_BYTES else head)
        if decoded.is_binary:
            kind = f" ({decoded.binary})" if decoded.binary else ""
            yield from src.problem(f"binary content{kind}, not text")
            return
        handle.seek(0)
        text = io.TextIOWrapper(handle, encoding=_stream_encoding(head, decoded.encoding),
                                errors="replace", newline="")
        if ext in _CSV_EXT:
            delimiter = _CSV_EXT[ext] or _sniff_delimiter(decoded.text)
            yield from _csv_rows(text, src, delimiter, None)
        else:
            yield from _jsonl_lines(_bounded_lines(text), src, None)
    yield from src.muted_summary()


def _stream_encoding(head: bytes, guessed: str) -> str:
    """The codec for a streamed file: one that drops a byte-order mark, else the guess."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") and guessed.startswith("utf-16"):
        return "utf-16"
    return guessed or "utf-8"


def _bounded_lines(handle: Any) -> Iterator[tuple[int, Optional[str]]]:
    """(line number, line) of a text stream; a line over the one-article limit is skipped
    unread (None), so one endless line never fills memory."""
    number = 0
    while True:
        line = handle.readline(limits.MAX_FILE_BYTES + 1)
        if not line:
            return
        number += 1
        if len(line) > limits.MAX_FILE_BYTES and not line.endswith(("\n", "\r")):
            while True:
                rest = handle.readline(limits.MB)
                if not rest or rest.endswith(("\n", "\r")):
                    break
            yield number, None
            continue
        yield number, line


def _extension(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def _read_bytes(name: str, data: bytes, src: _Source, depth: int,
                budget: Optional[_Budget]) -> Iterator[Item]:
    """Dispatch one file's bytes (from disk, an upload or a zip member) by extension."""
    ext = _extension(name)
    if len(data) > limits.MAX_FILE_BYTES:
        yield from src.problem(_size_message(len(data)))
        return
    if not data.strip():
        yield from src.problem("empty file" if not data else "empty file (only whitespace)")
        return
    if ext in _ZIP_EXT:
        yield from _read_zip(data, src, depth, budget)
        yield from src.muted_summary()
        return
    what = sniff_binary(data)
    if ext in _DOCUMENT_EXT and (what or ext == ".pdf"):
        what = _DOCUMENT_EXT[ext]
    if what:
        yield from src.problem(f"binary content ({what}), not text")
        return
    declared = None
    if ext in _HTML_EXT:
        m = _HTML_CHARSET.search(data[:4096]) or _XML_ENCODING.search(data[:200])
        declared = m.group(1).decode("ascii") if m else None
    decoded = decode(data, declared)
    if decoded.is_binary:
        kind = f" ({decoded.binary})" if decoded.binary else ""
        yield from src.problem(f"binary content{kind}, not text")
        return
    if decoded.note:
        yield from src.problem(decoded.note)
    text = decoded.text
    if ext in _CSV_EXT:
        yield from _read_csv(text, src, _CSV_EXT[ext])
    elif ext in _JSONL_EXT:
        yield from _read_jsonl(text, src)
    elif ext in _JSON_EXT:
        yield from _read_json(text, src)
    elif ext in _HTML_EXT or (ext not in _TEXT_EXT | _MD_EXT and looks_like_html(text)
                              and text.lstrip()[:1] == "<"):
        page = html_to_text(text)
        if not page.text.strip():
            yield from src.problem("no text found in the HTML page")
        else:
            yield from _article(src, src.doc, page.text, page.title, page.published,
                                page.url, page.source)
    elif ext in _MD_EXT:
        body, title = markdown_text(text)
        yield from _article(src, src.doc, body, title)
    else:
        yield from _article(src, src.doc, text)
    yield from src.muted_summary()


def _article(src: _Source, doc: str, text: str, title: Optional[str] = None,
             published: Optional[str] = None, url: Optional[str] = None,
             source: Optional[str] = None, line: Optional[int] = None,
             where: str = "") -> Iterator[Item]:
    if not text.strip():
        yield from src.problem(f"{where}no text" if where else "no text (only whitespace)",
                               line)
        return
    if len(text) > limits.MAX_ARTICLE_CHARS:
        text, message = _cut(text)
        yield from src.problem(f"{where}{message}", line)
    yield RawArticle(doc=doc, text=text, title=title or None, published=published or None,
                     url=url or None, source=source or None, origin=src.origin)


def _cut(text: str) -> tuple[str, str]:
    limit = limits.MAX_ARTICLE_CHARS
    cut = text.rfind("\n", 0, limit)
    if cut < limit * 0.9:
        cut = text.rfind(" ", 0, limit)
    if cut < limit * 0.9:
        cut = limit
    message = (f"text is {len(text):,} characters, over the {limit:,}-character limit: "
               f"cut to {cut:,}")
    return text[:cut], message


# ------------------------------------------------------------------------ markdown

_MD_IMAGE = re.compile(r"!\[[^\]\n]{0,1000}\](?:\((?:[^()\n]|\([^()\n]*\)){0,2000}\)|\[[^\]\n]*\])")
_MD_LINK = re.compile(r"\[([^\]\n]{0,1000})\]\((?:[^()\n]|\([^()\n]*\)){0,2000}\)")
_MD_REF_LINK = re.compile(r"\[([^\]\n]{1,1000})\]\[[^\]\n]{0,200}\]")
_MD_REF_DEF = re.compile(r"^ {0,3}\[[^\]\n]{1,200}\]:[ \t]*\S+[^\n]*\n?", re.MULTILINE)
_MD_AUTOLINK = re.compile(r"<(?:https?|ftp|mailto):[^>\s]{0,2000}>", re.IGNORECASE)
_MD_COMMENT = re.compile(r"<!--.{0,5000}?-->", re.DOTALL)
_MD_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+([^\n]*?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
_MD_BOLD = re.compile(r"(\*\*|__)(?=\S)([^\n]{1,500}?)(?<=\S)\1")


def markdown_text(text: str) -> tuple[str, Optional[str]]:
    """Markdown as plain text (links keep their words, URLs and images go) and its title:
    the first level-1 heading, when there is one."""
    title = None
    for m in _MD_HEADING.finditer(text[:5000]):
        if len(m.group(1)) == 1 and m.group(2).strip():
            title = m.group(2).strip()
            break
    text = _MD_COMMENT.sub("", text)
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_REF_LINK.sub(r"\1", text)
    text = _MD_REF_DEF.sub("", text)
    text = _MD_AUTOLINK.sub("", text)
    text = _MD_HEADING.sub(r"\2", text)
    text = _MD_BOLD.sub(r"\2", text)
    return text, title


# ------------------------------------------------------------------------ tables


def _key(name: Any) -> str:
    return _KEY_CHARS.sub("", str(name).lower())


def _pick(keys: dict[str, Any], wanted: tuple[str, ...]) -> list[Any]:
    """The entries of `keys` (normalised name -> column) named in `wanted`, best first."""
    return [keys[k] for k in wanted if k in keys]


def _sniff_delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(text: str, src: _Source, delimiter: Optional[str]) -> Iterator[Item]:
    delimiter = delimiter or _sniff_delimiter(text)
    yield from _csv_rows(io.StringIO(text), src, delimiter, limits.MAX_TABLE_ROWS)


def _csv_rows(handle: Any, src: _Source, delimiter: str,
              max_rows: Optional[int]) -> Iterator[Item]:
    """Articles from CSV rows; `max_rows` bounds a table read in memory (None: streamed)."""
    if csv.field_size_limit() < limits.MAX_FILE_BYTES:
        csv.field_size_limit(limits.MAX_FILE_BYTES)
    reader = csv.reader(handle, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        yield from src.problem("empty file")
        return
    except csv.Error as exc:
        yield from src.problem(f"not a readable CSV header: {exc}")
        return
    text_cols, title_cols, date_cols, url_cols, source_cols = _csv_columns(header)
    if not text_cols:
        names = ", ".join(h.strip() for h in header[:30]) + (", ..." if len(header) > 30 else "")
        yield from src.problem(f"no text column: columns are {names}")
        return
    width = len(header)
    row_number = 0
    errors = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors += 1
            yield from src.problem(f"line {reader.line_num}: not valid CSV ({exc})",
                                   reader.line_num)
            if errors > limits.MAX_PROBLEMS_PER_FILE:
                break
            continue
        if not any(cell.strip() for cell in row):
            continue
        row_number += 1
        if max_rows is not None and row_number > max_rows:
            yield from _too_many(src, "rows")
            break
        where = f"row {row_number}: "
        if width == 1 and len(row) > 1:
            row = [delimiter.join(row)]  # unquoted delimiters inside a one-column table
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            yield from src.problem(f"row {row_number} has {len(row)} fields, the header has "
                                   f"{width}: skipped", reader.line_num)
            continue
        body = _first(row, text_cols)
        if not body and len(row) < width:
            yield from src.problem(f"row {row_number} has {len(row)} fields, the header has "
                                   f"{width}: no text", reader.line_num)
            continue
        yield from _table_article(
            src, f"{src.doc}#{row_number}", body, _first(row, title_cols),
            _first(row, date_cols), _first(row, url_cols), _first(row, source_cols),
            reader.line_num, where)


def _csv_columns(header: list[str]) -> tuple[list[int], list[int], list[int], list[int], list[int]]:
    """The columns of the text, title, date, URL and source by the header's names (the first
    column of a name wins)."""
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        columns.setdefault(_key(name), index)
    return (_pick(columns, _TEXT_KEYS), _pick(columns, _TITLE_KEYS), _pick(columns, _DATE_KEYS),
            _pick(columns, _URL_KEYS), _pick(columns, _SOURCE_KEYS))


def _first(row: list[str], columns: list[int]) -> str:
    for index in columns:
        if index < len(row) and row[index].strip():
            return row[index]
    return ""


def _table_article(src: _Source, doc: str, body: str, title: Any, date: Any, url: Any,
                   source: Any, line: Optional[int], where: str) -> Iterator[Item]:
    """One row's article; a body holding HTML markup is reduced to its text."""
    body = clean_text(body)
    title = _plain(title)
    if looks_like_html(body):
        page = html_to_text(body)
        body = page.text
        title = title or page.title
    yield from _article(src, doc, body, title, iso_date(date), _plain(url), _plain(source),
                        line, where)


def _plain(value: Any) -> Optional[str]:
    if isinstance(value, dict):
        value = next((value[k] for k in ("name", "title", "url", "href", "value", "text")
                      if isinstance(value.get(k), str)), None)
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = clean_text(str(value)).strip()
    return text[:1000] or None


# ------------------------------------------------------------------------ JSON


def _too_many(src: "_Source", unit: str) -> Iterator[Item]:
    """The one message for a table file over the row limit."""
    yield from src.problem(f"more than {limits.MAX_TABLE_ROWS:,} {unit}: stopped after {limits.MAX_TABLE_ROWS:,}")


def _read_jsonl(text: str, src: _Source) -> Iterator[Item]:
    yield from _jsonl_lines(enumerate(io.StringIO(text), 1), src, limits.MAX_TABLE_ROWS)


def _jsonl_lines(lines: Iterable[tuple[int, Optional[str]]], src: _Source,
                 max_rows: Optional[int]) -> Iterator[Item]:
    """Articles from numbered JSON lines (None: a line over the one-article limit)."""
    rows = 0
    for number, line in lines:
        if line is None:
            yield from src.problem(f"line {number}: over the {limits.MAX_FILE_BYTES // limits.MB} "
                                   "MB limit of one article: skipped", number)
            continue
        if not line.strip():
            continue
        rows += 1
        if max_rows is not None and rows > max_rows:
            yield from _too_many(src, "lines")
            return
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError) as exc:
            reason = getattr(exc, "msg", None) or "nested too deeply"
            yield from src.problem(f"line {number}: not valid JSON ({reason})", number)
            continue
        yield from _record(obj, src, f"{src.doc}#{number}", f"line {number}: ", number)


def _read_json(text: str, src: _Source) -> Iterator[Item]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        reason = getattr(exc, "msg", str(exc))
        if reason == "Extra data" and line and line > 1:
            yield from _read_jsonl(text, src)  # JSON Lines saved as .json
            return
        yield from src.problem(f"not valid JSON (line {line}: {reason})", line)
        return
    except RecursionError:
        yield from src.problem("not valid JSON (nested too deeply)")
        return
    if isinstance(data, dict):
        keys = {_key(k): v for k, v in data.items()}
        listed = next((keys[k] for k in _LIST_KEYS if isinstance(keys.get(k), list)), None)
        if listed is None:
            if _pick(keys, _TEXT_KEYS):
                yield from _record(data, src, src.doc, "", None)
                return
            names = ", ".join(str(k) for k in list(data)[:30])
            yield from src.problem('no articles: expected a list of objects or '
                                   f'{{"articles": [...]}}; fields are {names}')
            return
        data = listed
    if not isinstance(data, list):
        yield from src.problem('no articles: expected a list of objects or {"articles": [...]}')
        return
    for number, obj in enumerate(data, 1):
        if number > limits.MAX_TABLE_ROWS:
            yield from src.problem(f"more than {limits.MAX_TABLE_ROWS:,} items: stopped after "
                                   f"{limits.MAX_TABLE_ROWS:,}")
            return
        yield from _record(obj, src, f"{src.doc}#{number}", f"item {number}: ", None)


def _record(obj: Any, src: _Source, doc: str, where: str,
            line: Optional[int]) -> Iterator[Item]:
    """One JSON value as an article: an object with a text field, or a bare string."""
    if isinstance(obj, str):
        yield from _table_article(src, doc, obj, None, None, None, None, line, where)
        return
    if not isinstance(obj, dict):
        yield from src.problem(f"{where}not a JSON object", line)
        return
    keys: dict[str, Any] = {}
    for name, value in obj.items():
        keys.setdefault(_key(name), value)
    body = next((t for t in (_text_value(v) for v in _pick(keys, _TEXT_KEYS)) if t), None)
    if body is None:
        if not _pick(keys, _TEXT_KEYS):
            names = ", ".join(str(k) for k in list(obj)[:30])
            yield from src.problem(f"{where}no text field: fields are {names}", line)
        else:
            yield from src.problem(f"{where}no text", line)
        return
    yield from _table_article(
        src, doc, body, _first_value(keys, _TITLE_KEYS), _first_value(keys, _DATE_KEYS, True),
        _first_value(keys, _URL_KEYS), _first_value(keys, _SOURCE_KEYS), line, where)


def _text_value(value: Any) -> Optional[str]:
    """Text from a JSON field: a string, a list of paragraphs, or {"rendered": ...}."""
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, list):
        parts = [v for v in value if isinstance(v, str) and v.strip()]
        return "\n\n".join(parts) or None
    if isinstance(value, dict):
        for key in ("rendered", "text", "value", "content", "body", "html"):
            if isinstance(value.get(key), str) and value[key].strip():
                return value[key]
    return None


def _first_value(keys: dict[str, Any], wanted: tuple[str, ...], numbers: bool = False) -> Any:
    for value in _pick(keys, wanted):
        if isinstance(value, (str, dict)) and value:
            return value
        if numbers and isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
    return None


# ------------------------------------------------------------------------ zip


def _member_name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if not info.flag_bits & 0x800:  # no UTF-8 flag: zipfile decoded the name as cp437
        try:
            name = name.encode("cp437").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name


def _escapes(name: str) -> bool:
    path = name.replace("\\", "/")
    if path.startswith("/") or re.match(r"[A-Za-z]:", path):
        return True
    return ".." in path.split("/")


def _read_zip(data: Union[bytes, str], src: _Source, depth: int,
              budget: Optional[_Budget]) -> Iterator[Item]:
    """Members of a zip (its bytes, or its path on disk: then read member by member); stops
    at the budget's member-count and expanded-bytes limits, counting bytes as they are
    decompressed (headers can lie)."""
    if depth > limits.MAX_ZIP_NESTING:
        yield from src.problem(f"zip nested more than {limits.MAX_ZIP_NESTING} level deep: "
                               "skipped")
        return
    try:
        archive = zipfile.ZipFile(data if isinstance(data, str) else io.BytesIO(data))
        infos = archive.infolist()
    except Exception as exc:  # BadZipFile, and struct/OS errors on mangled archives
        yield from src.problem(f"not a valid zip archive ({exc})")
        return
    top = budget is None or depth == 0
    budget = budget or _Budget()
    most = budget.max_members
    if most is not None and len(infos) > most:
        yield from src.problem(f"zip has {len(infos):,} entries, over the {most:,} limit: "
                               f"read the first {most:,}")
        infos = infos[:most]
    members = sorted(((_member_name(info), info) for info in infos), key=lambda p: p[0])
    try:
        for name, info in members:
            if not name or name.endswith(("/", "\\")):  # folders (and nameless junk)
                continue
            if _escapes(name):
                yield from src.problem(f"zip entry '{name}' escapes the archive: skipped")
                continue
            if any(_hidden_name(part) for part in name.replace("\\", "/").split("/")):
                continue
            member = _Source(doc=f"{src.doc}:{name}", file=f"{src.file}:{name}",
                             origin=src.origin)
            content = yield from _member_bytes(archive, info, member, budget)
            if content is None:
                continue
            base = name.replace("\\", "/").rsplit("/", 1)[-1]
            yield from _read_bytes(base, content, member, depth + 1, budget)
    except _ZipLimit:
        if not top:
            raise
        yield from src.problem(f"zip expands beyond the "
                               f"{limits.MAX_ZIP_EXPANDED_BYTES // limits.MB} MB limit: "
                               f"stopped after {budget.files} files")
    finally:
        archive.close()


def _member_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo, member: _Source,
                  budget: _Budget) -> Any:
    """Generator returning one member's bytes (None when skipped, with a problem)."""
    if info.file_size > limits.MAX_FILE_BYTES:
        yield from member.problem(_size_message(info.file_size))
        return None
    if info.flag_bits & 0x1:
        yield from member.problem("encrypted zip entry: skipped")
        return None
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as handle:
            while True:
                chunk = handle.read(1 << 20)
                if not chunk:
                    break
                size += len(chunk)
                if (budget.max_expanded is not None
                        and budget.expanded + size > budget.max_expanded):
                    raise _ZipLimit()
                if size > limits.MAX_FILE_BYTES:
                    budget.expanded += size
                    yield from member.problem(f"file expands beyond the "
                                              f"{limits.MAX_FILE_BYTES // limits.MB} MB "
                                              "limit: skipped")
                    return None
                chunks.append(chunk)
    except _ZipLimit:
        raise
    except NotImplementedError as exc:
        yield from member.problem(f"zip entry uses an unsupported method ({exc}): skipped")
        return None
    except Exception as exc:  # BadZipFile, zlib/bz2/lzma errors, EOFError: all corrupt data
        yield from member.problem(f"corrupt zip entry ({exc}): skipped")
        return None
    budget.expanded += size
    budget.files += 1
    return b"".join(chunks)
