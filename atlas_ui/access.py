"""Who may change data: viewers read, editors add articles and correct.

The decision (written down in the README, "Deploy"):

1. `ATLAS_MODE` (environment) or `mode` under `[atlas]` in `.streamlit/secrets.toml` says
   `local` or `deployed`; set, it decides.
2. Unset, the server's own settings decide: it is *local* when Streamlit listens on a
   loopback address only (`server.address` = localhost, 127.0.0.1 or ::1: nobody else can
   reach it), or when Streamlit runs with a screen (`server.headless` false: someone ran it
   on their desktop and it opens their browser). Anything else is *deployed*.
3. What a client sends may only take rights away, never give them: on a local server, a
   session that arrives through a proxy (forwarding headers), names another host, or comes
   from another machine's address is treated as a visitor of a deployment.

On a local server everyone reaching it edits, with no set-up. On a deployed one, visitors
read; editors sign in with Streamlit's own `st.login` (OpenID Connect, `[auth]` in secrets,
plus `editors = [...]` under `[atlas]`) or with the editor passphrase, kept only as a hash
(`editor_passphrase_hash` under `[atlas]`, or `ATLAS_EDITOR_PASSPHRASE_HASH`). A deployment
with neither is read-only and says how to enable editing.
"""
from __future__ import annotations

import ipaddress
import os
import time
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence

import streamlit as st

from atlas_ui import inert, passphrase

MODE_ENV, HASH_ENV, EDITORS_ENV = "ATLAS_MODE", "ATLAS_EDITOR_PASSPHRASE_HASH", "ATLAS_EDITORS"
SIGN_IN_PAGE = "pages/8_Sign_in.py"
_EDITOR_KEY = "_atlas_editor"
_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
_FORWARDING = ("x-forwarded-for", "x-forwarded-host", "x-real-ip", "forwarded")
MAX_NAME = 60


@dataclass(frozen=True)
class ServerMode:
    local: bool
    explicit: bool  # set by ATLAS_MODE / secrets rather than derived from server settings


@dataclass(frozen=True)
class Editor:
    name: str  # as recorded in the audit trail
    how: str  # local | passphrase | login


@dataclass(frozen=True)
class EditingSetup:
    passphrase_hash: Optional[str]
    login: bool  # st.login configured ([auth] in secrets) with a list of editors
    editors: tuple[str, ...]

    @property
    def configured(self) -> bool:
        return bool(self.passphrase_hash) or self.login


# --------------------------------------------------------------------------- pure decisions


def is_loopback(host: Optional[str]) -> bool:
    """localhost, 127.x.x.x, ::1 (a port and IPv6 brackets allowed)."""
    if not isinstance(host, str) or not host.strip():
        return False
    h = host.strip().lower()
    if h.startswith("["):
        h = h[1:h.find("]")] if "]" in h else h[1:]
    elif h.count(":") == 1:
        h = h.split(":")[0]
    if h in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False


def server_mode(explicit: Optional[str], address: Optional[str], headless: bool) -> ServerMode:
    """Local or deployed, from server-side settings only (see the module doc)."""
    value = (explicit or "").strip().lower()
    if value in ("local", "deployed"):
        return ServerMode(value == "local", True)
    return ServerMode(is_loopback(address) or not headless, False)


def session_may_be_local(peer_ip: Optional[str], headers: Mapping[str, str]) -> bool:
    """False when the session shows it comes from elsewhere: restricts, never grants."""
    lowered = {str(k).lower(): v for k, v in headers.items()}
    if any(lowered.get(h) for h in _FORWARDING):
        return False
    host = lowered.get("host")
    if host and not is_loopback(host):
        return False
    return not isinstance(peer_ip, str) or is_loopback(peer_ip)  # no address: nothing to go by


def is_listed_editor(email: Optional[str], editors: Sequence[str]) -> bool:
    return bool(email) and email.strip().casefold() in {e.strip().casefold() for e in editors}


def clean_name(name: Any) -> str:
    from data_prep.corrections import clean_text

    return clean_text(name, MAX_NAME)


# --------------------------------------------------------------------------- settings


def _secret(key: str) -> Any:
    """`[atlas] key` from Streamlit's secrets, or None (no secrets file is fine)."""
    try:
        section = st.secrets.get("atlas")
        return section.get(key) if section is not None else None
    except Exception:  # noqa: BLE001 - no or unreadable secrets: the setting is unset
        return None


def _has_auth() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001
        return False


def current_mode() -> ServerMode:
    explicit = os.environ.get(MODE_ENV) or _secret("mode")
    return server_mode(str(explicit) if explicit else None, st.get_option("server.address"),
                       bool(st.get_option("server.headless")))


def editing_setup() -> EditingSetup:
    stored = os.environ.get(HASH_ENV) or _secret("editor_passphrase_hash")
    stored = stored if passphrase.parse_hash(stored) else None
    listed = os.environ.get(EDITORS_ENV)
    editors = tuple(e for e in (listed.split(",") if listed else _secret("editors") or ()) if e)
    return EditingSetup(stored, _has_auth() and bool(editors), tuple(str(e) for e in editors))


def _session_local() -> bool:
    try:
        headers = dict(st.context.headers)
        peer = st.context.ip_address
    except Exception:  # noqa: BLE001 - no context (a bare script run): nothing to restrict
        return True
    return session_may_be_local(peer, headers)


def logged_in_email() -> Optional[str]:
    """The e-mail of a user signed in with st.login, or None."""
    try:
        user = st.user
        email = user.get("email") if user.get("is_logged_in") else None
    except Exception:  # noqa: BLE001 - st.login not configured
        return None
    return str(email) if email else None


def _login_editor(setup: EditingSetup) -> Optional[Editor]:
    if not setup.login:
        return None
    email = logged_in_email()
    return Editor(email, "login") if email and is_listed_editor(email, setup.editors) else None


def current_editor() -> Optional[Editor]:
    """The editor of this session, or None for a viewer."""
    if current_mode().local and _session_local():
        return Editor("local user", "local")
    signed = st.session_state.get(_EDITOR_KEY)
    if isinstance(signed, Editor):
        return signed
    return _login_editor(editing_setup())


def is_local_session() -> bool:
    return current_mode().local and _session_local()


# --------------------------------------------------------------------------- sign-in


@st.cache_resource(show_spinner=False)
def _throttle() -> passphrase.Throttle:
    return passphrase.Throttle()


def sign_in_with_passphrase(name: str, given: str, setup: EditingSetup) -> Optional[str]:
    """Sign this session in; returns None on success, else what to tell the user."""
    name = clean_name(name)
    if not name:
        return "Give your name: it is recorded with every change you make."
    throttle = _throttle()
    wait = throttle.wait_needed()
    if wait:
        time.sleep(wait)  # every try after a wrong one waits, whoever makes it
    if not setup.passphrase_hash or not passphrase.verify(given or "", setup.passphrase_hash):
        delay = throttle.failed()
        return f"Wrong passphrase. The next try waits {delay:.0f} s."
    throttle.succeeded()
    st.session_state[_EDITOR_KEY] = Editor(name, "passphrase")
    return None


def sign_out() -> None:
    st.session_state.pop(_EDITOR_KEY, None)


def refuse(what: str) -> None:
    """The polite refusal of an editing page to a viewer, with the way forward."""
    setup = editing_setup()
    if setup.configured:
        st.info(inert.markdown("{what} is for editors. Sign in first; visitors can browse, filter, "
                               "share and download everything.", what=what))
        st.page_link(SIGN_IN_PAGE, label="Sign in as an editor", icon=":material/login:")
    else:
        st.info(inert.markdown("{what} is switched off: this atlas is shared read-only. ", what=what)
                + HOW_TO_ENABLE)


HOW_TO_ENABLE = ("Its owner can enable editing by setting an editor passphrase hash "
                 "(`python -m atlas_ui.passphrase`) or Streamlit sign-in with a list of "
                 "editors; the README's “Deploy” section says how.")
