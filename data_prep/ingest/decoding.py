"""Bytes -> text: tell binary from text, find the encoding, clean control characters.

UTF-8 (with or without BOM) and UTF-16/32 with a BOM are exact; BOM-less UTF-16 is found by
where its NUL bytes fall; everything else is a legacy code page. charset-normalizer alone
misreads short Western texts (French as cp775, "café" as UTF-16), so it only decides the
multi-byte Asian encodings, and single-byte code pages are chosen by how plausible the
words they produce are (one script per word, sane letter case, no symbols inside words).
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from data_prep.ingest import limits

# Magic numbers of formats people rename or upload by mistake: (prefix, offset, what it is).
_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"%PDF-", 0, "PDF document"),
    (b"\x89PNG\r\n\x1a\n", 0, "PNG image"),
    (b"\xff\xd8\xff", 0, "JPEG image"),
    (b"GIF87a", 0, "GIF image"),
    (b"GIF89a", 0, "GIF image"),
    (b"WEBP", 8, "WebP image"),
    (b"II*\x00", 0, "TIFF image"),
    (b"MM\x00*", 0, "TIFF image"),
    (b"PK\x03\x04", 0, "ZIP archive or Office document"),
    (b"PK\x05\x06", 0, "ZIP archive"),
    (b"\x1f\x8b", 0, "gzip archive"),
    (b"BZh91AY&SY", 0, "bzip2 archive"),
    (b"\xfd7zXZ\x00", 0, "xz archive"),
    (b"(\xb5/\xfd", 0, "zstd archive"),
    (b"7z\xbc\xaf\x27\x1c", 0, "7-Zip archive"),
    (b"Rar!\x1a\x07", 0, "RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "old Microsoft Office document"),
    (b"{\\rtf", 0, "RTF document"),
    (b"SQLite format 3\x00", 0, "SQLite database"),
    (b"\x7fELF", 0, "ELF executable"),
    (b"MZ", 0, "Windows executable"),
    (b"\xca\xfe\xba\xbe", 0, "Java class file"),
    (b"\x00asm", 0, "WebAssembly module"),
    (b"ftyp", 4, "MP4/QuickTime video"),
    (b"ID3", 0, "MP3 audio"),
    (b"OggS", 0, "Ogg media"),
    (b"fLaC", 0, "FLAC audio"),
    (b"RIFF", 0, "RIFF media (WAV/AVI)"),
    (b"wOFF", 0, "web font"),
    (b"wOF2", 0, "web font"),
    (b"PAR1", 0, "Parquet file"),
)

# Single-byte code pages tried for non-UTF text, most likely first (ties go to the earlier).
_SINGLE_BYTE = ("cp1252", "cp1251", "cp1250", "cp1253", "cp1254", "cp1257", "koi8_r",
                "cp1256", "cp1255", "cp874", "cp1258")
# Candidates handed to charset-normalizer; only its multi-byte verdicts are trusted.
_CN_CANDIDATES = list(_SINGLE_BYTE) + ["gb18030", "big5", "cp932", "euc_kr", "euc_jp"]
_MULTI_BYTE = {"gb18030", "gb2312", "gbk", "big5", "big5hkscs", "cp932", "shift_jis",
               "euc_kr", "cp949", "euc_jp", "iso2022_jp"}

_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_NON_ASCII_RUN = re.compile(rb"[\x80-\xff]+")
# A "word" for plausibility scoring: a run without ASCII space/punctuation.
_BYTE_TOKEN = re.compile(rb"[^\s!-/:-@\[-`{-~]+")
_NEWLINES = re.compile(r"\r\n?|[\x0b\x0c]")
_C0 = re.compile(r"[\x00-\x08\x0e-\x1f]")
# Bytes scored per candidate code page: enough words to decide, cheap for 11 candidates.
_SCORE_BYTES = 8192
# Distinct non-ASCII words scored: enough to tell code pages apart, cheap enough for 11.
_SCORE_WORDS = 300


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, with what the caller may need to tell the user."""

    text: str  # cleaned (see clean_text); "" for binary
    encoding: str  # "utf-8", "utf-16-le", "cp1251", ... ("" for binary)
    binary: Optional[str] = None  # "PDF document", "" (unknown binary); None when text
    replaced: int = 0  # undecodable byte sequences shown as U+FFFD
    note: Optional[str] = None  # mixed encodings / replacements worth telling the user

    @property
    def is_binary(self) -> bool:
        return self.binary is not None


def sniff_binary(data: bytes) -> Optional[str]:
    """Name the binary format of `data` from its magic number, or None if none matches."""
    for magic, offset, what in _MAGIC:
        if data[offset:offset + len(magic)] == magic:
            return what
    return None


def clean_text(text: str) -> str:
    """Newlines to \\n and C0 control characters (but \\t, \\n) removed; all else unchanged.

    Vertical tab and form feed (page breaks from PDF-to-text tools) become newlines so the
    words on either side are not glued together.
    """
    if "\r" in text or "\x0b" in text or "\x0c" in text:
        text = _NEWLINES.sub("\n", text)
    return _C0.sub("", text)


def decode(data: bytes, declared: Optional[str] = None) -> Decoded:
    """Decode file bytes to cleaned text; never raises.

    `declared` is an encoding the container names (an HTML meta charset); it is used when
    the bytes are not UTF-8 and it decodes them.
    """
    try:
        return _decode(data, declared)
    except Exception as exc:  # last resort: bad input must never take the batch down
        text = clean_text(data.decode("utf-8", "replace"))
        return Decoded(text, "utf-8", replaced=text.count("\ufffd"),
                       note=f"decoding failed ({type(exc).__name__}); read with replacement")


def _decode(data: bytes, declared: Optional[str]) -> Decoded:
    if not data:
        return Decoded("", "utf-8")
    bom = _bom(data)
    if bom:
        encoding, size = bom
        return _finish(data[size:].decode(encoding, "replace"), encoding)
    what = sniff_binary(data)
    if what:
        return Decoded("", "", binary=what)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _finish(data.decode(utf16, "replace"), utf16)
    sample = data[: limits.SNIFF_BYTES]
    if len(_CONTROL_BYTES.findall(sample)) > limits.MAX_CONTROL_RATIO * len(sample):
        return Decoded("", "", binary="")
    try:
        return _finish(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    return _decode_legacy(data, declared)


def _bom(data: bytes) -> Optional[tuple[str, int]]:
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8", 3
    if data.startswith(b"\xff\xfe\x00\x00"):
        return "utf-32-le", 4
    if data.startswith(b"\x00\x00\xfe\xff"):
        return "utf-32-be", 4
    if data.startswith(b"\xff\xfe"):
        return "utf-16-le", 2
    if data.startswith(b"\xfe\xff"):
        return "utf-16-be", 2
    return None


def _utf16_without_bom(data: bytes) -> Optional[str]:
    """UTF-16 without BOM puts the NUL of ASCII characters always on the same side."""
    sample = data[: limits.SNIFF_BYTES & ~1]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    nuls = even + odd
    if nuls < 0.02 * len(sample) or len(sample) < 4:
        return None
    if odd >= 0.9 * nuls:
        encoding = "utf-16-le"
    elif even >= 0.9 * nuls:
        encoding = "utf-16-be"
    else:
        return None
    text = sample.decode(encoding, "replace")
    bad = sum(1 for ch in text if ch == "\ufffd" or (ch < " " and ch not in "\t\n\r\x0c"))
    return encoding if bad <= limits.MAX_CONTROL_RATIO * len(text) else None


def _finish(text: str, encoding: str, note: Optional[str] = None) -> Decoded:
    if text.startswith("\ufeff"):
        text = text[1:]
    text = clean_text(text)
    replaced = text.count("\ufffd")
    if replaced and note is None and (
        replaced >= 20 or replaced > limits.REPLACED_NOTE_RATIO * len(text)
    ):
        note = f"{replaced} undecodable byte sequences replaced with \ufffd"
    # Text that decodes only into junk (controls already removed) is binary after all.
    if len(text) >= 16 and replaced > 0.3 * len(text):
        return Decoded("", "", binary="")
    return Decoded(text, encoding, replaced=replaced, note=note)


def _decode_legacy(data: bytes, declared: Optional[str]) -> Decoded:
    """Bytes that are not (all) UTF-8: a legacy code page, or UTF-8 mixed with one."""
    runs = [m.group() for m in _NON_ASCII_RUN.finditer(data)]
    utf8_runs = 0
    legacy: list[bytes] = []
    for run in runs:
        try:
            run.decode("utf-8")
            utf8_runs += 1
        except UnicodeDecodeError:
            legacy.append(run)
    declared_ok = _usable_declared(declared)
    if utf8_runs and utf8_runs >= len(legacy) // 4:
        # Mixed file (pasted pieces, concatenated exports): UTF-8 where it is UTF-8,
        # the legacy code page only for the runs that are not.
        encoding = declared_ok or _guess_single_byte(b" ".join(_legacy_words(data, 300)))
        parts: list[str] = []
        pos = 0
        for m in _NON_ASCII_RUN.finditer(data):
            parts.append(data[pos:m.start()].decode("ascii"))
            run = m.group()
            try:
                parts.append(run.decode("utf-8"))
            except UnicodeDecodeError:
                parts.append(run.decode(encoding, "replace"))
            pos = m.end()
        parts.append(data[pos:].decode("ascii"))
        note = (f"mixed encodings: {len(legacy)} passages were not UTF-8 and were read "
                f"as {encoding}")
        return _finish("".join(parts), f"utf-8+{encoding}", note)
    encoding = declared_ok or _guess_encoding(data)
    return _finish(data.decode(encoding, "replace"), encoding)


def _usable_declared(declared: Optional[str]) -> Optional[str]:
    if not declared:
        return None
    try:
        name = codecs.lookup(declared.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None
    if name in ("utf-8", "ascii", "latin-1", "iso8859-1"):
        # UTF-8 already failed; "latin-1"/"ascii" on web pages means Windows-1252.
        return "cp1252" if name != "utf-8" else None
    return name


def _guess_encoding(data: bytes) -> str:
    sample = data[: limits.SNIFF_BYTES]
    best, score = _best_single_byte(sample[:_SCORE_BYTES])
    if best in _LATIN_PAGES and score >= 0:
        return best  # clear Latin-script words: no need for the (slow) language model
    cn_pick = _charset_normalizer_pick(sample)
    if cn_pick in _MULTI_BYTE:
        return cn_pick
    if best not in _LATIN_PAGES and cn_pick and cn_pick not in _LATIN_PAGES:
        return cn_pick
    return best


def _charset_normalizer_pick(sample: bytes) -> Optional[str]:
    """charset-normalizer's pick when it has language evidence for it (coherence > 0)."""
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(sample, cp_isolation=_CN_CANDIDATES).best()
    except Exception:
        return None
    if best is None:
        return None
    if best.encoding in _MULTI_BYTE or best.coherence > 0:
        return best.encoding
    return None


def _legacy_words(data: bytes, limit: int) -> list[bytes]:
    """The words (as bytes) that hold non-UTF-8 bytes: what the legacy guess must explain."""
    found = []
    for m in _BYTE_TOKEN.finditer(data):
        word = m.group()
        if word.isascii():
            continue
        try:
            word.decode("utf-8")
        except UnicodeDecodeError:
            found.append(word)
            if len(found) >= limit:
                break
    return found


def _guess_single_byte(sample: bytes) -> str:
    """The code page under which `sample` reads most like words of one real language."""
    return _best_single_byte(sample)[0]


def _best_single_byte(sample: bytes) -> tuple[str, float]:
    """Best single-byte code page and its score. Between non-Latin code pages (Cyrillic vs
    Hebrew vs Greek ...) whole words look alike to this score, so there the caller lets
    charset-normalizer's language model decide when it has one."""
    words = Counter()
    for m in _BYTE_TOKEN.finditer(sample):
        word = m.group()
        if not word.isascii():
            words[word] += 1
            if len(words) >= _SCORE_WORDS:
                break
    best, best_score = _SINGLE_BYTE[0], float("-inf")
    for encoding in _SINGLE_BYTE:
        score = _plausibility(words, encoding)
        if score > best_score:
            best, best_score = encoding, score
    return best, best_score


def _plausibility(words: Counter, encoding: str) -> float:
    score = 0.0
    latin: list[tuple[frozenset[str], int]] = []
    for word, count in words.items():
        token_score, letters = _token_score(word.decode(encoding, "replace"))
        score += token_score * count
        if letters is not None:
            latin.append((letters, count))
    if latin:
        # Latin-script words count when one language's alphabet explains them all.
        total = sum(count for _, count in latin)
        covered = max(sum(count for letters, count in latin if letters <= alphabet)
                      for alphabet in _ALPHABETS)
        score += covered - 0.5 * (total - covered)
    return score


# Letters of rare languages that a wrong Western code page produces from common ones, and
# C1 controls / unassigned bytes.
_RARE = set("\u0080\u0081\u008d\u008f\u0090\u009d")
_LATIN_PAGES = {"cp1252", "cp1250", "cp1254", "cp1257", "cp1258"}
# Non-ASCII lower-case letters of the languages written with Latin-script code pages.
_ALPHABETS = tuple(frozenset(a) for a in (
    "àâæçéèêëîïôœùûüÿ",  # French
    "äöüß",  # German
    "áéíñóúü",  # Spanish
    "áâãàçéêíóôõú",  # Portuguese
    "àèéìíîòóùú",  # Italian
    "àçéèíïóòúü·",  # Catalan
    "éëïöü",  # Dutch
    "åæøé",  # Danish, Norwegian
    "åäöéü",  # Swedish, Finnish
    "áðéíóúýþæö",  # Icelandic
    "ąćęłńóśźż",  # Polish
    "áčďéěíňóřšťúůýž",  # Czech
    "áäčďéíĺľňóôŕšťúýž",  # Slovak
    "áéíóöőúüű",  # Hungarian
    "ăâîșțşţ",  # Romanian
    "âçğıîöşü\u0307",  # Turkish ("İ".lower() leaves a combining dot)
    "çəğıöşü",  # Azerbaijani
    "čćđšž",  # Croatian, Serbian, Bosnian, Slovene
    "ąčęėįšųūž",  # Lithuanian
    "āčēģīķļņšūž",  # Latvian
    "äöõüšž",  # Estonian
    "çë",  # Albanian
    "ċġħż",  # Maltese
    "áéíóú",  # Irish
    "âêîôûŵŷ",  # Welsh
))


def _token_score(token: str) -> tuple[float, Optional[frozenset[str]]]:
    """Score one word; for Latin-script words also return their non-ASCII letters."""
    infos = [_char_info(ch) for ch in token]
    start, end = 0, len(token)
    while start < end and not infos[start][1]:
        start += 1
    while end > start and not infos[end - 1][1]:
        end -= 1
    if start == end:
        bad = any(ch == "\ufffd" or "\x80" <= ch <= "\x9f" for ch in token)
        return (-1.0 if bad else 0.0), None
    scripts = set()
    letters = set()
    prev_lower = False
    non_ascii = 0
    score = 0.0
    for i in range(start, end):
        ch = token[i]
        script, is_letter = infos[i]
        if ch.isascii():
            if is_letter:
                scripts.add("LATIN")
            prev_lower = ch.islower()
            continue
        non_ascii += 1
        if not is_letter or not script:
            score -= 2.0
            continue
        scripts.add(script)
        if prev_lower and ch.isupper():
            score -= 1.0
        prev_lower = ch.islower()
        letters.update(ch.lower())
    if len(scripts) > 1:
        return score - 3.0, None
    if scripts == {"LATIN"}:
        if non_ascii == end - start and end - start >= 3:
            score -= 1.5  # Latin-script words are mostly plain letters
        return score, frozenset(letters) if letters else None
    return score + 1.0, None


@lru_cache(maxsize=4096)
def _char_info(ch: str) -> tuple[str, bool]:
    """(script, is a letter): script is the first word of the Unicode name ("CYRILLIC")."""
    if ch.isascii():
        return ("LATIN" if ch.isalpha() else ""), ch.isalpha()
    if ch == "\ufffd" or ch in _RARE:
        return "", False
    is_letter = unicodedata.category(ch)[0] in "LM"
    try:
        script = unicodedata.name(ch).split(" ", 1)[0]
    except ValueError:
        return "", False
    return script, is_letter
