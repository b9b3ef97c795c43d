"""File-level safety of the store: the writers' lock, temp copies and the atomic swap.

Why: a DuckDB file can be open read-write by one process only, and a build killed half-way
must leave the previous database whole. So writers never open the live file read-write;
they serialise on `<db>.lock` (fcntl.flock: released by the kernel when a holder dies, even
by kill -9), write a private copy `<db>.tmp-<pid>-<random>`, fsync it and `os.replace` it
over the live file. Readers keep the inode they opened, so they are never blocked.
POSIX only (fcntl).
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import fcntl
import os
import secrets
import shutil
import time
from pathlib import Path
from typing import Callable, Iterator, Optional

LOCK_TIMEOUT_S = 900.0  # a writer waits this long for another build (20,000 articles ~ 1-2 min)
_POLL_S = 0.05


class StoreBusy(TimeoutError):
    """Another process kept the database's write lock past the timeout."""


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def _holder(path: Path) -> str:
    try:
        pid = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return "another process"
    return f"process {pid}" if pid.isdigit() else "another process"


@contextlib.contextmanager
def write_lock(db_path: Path, timeout: Optional[float] = None,
               on_wait: Optional[Callable[[str], None]] = None) -> Iterator[None]:
    """Hold the exclusive writer lock of `db_path` (waits up to `timeout` seconds, default
    LOCK_TIMEOUT_S read at call time). `on_wait(message)` is called once if another writer
    holds the lock, so a user is told why nothing happens yet."""
    timeout = LOCK_TIMEOUT_S if timeout is None else timeout
    told = False
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + max(0.0, timeout)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise
                if not told and on_wait is not None:
                    told = True
                    on_wait("another write is under way: waiting for it to finish")
                if time.monotonic() >= deadline:
                    raise StoreBusy(
                        f"{db_path} is being written by {_holder(path)} (lock {path}); "
                        f"gave up after {timeout:.0f} s: try again when it has finished"
                    ) from None
                time.sleep(_POLL_S)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # releases the flock


def temp_path(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")


def remove_file(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _remove_any(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        remove_file(path)


def remove_temp(tmp: Path) -> None:
    """Delete a temp database, DuckDB's write-ahead log and spill folder beside it."""
    for p in (tmp, tmp.with_name(tmp.name + ".wal"), tmp.with_name(tmp.name + ".tmp")):
        _remove_any(p)


def clean_stale_temps(db_path: Path) -> list[Path]:
    """Delete temp copies left by killed writers. Only call while holding the write lock:
    then no live writer owns any of them."""
    gone = []
    for p in db_path.parent.glob(f"{db_path.name}.tmp-*"):
        _remove_any(p)
        gone.append(p)
    return gone


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # some file systems refuse fsync on a directory
        fsync_file(folder)


def copy_database(src: Path, dst: Path) -> None:
    shutil.copyfile(src, dst)


def publish(tmp: Path, db_path: Path) -> None:
    """Atomically make `tmp` the live database: fsync, rename over, fsync the folder."""
    fsync_file(tmp)
    os.replace(tmp, db_path)
    fsync_dir(db_path.parent)


def move_aside(db_path: Path, why: str) -> Path:
    """Rename an unusable database to `<db>.<why>-<timestamp>` (never delete user data)."""
    stamp = _dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    target = db_path.with_name(f"{db_path.name}.{why}-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = db_path.with_name(f"{db_path.name}.{why}-{stamp}-{n}")
    os.replace(db_path, target)
    wal = db_path.with_name(db_path.name + ".wal")
    if wal.exists():
        os.replace(wal, target.with_name(target.name + ".wal"))
    fsync_dir(db_path.parent)
    return target
