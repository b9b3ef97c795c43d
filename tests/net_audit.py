"""Run a Python module with every network address it reaches for recorded, and every
address off this machine refused.

    python tests/net_audit.py LOG -m streamlit run app.py --server.headless true ...

Why an audit hook (PEP 578) rather than watching sockets from outside: a look-up that
fails fast (no network) or a UDP "connect" that sends nothing would slip between two polls
of the socket table; the hook sees each one as the process makes it. Each attempt is one
JSON line in LOG: {"event", "host", "port", "allowed"}; binds are recorded too (allowed),
which shows the hook was in place in the server. Refusing (by raising in the hook)
means a test run never reaches the outside even when the code under test tries to.
"""
from __future__ import annotations

import ipaddress
import json
import runpy
import sys

_LOCAL_NAMES = {None, "", "localhost", "0.0.0.0", "::"}  # the last two: binding, not leaving


def is_local(host: object) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host in _LOCAL_NAMES:
        return True
    if not isinstance(host, str):
        return False
    if host.startswith("/") or host.startswith("\0"):  # a unix socket path
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _address(event: str, args: tuple) -> tuple[object, object] | None:
    if event in ("socket.connect", "socket.sendto", "socket.bind"):
        address = args[1]
        if isinstance(address, tuple) and address:
            return address[0], address[1] if len(address) > 1 else None
        return address, None
    if event == "socket.getaddrinfo":
        return args[0], args[1]
    if event in ("socket.gethostbyname", "socket.gethostbyname_ex", "socket.gethostbyaddr"):
        return args[0], None
    return None


def main() -> None:
    log = open(sys.argv[1], "a", buffering=1, encoding="utf-8")

    def hook(event: str, args: tuple) -> None:
        found = _address(event, args)
        if found is None:
            return
        host, port = found
        allowed = event == "socket.bind" or is_local(host)  # listening is not reaching out
        log.write(json.dumps({"event": event, "host": str(host), "port": str(port),
                              "allowed": allowed}) + "\n")
        if not allowed:
            raise PermissionError(f"net_audit: {event} to {host} refused")

    sys.addaudithook(hook)
    if sys.argv[2] != "-m":
        raise SystemExit("usage: net_audit.py LOG -m MODULE [ARGS...]")
    module = sys.argv[3]
    sys.argv = [module, *sys.argv[4:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
