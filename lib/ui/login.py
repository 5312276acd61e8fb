"""Login (``st.login``, OpenID Connect) and who may change a corpus."""

from __future__ import annotations

import streamlit as st

from lib import access, config, store
from lib.ui import data as ui_data
from lib.ui.text import plain

LOG = config.logger("ui")
config.configure_logging(default="info")  # the server: records to its standard error ($FRAMESCOPE_LOG_LEVEL)

def login_configured() -> bool:
    """Whether login is on: ``secrets.toml`` has an ``[auth]`` section (``st.login``, OpenID Connect). Without a
    secrets file (``st.secrets`` then raises ``FileNotFoundError``) login is off."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False

def user() -> str:
    """The logged-in user's e-mail address; "" when login is off (or nobody is logged in)."""
    if not login_configured() or not st.user.is_logged_in:
        return ""
    return str(st.user.get("email") or "")

def gate() -> None:
    """With login on, nobody sees a page or a corpus before logging in with an address the allowlist
    (``FRAMESCOPE_ALLOWED``) admits; stops the page otherwise. Without login, does nothing."""
    if not login_configured():
        return
    if not st.user.is_logged_in:
        st.title("FrameScope")
        st.info("This FrameScope is private: log in to see its corpora.")
        if st.button("Log in", type="primary", key="login"):
            st.login()
        st.stop()
    email, rules = user(), access.Access.from_env()
    verified = st.user.get("email_verified", True) not in (False, "false")
    if not (verified and access.permitted(email, rules)):
        LOG.warning("access refused: account %r%s is not allowed", email, "" if verified else " (not verified)")
        st.title("FrameScope")
        st.error(f"The account {plain(email or 'without an e-mail address')} may not use this FrameScope"
                 + ("" if verified else " (its e-mail address is not verified)")
                 + ". Ask its administrator to add it (or its domain) to FRAMESCOPE_ALLOWED.")
        if st.button("Log out", key="logout"):
            st.logout()
        st.stop()
    st.sidebar.caption(f"Signed in as {plain(email)}" + (" (admin)" if access.is_admin(email, rules) else ""))
    if st.sidebar.button("Log out", key="logout"):
        st.logout()

def may_change(corpus: str) -> bool:
    """Whether this user may change ``corpus`` (``access.may_change``: its creator, an admin, or someone it is
    shared with; anyone without login)."""
    conn = ui_data.conn()
    return access.may_change(user(), store.creator(conn, corpus), access.Access.from_env(), login_configured(),
                             tuple(store.shared_with(conn, corpus)))


def may_share(corpus: str) -> bool:
    """Whether this user may edit whom ``corpus`` is shared with: its creator or an admin."""
    return access.may_share(user(), store.creator(ui_data.conn(), corpus), access.Access.from_env(),
                            login_configured())


def refused(corpus: str, what: str) -> str:
    """The message for a change this user may not make, logged as a refusal."""
    LOG.warning("refused: %r may not %s corpus %r", user(), what, corpus)
    return (f"Only the creator of {plain(corpus)}, an admin, or someone it is shared with may {what} it. Ask its "
            "creator to share it with you (Home, 'Share this corpus').")
