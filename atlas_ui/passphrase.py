"""The editor passphrase: kept only as a salted scrypt hash, checked in constant time, with
a growing wait after wrong tries. No Streamlit here.

Why a hash: the secrets file or the environment of a server is read by more people and
tools than its owner; a hash there does not give the passphrase away. Why the wait: a
shared URL is reachable by anyone, so guessing must be slow for everyone at once (the
throttle is process-wide, not per browser tab).

Make a hash to keep in `.streamlit/secrets.toml` or `ATLAS_EDITOR_PASSPHRASE_HASH`:

    python -m atlas_ui.passphrase
"""
from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import os
import re
import sys
import threading
import time
from dataclasses import dataclass
from typing import Callable, Optional

N, R, P, KEY_BYTES = 2 ** 14, 8, 1, 32  # scrypt cost: ~16 MB and a few tens of ms per check
MIN_LENGTH = 12
_FORMAT = re.compile(r"scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)")


@dataclass(frozen=True)
class StoredHash:
    n: int
    r: int
    p: int
    salt: bytes
    key: bytes


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int, size: int) -> bytes:
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=size,
                          maxmem=256 * 1024 * 1024)


def hash_passphrase(passphrase: str, salt: Optional[bytes] = None) -> str:
    """`scrypt$N$r$p$salt$key` (base64): the only form in which a passphrase is kept."""
    salt = salt if salt is not None else os.urandom(16)
    return f"scrypt${N}${R}${P}${_b64(salt)}${_b64(_derive(passphrase, salt, N, R, P, KEY_BYTES))}"


def parse_hash(text: object) -> Optional[StoredHash]:
    """The parts of a stored hash, or None when it is not one this module made (with costs
    bounded, so a bad setting cannot make a check take minutes or gigabytes)."""
    m = _FORMAT.fullmatch(text.strip()) if isinstance(text, str) else None
    if not m:
        return None
    n, r, p = (int(x) for x in m.group(1, 2, 3))
    if not (2 ** 10 <= n <= 2 ** 20 and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 4):
        return None
    try:
        salt, key = base64.b64decode(m[4], validate=True), base64.b64decode(m[5], validate=True)
    except ValueError:
        return None
    return StoredHash(n, r, p, salt, key) if len(salt) >= 16 and len(key) == KEY_BYTES else None


def verify(passphrase: str, stored: str) -> bool:
    """True when `passphrase` matches the stored hash (compared in constant time)."""
    parts = parse_hash(stored)
    if parts is None or not isinstance(passphrase, str):
        return False
    derived = _derive(passphrase, parts.salt, parts.n, parts.r, parts.p, len(parts.key))
    return hmac.compare_digest(derived, parts.key)


class Throttle:
    """After each wrong try the next one waits longer: 1, 2, 4 … up to `cap` seconds; a right
    one resets it. Thread-safe; `clock` is injectable so tests never wait."""

    def __init__(self, base: float = 1.0, cap: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.base, self.cap, self.clock = base, cap, clock
        self.failures = 0
        self._until = 0.0
        self._lock = threading.Lock()

    def wait_needed(self) -> float:
        """Seconds to wait before the next try may be checked (0 when none)."""
        with self._lock:
            return max(0.0, self._until - self.clock())

    def failed(self) -> float:
        """Count a wrong try; returns the wait it imposes on the next one."""
        with self._lock:
            self.failures += 1
            delay = min(self.cap, self.base * 2 ** (self.failures - 1))
            self._until = self.clock() + delay
            return delay

    def succeeded(self) -> None:
        with self._lock:
            self.failures, self._until = 0, 0.0


def main() -> int:
    """Ask for a passphrase twice and print its hash and where to put it."""
    first = getpass.getpass("Editor passphrase (at least 12 characters): ")
    if len(first) < MIN_LENGTH:
        print(f"Too short: use at least {MIN_LENGTH} characters.", file=sys.stderr)
        return 1
    if getpass.getpass("Again: ") != first:
        print("The two entries differ.", file=sys.stderr)
        return 1
    stored = hash_passphrase(first)
    print("Keep this line in .streamlit/secrets.toml, under [atlas]:")
    print(f'editor_passphrase_hash = "{stored}"')
    print("or in the environment of the server:")
    print(f"ATLAS_EDITOR_PASSPHRASE_HASH='{stored}'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
