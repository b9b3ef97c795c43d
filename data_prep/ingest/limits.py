"""Every limit the readers enforce, in one place, so the README and the messages agree.

Each limit protects the batch, not the user's patience: past it we stop or skip with a
`ReadProblem` naming the limit, and keep reading the other files.
"""
from __future__ import annotations

MB = 1024 * 1024

# A single file (on disk, uploaded, or one zip member once expanded). Articles are KBs; 25 MB
# leaves room for big CSV/JSON exports while keeping one file's bytes comfortably in memory.
MAX_FILE_BYTES = 25 * MB

# One article's text. Longer texts are cut (at a line or word break) with a note: the
# extractors run ~1 MB/s, so 2 M chars is ~2 s of work, and nothing real is that long.
MAX_ARTICLE_CHARS = 2_000_000

# Entries read from one zip archive (directories included in the count).
MAX_ZIP_MEMBERS = 10_000

# Bytes actually decompressed from one top-level zip (nested zips included), counted while
# reading, so a zip bomb stops here whatever its headers claim.
MAX_ZIP_EXPANDED_BYTES = 200 * MB

# Zips inside zips: one level (a zip in the uploaded zip) is read, deeper ones are skipped.
MAX_ZIP_NESTING = 1

# Rows (CSV) or lines (JSONL) or list items (JSON) read from one table file.
MAX_TABLE_ROWS = 100_000

# Problems reported for one file before the rest are summed up in one line.
MAX_PROBLEMS_PER_FILE = 100

# Bytes examined to tell text from binary and to guess a legacy encoding.
SNIFF_BYTES = 64 * 1024

# Share of control bytes (C0 other than tab/newlines) above which bytes are binary, not text.
MAX_CONTROL_RATIO = 0.05

# Replacement characters (undecodable bytes) per character of text above which we say so.
REPLACED_NOTE_RATIO = 0.001

# Files taken from one upload in the dashboard (the rest are reported, not read): a batch
# the page can show outcomes for, one row per file.
MAX_UPLOAD_FILES = 50

# Bytes of one upload in the dashboard, all files together: a request the server can hold in
# memory while it reads it (Streamlit's own server.maxUploadSize bounds each file at 25 MB).
MAX_UPLOAD_BYTES = 200 * MB
