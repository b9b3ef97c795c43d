"""The server, started as the README's "Deploy" section starts it, reaches for nothing
outside this machine, and the shipped settings keep usage statistics off and server details
out of the page.

The command line is read from the README itself, so the documented settings are the ones
tested. The server runs under `net_audit.py` (every address it reaches for is recorded and
anything off this machine refused) and, where the system allows, in a network namespace of
its own with no way out at all.
"""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
import tomllib

import pytest

from browser_support import ROOT, free_port, stop_process

README = ROOT / "README.md"
CONFIG = ROOT / ".streamlit" / "config.toml"


def deploy_command() -> tuple[dict[str, str], list[str]]:
    """(environment, argv) of the README's generic-server command (section "Deploy")."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("\n## Deploy"):]
    block = re.search(r"```bash\n(.*?)```", section, re.S)
    assert block, "the Deploy section shows its command line in a bash block"
    line = " ".join(part.strip() for part in block.group(1).replace("\\\n", " ").splitlines()
                    if "streamlit run" in part or part.strip().startswith(("ATLAS_", "--")))
    words = shlex.split(line)
    env = dict(w.split("=", 1) for w in words if re.fullmatch(r"[A-Z_]+=.*", w))
    argv = [w for w in words if not re.fullmatch(r"[A-Z_]+=.*", w)]
    assert argv[:3] == ["streamlit", "run", "app.py"], argv
    return env, argv


def _own_network_namespace() -> list[str]:
    """`unshare -rn` when this system lets an unprivileged process make one, else []."""
    if shutil.which("unshare") is None:
        return []
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
    return ["unshare", "-rn"] if probe.returncode == 0 else []


def _start(tmp_path, env_extra: dict[str, str], argv: list[str]):
    log = tmp_path / "net.jsonl"
    port = str(free_port())
    args = list(argv)
    args[args.index("--server.port") + 1] = port
    cmd = [*_own_network_namespace(), sys.executable, str(ROOT / "tests" / "net_audit.py"),
           str(log), "-m", *args]
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    env.update(env_extra)
    env.update({"ATLAS_DB": str(tmp_path / "data" / "atlas.duckdb"), "PYTHONUNBUFFERED": "1"})
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True, text=True)
    return proc, log


def _read_until_urls(proc) -> list[str]:
    """Lines the server prints up to the blank line after its URL(s): by then every address
    look-up of the start is done (the URLs are worked out before they are printed)."""
    lines: list[str] = []
    done = threading.Event()

    def read() -> None:
        seen_url = False
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if "URL:" in line:
                seen_url = True
            elif seen_url and not line.strip():
                break
        done.set()

    threading.Thread(target=read, daemon=True).start()
    done.wait(timeout=180)  # a bound so a broken start fails instead of hanging
    return lines


def test_the_readme_deploy_command_is_read_only_and_headless():
    env, argv = deploy_command()
    assert env.get("ATLAS_MODE") == "deployed"
    assert argv[argv.index("--server.headless") + 1] == "true"
    assert "--server.port" in argv


def test_shipped_settings_keep_statistics_off_and_details_in():
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert config["browser"]["gatherUsageStats"] is False
    assert config["browser"]["serverAddress"] == "localhost"  # no external IP look-up at start
    assert config["client"]["showErrorDetails"] == "none"  # no traceback for visitors
    assert config["server"]["maxUploadSize"] == 25  # = data_prep.limits.MAX_FILE_BYTES


def test_server_start_as_deployed_makes_no_outside_connection(tmp_path):
    env, argv = deploy_command()
    proc, log = _start(tmp_path, env, argv)
    try:
        lines = _read_until_urls(proc)
    finally:
        stop_process(proc)
    assert any("URL:" in line for line in lines), "\n".join(lines[-30:])
    entries = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    assert [e for e in entries if e["event"] == "socket.bind"], "the hook watched the server"
    assert [e for e in entries if not e["allowed"]] == []
    assert not [line for line in lines if "external IP" in line or "checkip" in line]


@pytest.mark.parametrize("address", ["127.0.0.1"])
def test_net_audit_records_and_refuses_an_outside_address(tmp_path, address):
    """The audit itself: a program that reaches out is caught, loopback is let through."""
    log = tmp_path / "net.jsonl"
    program = ("import socket\n"
               "for host in ('%s', '192.0.2.1'):\n"
               "    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
               "    try:\n"
               "        s.connect((host, 9))\n"
               "    except PermissionError as e:\n"
               "        print('refused', host)\n" % address)
    module = tmp_path / "reach_out.py"
    module.write_text(program, encoding="utf-8")
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "net_audit.py"), str(log), "-m",
                           "reach_out"], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(tmp_path)})
    assert proc.stdout.split("\n")[0] == "refused 192.0.2.1", proc.stderr
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(e["host"], e["allowed"]) for e in entries] == [(address, True), ("192.0.2.1", False)]
