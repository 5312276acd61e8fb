"""AppTest of the dashboard: the home page and every page under pages/ on the demo corpus."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib import store

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "pages").glob("*.py"))


@pytest.fixture
def app(home):
    return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)


def test_home_creates_and_shows_the_demo_corpus(app, home):
    app.run()
    assert not app.exception
    assert app.selectbox(key="corpus").value == "demo"
    assert [m.value for m in app.metric][:3] == ["5", "3", "1,635"]
    conn = store.connect(home)
    assert list(store.list_corpora(conn)["name"]) == ["demo"]


def test_unknown_corpus_in_the_url_says_so(app):
    app.query_params["corpus"] = "no-such-corpus"
    app.run()
    assert not app.exception
    assert any("no-such-corpus" in w.value for w in app.warning)
    assert app.selectbox(key="corpus").value == "demo"


def test_the_corpus_in_the_url_is_the_one_shown(app, home):
    from lib.ingest import pipeline

    pipeline.ingest_paths(store.connect(home), "other", [ROOT / "seeds" / "004_2ce101c8010756d4.txt"])
    app.query_params["corpus"] = "other"
    app.run()
    assert not app.exception
    assert app.selectbox(key="corpus").value == "other"
    assert app.metric[0].value == "1"


def test_paste_upload_lands_in_a_new_corpus(app, home):
    app.run()
    text = ("WASHINGTON (Example Wire) - The city council voted on Tuesday to expand the bus network, "
            "its chair said.\n\nThe plan adds twelve routes by next spring, according to the transport office.")
    app.text_area(key="upload_paste_0").set_value(text)
    app.text_input(key="upload_corpus_0").set_value("pasted").run()
    app.button(key="upload_go").click().run()
    assert not app.exception
    assert any("1 article added" in s.value for s in app.success)
    assert app.selectbox(key="corpus").value == "pasted"
    df = store.articles(store.connect(home), "pasted")
    assert df.loc[0, "dateline"] == "WASHINGTON" and df.loc[0, "outlet"] == "Example Wire"


def test_metadata_edit_is_saved_as_user_and_bumps_revision(app, home):
    app.run()
    conn = store.connect(home)
    before = store.revision(conn, "demo")
    row = int(store.articles(conn, "demo").query("outlet == ''").index[0])
    app.session_state["meta_editor_demo_"] = {"edited_rows": {row: {"outlet": "A blog"}}, "added_rows": [],
                                        "deleted_rows": []}
    app.run()
    app.button(key="meta_save").click().run()
    assert not app.exception
    after = store.articles(conn, "demo").loc[row]
    assert (after["outlet"], after["outlet_src"]) == ("A blog", "user")
    assert store.revision(conn, "demo") == before + 1


def test_restoring_a_removed_span_puts_it_back_in_the_text(app, home):
    app.run()
    conn = store.connect(home)
    spans = store.removed(conn, "demo", 0)
    target = spans.iloc[0]
    assert target["text"].strip() not in store.articles(conn, "demo", text=True).loc[0, "text"]
    app.session_state["clean_spans_0"] = {"edited_rows": {0: {"restored": True}}, "added_rows": [],
                                          "deleted_rows": []}
    app.run()
    app.button(key="clean_apply").click().run()
    assert not app.exception
    text = store.articles(conn, "demo", text=True).loc[0, "text"]
    assert " ".join(target["text"].split()) in text
    assert store.removed(conn, "demo", 0).loc[0, "restored"] == 1


def test_article_text_is_shown_as_code_not_markdown(app, home):
    conn = store.connect(home)
    from lib.ingest import pipeline

    evil = tmp = home / "evil.txt"
    tmp.write_text("A headline here\n\n![x](http://127.0.0.1:9/track.png) <script>alert(1)</script> This is a "
                   "sentence long enough to count as body text in the article.\n")
    pipeline.ingest_paths(conn, "evil", [evil])
    app.query_params["corpus"] = "evil"
    app.run()
    assert not app.exception
    assert "![x](http://127.0.0.1:9/track.png)" in app.code[0].value
    assert all("track.png" not in m.value for m in app.markdown)


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_page_runs_on_the_demo_corpus(home, page):
    at = AppTest.from_file(str(page), default_timeout=90).run()
    assert not at.exception


def test_sessions_do_not_share_a_store_connection(home):
    first = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90).run()
    second = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90).run()
    assert not first.exception and not second.exception
    assert first.session_state["_store"] is not second.session_state["_store"]


def test_an_upload_goes_into_a_new_corpus_and_the_uploader_is_cleared(app, home):
    app.run()
    assert app.text_input(key="upload_corpus_0").value == "uploads"  # not the corpus shown (the demo)
    app.text_area(key="upload_paste_0").set_value("The city council voted on Tuesday to expand the bus network by "
                                                  "twelve routes, its chair said after the meeting.").run()
    app.button(key="upload_go").click().run()
    assert not app.exception
    assert len(store.articles(store.connect(home), "uploads")) == 1
    assert len(store.articles(store.connect(home), "demo")) == 5
    assert app.selectbox(key="corpus").value == "uploads"
    assert app.text_area(key="upload_paste_1").value == ""  # a fresh box: the text is not ingested twice
    assert app.text_input(key="upload_corpus_1").value == "uploads-2"


def test_a_link_to_an_article_of_the_cleaning_report_opens_that_article(app, home):
    app.run()
    ids = store.articles(store.connect(home), "demo")["id"].astype(str).tolist()
    app.query_params["clean_article"] = ids[3]
    app.run()
    picker = next(s for s in app.selectbox if s.key.startswith("clean_article"))
    assert picker.value == ids[3] and not app.warning
    assert app.query_params["clean_article"] == ids[3]
    app.query_params["clean_article"] = "999999"
    app.run()
    assert any("999999" in w.value and "showing" in w.value for w in app.warning)  # says what it fell back to


def test_the_sidebar_writes_short_values_into_the_address(app, home):
    app.run()
    assert app.query_params["corpus"] == "demo"
    app.selectbox(key="story").set_value("1").run()
    assert app.query_params["story"] == "1"  # the story's number, not its label
    app.toggle(key="no_copies").set_value(True).run()
    assert app.query_params["no_copies"] == "true"
    app.selectbox(key="story").set_value("all").run()
    assert "story" not in app.query_params  # the default is left out
    app.query_params["story"] = "1: iran, russia (5 articles)"  # a link made before: its label
    app.run()
    assert app.selectbox(key="story").value == "1" and not app.warning
