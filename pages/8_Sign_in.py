"""Sign in: editors sign in (Streamlit's st.login or the editor passphrase); visitors learn
that the atlas is theirs to read, and a read-only deployment says how to enable editing."""
from __future__ import annotations

import streamlit as st

from atlas_ui import access, inert, layout

editor = layout.setup("Sign in")
st.title("Editors", anchor=False)
setup = access.editing_setup()

if editor is not None and editor.how == "local":
    st.success("This atlas runs on your own machine: you add articles and correct them "
               "without signing in.")
elif editor is not None:
    inert.notice("success", f"Signed in as {editor.name}. Your changes are recorded under this name.")
    if editor.how == "login":
        st.button("Sign out", key="signin_logout", on_click=st.logout)
    elif st.button("Sign out", key="signin_out"):
        access.sign_out()
        st.rerun()
elif not setup.configured:
    st.info("This atlas is shared read-only: browse, filter, share links and download. "
            + access.HOW_TO_ENABLE)
else:
    st.caption("Visitors browse, filter, share links and download; editors also add articles "
               "and correct what was extracted.")
    if setup.login:
        email = access.logged_in_email()
        if email:
            inert.notice("warning", f"Signed in as {email}, who is not on this atlas's list of editors.")
            st.button("Sign out", key="signin_logout", on_click=st.logout)
        else:
            st.button("Sign in", key="signin_login", type="primary", on_click=st.login)
    if setup.passphrase_hash:
        with st.form("signin_form"):
            st.subheader("With the editor passphrase", anchor=False)
            name = st.text_input("Your name", max_chars=access.MAX_NAME, key="signin_name",
                                 help="Recorded with every change you make")
            given = st.text_input("Passphrase", type="password", key="signin_pass")
            sent = st.form_submit_button("Sign in", type="primary")
        if sent:
            problem = access.sign_in_with_passphrase(name, given, setup)
            if problem:
                inert.notice("error", problem)
            else:
                st.rerun()
