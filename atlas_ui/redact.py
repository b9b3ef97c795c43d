"""Messages shown in the app never carry the server's insides: no file paths.

Why: store and reader messages are written for the command line, where the full path
helps the user who typed it; on a shared URL the same text would tell every visitor where
the server keeps its data. Each absolute path is cut to its last part (the file name).
"""
from __future__ import annotations

import re

# An absolute POSIX path (two parts or more, not inside a URL) or a Windows drive path.
_PATH = re.compile(r"(?<![\w:/.~-])(?:/[^/\s'\"`,;:()<>]+){2,}/?|\b[A-Za-z]:\\(?:[^\\\s'\"`]+\\)*[^\\\s'\"`]+")


def _last_part(match: re.Match) -> str:
    parts = [p for p in re.split(r"[\\/]", match.group(0)) if p]
    return parts[-1] if parts else ""


def redact(text: object) -> str:
    """`text` with every absolute path reduced to its file name."""
    return _PATH.sub(_last_part, str(text))
