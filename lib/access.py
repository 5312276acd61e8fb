"""Who may use a hosted FrameScope and who may delete a corpus: pure rules over e-mail addresses.

Login itself is Streamlit's (``st.login``, OpenID Connect, configured in ``secrets.toml``); these rules
decide what a logged-in address may do. Settings (environment variables, or root-level keys of
``secrets.toml``, which Streamlit exports to the environment):

``FRAMESCOPE_ALLOWED``
    Who may log in: comma-separated e-mail addresses (``ana@example.org``) and domains (``@example.org``
    or ``example.org``); ``*`` admits every account the identity provider accepts. Empty (the default)
    admits nobody but the admins: a hosted app stays closed until someone says who may use it.
``FRAMESCOPE_ADMINS``
    Addresses that may also change or delete any corpus (anyone may change a corpus they created, or one
    its creator shared with them).

Without login (run locally) there are no users: everyone may do everything, as on one's own machine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


def _entries(text: str) -> tuple[str, ...]:
    return tuple(e.strip().lower() for e in text.replace(";", ",").replace("\n", ",").split(",") if e.strip())


@dataclass(frozen=True)
class Access:
    """The allowlist (addresses and domains, lower case) and the admins' addresses."""

    allowed: tuple[str, ...] = ()
    admins: tuple[str, ...] = ()

    @classmethod
    def from_env(cls) -> Access:
        """``FRAMESCOPE_ALLOWED`` and ``FRAMESCOPE_ADMINS`` from the environment."""
        return cls(_entries(os.environ.get("FRAMESCOPE_ALLOWED", "")),
                   _entries(os.environ.get("FRAMESCOPE_ADMINS", "")))


def _address(email: object) -> str:
    return str(email or "").strip().lower()


def is_admin(email: object, access: Access) -> bool:
    """Whether ``email`` (a signed-in user's address, any case) is one of ``access.admins``."""
    address = _address(email)
    return bool(address) and address in access.admins


def permitted(email: object, access: Access) -> bool:
    """Whether a logged-in ``email`` may use the app: it is an admin, or the allowlist names it, its domain
    (``@example.org`` or ``example.org``; a subdomain does not match), or ``*``. An address that is empty
    or has no domain is refused."""
    address = _address(email)
    user, at, domain = address.rpartition("@")
    if not (user and at and domain):
        return False
    if is_admin(address, access) or "*" in access.allowed or address in access.allowed:
        return True
    return domain in access.allowed or f"@{domain}" in access.allowed


def may_change(email: object, created_by: object, access: Access, login: bool, shared: tuple[str, ...] = ()) -> bool:
    """Whether the user ``email`` may change a corpus created by ``created_by`` (add to it, replace or delete its
    articles, edit their metadata, restore removed text, save its stopwords): anyone when login is off; with login,
    its creator, an admin, or an address it is ``shared`` with. A corpus created without a login (the demo, the
    command line) is the admins'."""
    if not login:
        return True
    address = _address(email)
    return bool(address) and (address == _address(created_by) or is_admin(address, access)
                              or address in {_address(s) for s in shared})


def may_share(email: object, created_by: object, access: Access, login: bool) -> bool:
    """Whether the user ``email`` may edit whom a corpus is shared with: its creator or an admin (anyone when
    login is off)."""
    return may_change(email, created_by, access, login)
