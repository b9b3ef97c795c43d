"""Viewers and editors: how the app decides it is local, the passphrase and its throttle,
path-free messages, and the pages as a visitor and as an editor of a deployment sees them
(Streamlit AppTest on a real seeds database)."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from atlas_ui import access, passphrase
from atlas_ui.redact import redact
from data_prep import store
from atlas_ui import inert

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 60
SECRET = "correct horse battery staple"
HASH = passphrase.hash_passphrase(SECRET, salt=b"0123456789abcdef")


# --------------------------------------------------------------------------- deciding

@pytest.mark.parametrize("explicit, address, headless, local", [
    ("local", None, True, True),
    ("DEPLOYED", "127.0.0.1", False, False),  # explicit wins over everything
    (" deployed ", None, False, False),
    ("maybe", "127.0.0.1", True, True),  # an unknown value is ignored: the settings decide
    (None, "127.0.0.1", True, True),
    (None, "localhost", True, True),
    (None, "::1", True, True),
    (None, "127.0.0.2", True, True),
    (None, None, True, False),  # all interfaces, no screen: a server
    (None, "0.0.0.0", True, False),
    (None, "192.168.1.5", True, False),
    (None, "atlas.example.org", True, False),
    (None, None, False, True),  # a desktop run: Streamlit opens this machine's browser
])
def test_server_mode_comes_from_server_settings_only(explicit, address, headless, local):
    mode = access.server_mode(explicit, address, headless)
    assert mode.local is local
    assert mode.explicit is (explicit is not None and explicit.strip().lower() in ("local", "deployed"))


@pytest.mark.parametrize("peer, headers, allowed", [
    (None, {}, True),
    (None, {"Host": "localhost:8501"}, True),
    (None, {"Host": "127.0.0.1:8501"}, True),
    (None, {"host": "[::1]:8501"}, True),
    ("127.0.0.1", {"Host": "localhost:8501"}, True),
    (None, {"Host": "atlas.example.org"}, False),  # named another host: came through a proxy
    (None, {"Host": "192.168.1.5:8501"}, False),  # a colleague on the network
    (None, {"Host": "localhost:8501", "X-Forwarded-For": "203.0.113.9"}, False),
    (None, {"Host": "localhost", "Forwarded": "for=203.0.113.9"}, False),
    (None, {"X-Real-IP": "203.0.113.9"}, False),
    ("192.168.1.7", {"Host": "localhost:8501"}, False),  # another machine's address
    ("2001:db8::1", {}, False),
])
def test_a_session_can_only_lose_rights_by_what_it_sends(peer, headers, allowed):
    assert access.session_may_be_local(peer, headers) is allowed


@pytest.mark.parametrize("email, listed", [
    ("ana@example.org", True), ("  ANA@example.org ", True), ("eve@example.org", False),
    ("", False), (None, False),
])
def test_only_listed_editors_may_edit(email, listed):
    assert access.is_listed_editor(email, ["ana@example.org", "ben@example.org"]) is listed


# --------------------------------------------------------------------------- passphrase

def test_a_passphrase_is_kept_as_a_salted_hash():
    one, two = passphrase.hash_passphrase(SECRET), passphrase.hash_passphrase(SECRET)
    assert one != two and SECRET not in one  # salted: never the same text twice
    assert one.startswith("scrypt$16384$8$1$")


@pytest.mark.parametrize("given, stored, ok", [
    (SECRET, HASH, True),
    (SECRET + " ", HASH, False),
    ("Correct horse battery staple", HASH, False),
    ("", HASH, False),
    (SECRET, "", False),
    (SECRET, SECRET, False),  # a plain passphrase in the settings is not a hash: refused
    (SECRET, HASH.replace("16384", "16000"), False),  # N not a power of two
    (SECRET, HASH.replace("$16384$", "$2147483648$"), False),  # absurd cost refused
    (SECRET, HASH[:-8], False),
    (SECRET, "bcrypt$" + HASH[7:], False),
])
def test_verify(given, stored, ok):
    assert passphrase.verify(given, stored) is ok


def test_the_throttle_makes_each_wrong_try_wait_longer_up_to_a_cap():
    clock = [100.0]  # a clock the test moves: nothing waits
    t = passphrase.Throttle(base=1.0, cap=8.0, clock=lambda: clock[0])
    assert t.wait_needed() == 0
    assert [t.failed() for _ in range(5)] == [1.0, 2.0, 4.0, 8.0, 8.0]
    assert t.wait_needed() == 8.0
    clock[0] += 5.0
    assert t.wait_needed() == 3.0
    clock[0] += 10.0
    assert t.wait_needed() == 0
    t.succeeded()
    assert t.failed() == 1.0


# --------------------------------------------------------------------------- messages

@pytest.mark.parametrize("text, shown", [
    ("built /srv/atlas/data/atlas.duckdb from 5 seed articles", "built atlas.duckdb from 5 seed articles"),
    ("/srv/atlas/data/atlas.duckdb is being written by process 12 (lock "
     "/srv/atlas/data/atlas.duckdb.lock)", "atlas.duckdb is being written by process 12 (lock "
     "atlas.duckdb.lock)"),
    (r"C:\Users\ana\atlas\atlas.duckdb is busy", "atlas.duckdb is busy"),
    ("see https://docs.streamlit.io/deploy/concepts", "see https://docs.streamlit.io/deploy/concepts"),
    ("KAZ/SGP and 1/2/3 stay", "KAZ/SGP and 1/2/3 stay"),
    ("a.zip:inner/x.txt: empty", "a.zip:inner/x.txt: empty"),
])
def test_messages_shown_in_the_app_carry_no_server_path(text, shown):
    assert redact(text) == shown


# --------------------------------------------------------------------------- pages

def _open(page: str, **secrets) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in secrets.items():
        at.secrets[key] = value
    if page != "app.py":
        at.switch_page(page)
    return at.run()


def _links(at: AppTest) -> dict[str, str]:
    return {inert.shown(p.proto.label): p.proto.page for p in at.get("page_link")}


@pytest.fixture
def deployed(seeds_db, monkeypatch):
    monkeypatch.setenv("ATLAS_DB", str(seeds_db))
    monkeypatch.setenv("ATLAS_MODE", "deployed")
    monkeypatch.delenv("ATLAS_EDITOR_PASSPHRASE_HASH", raising=False)
    monkeypatch.delenv("ATLAS_EDITORS", raising=False)
    return monkeypatch


VIEW_PAGES = ["app.py", "pages/1_Map.py", "pages/3_Partnerships.py", "pages/5_Articles.py",
              "pages/7_Corrections.py"]


@pytest.mark.parametrize("page", VIEW_PAGES)
def test_a_visitor_sees_no_control_that_changes_data(deployed, page):
    at = _open(page)
    assert not at.exception, [e.value for e in at.exception]
    assert "Add articles" not in _links(at) and _links(at)["Read-only"] == "Sign_in"
    assert not at.get("file_uploader") and not at.get("form")
    changing = {"add_go", "add_remove_go", "cx_import_go"}
    assert not [b for b in at.button if b.key in changing]
    assert not [s for s in at.selectbox if s.key and "fix" in s.key]
    assert not [h for h in at.subheader if "Correct" in inert.shown(h.value)]


def test_the_add_page_url_refuses_a_visitor_and_says_how_to_enable_editing(deployed):
    at = _open("pages/6_Add_articles.py")
    assert not at.exception
    assert not at.get("file_uploader") and not at.button
    assert any("switched off" in inert.shown(i.value) and "Deploy" in inert.shown(i.value) for i in at.info)


def test_with_a_passphrase_set_the_add_page_points_to_sign_in(deployed):
    deployed.setenv("ATLAS_EDITOR_PASSPHRASE_HASH", HASH)
    at = _open("pages/6_Add_articles.py")
    assert any("is for editors" in inert.shown(i.value) for i in at.info)
    assert _links(at)["Sign in as an editor"] == "Sign_in"
    assert _links(at)["Sign in to edit"] == "Sign_in"


def test_an_editor_signs_in_with_the_passphrase_and_may_then_upload(deployed):
    deployed.setenv("ATLAS_EDITOR_PASSPHRASE_HASH", HASH)
    access._throttle.clear()
    at = _open("pages/8_Sign_in.py")
    at.text_input(key="signin_name").input("Ana")
    at.text_input(key="signin_pass").input("wrong passphrase!")
    at.button[0].click().run()  # the form's submit button
    assert any("Wrong passphrase" in inert.shown(e.value) for e in at.error)
    assert "Add articles" not in _links(at)
    access._throttle().succeeded()  # spare the test the wait the wrong try imposed
    at.text_input(key="signin_pass").input(SECRET)
    at.button[0].click().run()
    assert any("Signed in as Ana" in inert.shown(s.value) for s in at.success)
    assert _links(at)["Add articles"] == "Add_articles" and "Editor: Ana" in _links(at)
    at.switch_page("pages/6_Add_articles.py").run()
    assert at.get("file_uploader") and at.button(key="add_go")
    at.switch_page("pages/3_Partnerships.py").run()
    assert at.selectbox(key="pt_fix_pick")
    at.switch_page("pages/8_Sign_in.py").run()
    at.button(key="signin_out").click().run()
    assert "Add articles" not in _links(at)


def test_a_passphrase_sign_in_needs_a_name(deployed):
    deployed.setenv("ATLAS_EDITOR_PASSPHRASE_HASH", HASH)
    at = _open("pages/8_Sign_in.py")
    at.text_input(key="signin_pass").input(SECRET)
    at.button[0].click().run()
    assert any("Give your name" in inert.shown(e.value) for e in at.error)
    assert "Add articles" not in _links(at)


def test_streamlit_login_is_offered_when_configured_with_editors(deployed):
    auth = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
            "client_id": "atlas", "client_secret": "s",
            "server_metadata_url": "https://id.example.org/.well-known/openid-configuration"}
    at = _open("pages/8_Sign_in.py", auth=auth, atlas={"editors": ["ana@example.org"]})
    assert not at.exception
    assert at.button(key="signin_login").label == "Sign in"
    at = _open("pages/8_Sign_in.py", auth=auth)  # no list of editors: login grants nothing
    assert any("read-only" in inert.shown(i.value) for i in at.info)
