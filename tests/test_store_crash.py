"""kill -9 a real build process at random moments: the database must be as before or as after.

Each run starts from a copy of a database holding the 'old' articles and builds old + new;
the killed database must open and hold exactly the old or exactly the new complete set
(every stored article's rows hashed), and a next build must complete it.
"""
from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from data_prep import service, store
from test_store import article_hashes, table_counts, write_articles

ROOT = Path(__file__).resolve().parent.parent


def start_build(db: Path, *folders: Path) -> subprocess.Popen:
    """The build as a user runs it: `python -m data_prep build FOLDER... --db DB` (its own
    process; the CLI calls service.build)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in [str(ROOT), env.get("PYTHONPATH")] if p)
    args = [sys.executable, "-m", "data_prep", "build", *map(str, folders), "--db", str(db),
            "--quiet"]
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def leftovers(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.glob(db.name + ".tmp-*"))


def fresh_copy(base: Path, folder: Path) -> Path:
    folder.mkdir()
    db = folder / base.name
    shutil.copyfile(base, db)
    return db


def kill_after(proc: subprocess.Popen, db: Path, delay: float, when_temp: bool) -> None:
    """SIGKILL after `delay` s, or (when_temp) `delay` s after its temp database appears,
    which is the commit phase: copy, insert, checkpoint, rename."""
    deadline = time.monotonic() + 60
    if when_temp:
        while not leftovers(db) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.0005)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def test_kill_9_leaves_old_or_new_and_next_build_completes(tmp_path):
    old_dir, new_dir = tmp_path / "old", tmp_path / "new"
    write_articles(old_dir, 100, "o")
    write_articles(new_dir, 220, "n")
    base = tmp_path / "base" / "atlas.duckdb"
    service.build([old_dir], base)
    before = article_hashes(base)
    assert len(before) == 100

    # the complete run, timed, gives the 'after' state and the window to kill in
    full = fresh_copy(base, tmp_path / "full")
    t0 = time.monotonic()
    proc = start_build(full, old_dir, new_dir)
    out, err = proc.communicate(timeout=600)
    duration = time.monotonic() - t0
    assert proc.returncode == 0, err.decode()[-2000:]
    after = article_hashes(full)
    assert len(after) == 320 and all(after[k] == v for k, v in before.items())

    rng = random.Random(20261123)
    plans = [(rng.uniform(0.0, duration), False) for _ in range(5)]
    plans += [(rng.uniform(0.0, 0.05), True) for _ in range(4)]
    outcomes = []
    for i, (delay, when_temp) in enumerate(plans):
        db = fresh_copy(base, tmp_path / f"kill{i}")
        kill_after(start_build(db, old_dir, new_dir), db, delay, when_temp)
        got = article_hashes(db)  # opens: not corrupt
        assert got in (before, after), f"kill {i} after {delay:.3f}s left a mixed database"
        counts = table_counts(db)
        assert counts["articles"] == len(got)
        outcomes.append("after" if got == after else "before")

        report = service.build([old_dir, new_dir], db)  # the next build completes it
        assert article_hashes(db) == after
        assert len(report.added) == (0 if got == after else 220)
        assert leftovers(db) == []  # temp copies of the killed writer cleaned up
    assert "before" in outcomes  # the kills really interrupted builds
