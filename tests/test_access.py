"""Hosted mode: the login gate on every page, the allowlist, and who may delete a corpus (AppTest with
``at.secrets`` and ``at.user``; the real OpenID Connect flow is in test_browser.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib import access, store
from lib.ingest import pipeline

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = [ROOT / "dashboard.py", *sorted((ROOT / "pages").glob("*.py"))]
AUTH = {"auth": {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x" * 32,
                 "client_id": "framescope", "client_secret": "s", "server_metadata_url":
                 "http://127.0.0.1:9/.well-known/openid-configuration"}}


def test_the_allowlist_takes_addresses_domains_and_a_star():
    rules = access.Access(allowed=("ana@example.org", "@team.example", "lab.example"), admins=("root@example.net",))
    assert access.permitted("Ana@Example.org", rules)
    assert access.permitted("bo@team.example", rules) and access.permitted("cy@lab.example", rules)
    assert access.permitted("root@example.net", rules)  # an admin needs no other entry
    assert not access.permitted("eve@example.org", rules)
    assert not access.permitted("eve@evil.team.example", rules)  # a subdomain is another domain
    assert not access.permitted("team.example", rules) and not access.permitted("", rules)
    assert not access.permitted("eve@example.com", access.Access())  # empty: closed to all but admins
    assert access.permitted("eve@example.com", access.Access(allowed=("*",)))


def test_the_allowlist_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("FRAMESCOPE_ALLOWED", " ana@example.org, @Team.example\nlab.example ")
    monkeypatch.setenv("FRAMESCOPE_ADMINS", "root@example.net")
    rules = access.Access.from_env()
    assert rules == access.Access(("ana@example.org", "@team.example", "lab.example"), ("root@example.net",))


def test_only_the_creator_or_an_admin_may_change_a_corpus_when_login_is_on():
    rules = access.Access(allowed=("*",), admins=("root@example.net",))
    assert access.may_change("ana@example.org", "ana@example.org", rules, login=True)
    assert not access.may_change("bo@example.org", "ana@example.org", rules, login=True)
    assert access.may_change("root@example.net", "ana@example.org", rules, login=True)
    assert not access.may_change("bo@example.org", "", rules, login=True)  # the demo, the CLI: the admins'
    assert not access.may_change("", "", rules, login=True)
    assert access.may_change("", "ana@example.org", rules, login=False)  # run locally: open


def _app(script: Path, user: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(script), default_timeout=120)
    at.secrets = AUTH
    at.user = user if user is not None else {"is_logged_in": False}
    return at


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_with_login_on_nobody_sees_a_page_or_a_corpus_before_logging_in(home, script):
    at = _app(script)
    at.query_params["corpus"] = "demo"
    at.run()
    assert not at.exception
    assert [b.key for b in at.button] == ["login"]
    assert not at.selectbox and not at.dataframe and not at.get("vega_lite_chart") and not at.metric
    assert not store.corpus_names(store.connect(home))  # not even the demo was made for a stranger


def test_an_account_outside_the_allowlist_is_refused(home, monkeypatch):
    monkeypatch.setenv("FRAMESCOPE_ALLOWED", "@example.org")
    at = _app(ROOT / "dashboard.py", {"is_logged_in": True, "email": "eve@example.com"}).run()
    assert not at.exception
    assert any("eve@example.com" in e.value and "FRAMESCOPE_ALLOWED" in e.value for e in at.error)
    assert not at.selectbox and [b.key for b in at.button] == ["logout"]


def test_an_unverified_address_is_refused(home, monkeypatch):
    monkeypatch.setenv("FRAMESCOPE_ALLOWED", "@example.org")
    at = _app(ROOT / "dashboard.py", {"is_logged_in": True, "email": "ana@example.org", "email_verified": False})
    at.run()
    assert any("not verified" in e.value for e in at.error) and not at.selectbox


def test_an_allowed_user_sees_the_corpora_and_uploads_under_their_name(home, monkeypatch):
    monkeypatch.setenv("FRAMESCOPE_ALLOWED", "@example.org")
    at = _app(ROOT / "dashboard.py", {"is_logged_in": True, "email": "ana@example.org"}).run()
    assert not at.exception
    assert at.selectbox(key="corpus").value == "demo"
    assert any("ana@example.org" in c.value for c in at.sidebar.caption)
    assert any("Only the corpus's creator or an admin" in i.value for i in at.info)  # the demo is the admins'
    at.text_area(key="upload_paste_0").set_value("Council expands bus network\n\nThe city council voted on Tuesday "
                                               "to expand the bus network by twelve routes, its chair said.")
    at.text_input(key="upload_corpus_0").set_value("ana-notes").run()
    at.button(key="upload_go").click().run()
    assert not at.exception
    assert store.creator(store.connect(home), "ana-notes") == "ana@example.org"


def test_only_the_creator_or_an_admin_deletes_a_corpus(home, monkeypatch, seeds):
    monkeypatch.setenv("FRAMESCOPE_ALLOWED", "@example.org")
    monkeypatch.setenv("FRAMESCOPE_ADMINS", "root@example.org")
    conn = store.connect(home)
    pipeline.ingest_paths(conn, "ana-corpus", [seeds / "004_2ce101c8010756d4.txt"], created_by="ana@example.org")
    other = _app(ROOT / "dashboard.py", {"is_logged_in": True, "email": "bo@example.org"})
    other.query_params["corpus"] = "ana-corpus"
    other.run()
    assert other.selectbox(key="corpus").value == "ana-corpus"
    assert "delete_go" not in [b.key for b in other.button]
    assert any("ana@example.org" in c.value for c in other.caption)  # who created it
    for email in ("ana@example.org", "root@example.org"):
        at = _app(ROOT / "dashboard.py", {"is_logged_in": True, "email": email})
        at.query_params["corpus"] = "ana-corpus"
        at.run()
        assert at.button(key="delete_go").disabled  # until the name is typed
        if email == "ana@example.org":
            continue
        at.text_input(key="delete_confirm_ana-corpus").set_value("ana-corpus").run()
        at.button(key="delete_go").click().run()
        assert not at.exception
    assert "ana-corpus" not in store.corpus_names(conn)


def test_replacing_someone_elses_corpus_is_refused(home, monkeypatch, seeds):
    monkeypatch.setenv("FRAMESCOPE_ALLOWED", "@example.org")
    conn = store.connect(home)
    pipeline.ingest_paths(conn, "ana-corpus", [seeds / "004_2ce101c8010756d4.txt"], created_by="ana@example.org")
    at = _app(ROOT / "dashboard.py", {"is_logged_in": True, "email": "bo@example.org"}).run()
    at.text_area(key="upload_paste_0").set_value("A short note about the bus network and the council vote today.")
    at.text_input(key="upload_corpus_0").set_value("ana-corpus").run()  # an existing corpus: replace is offered
    at.checkbox(key="upload_replace").check().run()
    at.button(key="upload_go").click().run()
    assert any("only the creator" in e.value for e in at.error)
    assert len(store.articles(conn, "ana-corpus")) == 1


def test_without_login_it_runs_open_and_anyone_may_delete(home):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    assert not at.exception and at.selectbox(key="corpus").value == "demo"
    assert "login" not in [b.key for b in at.button] and "logout" not in [b.key for b in at.button]
    at.text_input(key="delete_confirm_demo").set_value("demo").run()
    at.button(key="delete_go").click().run()
    assert not at.exception
    assert "demo" not in store.corpus_names(store.connect(home))


def test_deleting_a_corpus_keeps_the_other_corpora_cached(home, seeds, monkeypatch):
    """Rule 12: a corpus made again under a deleted one's name is a new generation, so a delete in the UI need not
    clear every user's cache: another corpus's cached reads are still there after it."""
    conn = store.connect(home)
    for name in ("doomed", "kept"):
        pipeline.ingest_paths(conn, name, [seeds / "004_2ce101c8010756d4.txt"])

    def dashboard(corpus: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        at.query_params["corpus"] = corpus
        return at.run()

    dashboard("kept")  # its reads are cached
    at = dashboard("doomed")
    at.text_input(key="delete_confirm_doomed").set_value("doomed").run()
    at.button(key="delete_go").click().run()
    assert not at.exception and "doomed" not in store.corpus_names(conn)
    reads = []
    raw_text = store.raw_text
    monkeypatch.setattr(store, "raw_text", lambda *a, **k: reads.append(a[1]) or raw_text(*a, **k))
    again = dashboard("kept")
    assert not again.exception and again.selectbox(key="corpus").value == "kept"
    assert reads == []  # its article's text still came from the cache


def _login_state() -> None:
    import streamlit as st

    from lib import ui

    st.text(f"login on: {ui.login_configured()}")


@pytest.mark.parametrize(("secrets", "on"), [({}, False), ({"other": {"key": "x"}}, False), (AUTH, True)],
                         ids=["no secrets file", "no auth section", "auth section"])
def test_login_is_on_only_with_an_auth_section_and_a_missing_secrets_file_is_no_error(secrets, on):
    """``ui.login_configured`` reads ``st.secrets`` through its public mapping: no secrets file (AppTest without
    ``at.secrets`` reads the real, absent one) or no ``[auth]`` section is login off, with nothing shown."""
    at = AppTest.from_function(_login_state, default_timeout=60)
    at.secrets = secrets
    at.run()
    assert not at.exception and not at.error
    assert [t.value for t in at.text] == [f"login on: {on}"]


def _as(email: str, script: Path = ROOT / "dashboard.py", corpus: str = "ana-corpus") -> AppTest:
    at = _app(script, {"is_logged_in": True, "email": email})
    at.query_params["corpus"] = corpus
    return at.run()


def test_every_write_to_someone_elses_corpus_is_refused_until_it_is_shared(home, monkeypatch, seeds):
    """Adding articles, editing metadata, restoring removed text and saving stopwords are the creator's, an admin's
    or those the creator shares the corpus with; each refusal says so and changes nothing."""
    monkeypatch.setenv("FRAMESCOPE_ALLOWED", "@example.org")
    conn = store.connect(home)
    pipeline.ingest_paths(conn, "ana-corpus", [seeds / "001_469f0550524fde76.txt"], created_by="ana@example.org")
    before = store.revision(conn, "ana-corpus")

    def refusals(email: str) -> list[str]:
        said = []
        at = _as(email)  # add an article to it
        at.text_area(key="upload_paste_0").set_value("A short note about the bus network and the council vote today.")
        at.text_input(key="upload_corpus_0").set_value("ana-corpus").run()
        at.button(key="upload_go").click().run()
        said += [e.value for e in at.error]
        at = _as(email)  # edit an article's metadata
        at.session_state["meta_editor_ana-corpus_"] = {"edited_rows": {0: {"outlet": "Someone else"}}, "added_rows": [],
                                                       "deleted_rows": []}
        at.run()
        at.button(key="meta_save").click().run()
        said += [e.value for e in at.error]
        at = _as(email)  # restore a removed span
        first = int(store.articles(conn, "ana-corpus")["id"].iloc[0])
        at.session_state[f"clean_spans_{first}"] = {"edited_rows": {0: {"restored": True}}, "added_rows": [],
                                                    "deleted_rows": []}
        at.run()
        at.button(key="clean_apply").click().run()
        said += [e.value for e in at.error]
        at = _as(email, ROOT / "pages" / "4_Keywords.py")  # save the corpus's stopwords
        next(t for t in at.text_area if t.key.startswith("kw_custom_")).set_value("bus").run()
        at.button(key="kw_custom_save").click().run()
        said += [e.value for e in at.error]
        return said

    said = refusals("bo@example.org")
    assert len(said) == 4 and all("shared with" in s for s in said), said
    assert store.revision(conn, "ana-corpus") == before and store.shared_with(conn, "ana-corpus") == []
    at = _as("bo@example.org")
    assert "share_save" not in [b.key for b in at.button]  # only the creator (or an admin) shares it
    at = _as("ana@example.org")
    at.text_area(key="share_ana-corpus").set_value("Bo@example.org\n").run()
    at.button(key="share_save").click().run()
    assert store.shared_with(conn, "ana-corpus") == ["bo@example.org"]
    assert refusals("bo@example.org") == []  # shared: each write goes through
    assert len(store.articles(conn, "ana-corpus")) == 2 and store.revision(conn, "ana-corpus") > before
    assert access.may_change("bo@example.org", "ana@example.org", access.Access(), True, ("bo@example.org",))
    assert not access.may_share("bo@example.org", "ana@example.org", access.Access(), True)
