"""FrameScope hosted for a team: ``streamlit run hosted.py`` serves ``dashboard.py`` and its pages through
Streamlit's ASGI app (``st.App``), with Streamlit's information endpoints (``/_stcore/metrics`` ...) closed
while login is on (``lib/serve.py``). ``framescope run``, for one person on their own machine, serves
``dashboard.py`` as it is.
"""

import streamlit as st
from starlette.middleware import Middleware

from lib.serve import CloseBeforeLogin


def login_on() -> bool:
    """Login is on: Streamlit's secrets have an ``[auth]`` section (what ``lib.ui.login_configured`` reads)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def base_url() -> str:
    return str(st.get_option("server.baseUrlPath") or "")


app = st.App("dashboard.py", middleware=[Middleware(CloseBeforeLogin, login=login_on, base=base_url)])
