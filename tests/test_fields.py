"""Metadata field names are untrusted: a corpus whose articles carry fields of every awkward shape (Markdown, HTML,
maths, emoji shortcodes, dots and colons, a newline, 300 characters, built-in column names, names that differ only
by case, formula starts) runs on every page (AppTest), with each such field chosen where a page offers a field
(Keywords' group). No page raises, and no label, caption, heading or alert shows a field name as Markdown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO, prose
from streamlit.testing.v1 import AppTest

from lib import service, store
from lib.ingest import pipeline

NAMES = ["dc:creator", "![x](http://127.0.0.1:9/x.png)", "[a](javascript:alert(1))", "<b>bold</b>", "a.b", "$x$",
         "*x*", "`x`", ":red[x]", ":material/home:", "a\nb", "n" * 300, "outlet", "story", "id", "Bias", "bias",
         "émoji 🎉", "=1+1", "+x", "-x", "@x", "extra"]
MARKUP = [n for n in NAMES if any(ch in n for ch in "[]()<>$*`:")]  # what Markdown would turn into something
CORPUS = "fields"
PAGES = [REPO / "dashboard.py", *sorted((REPO / "pages").glob("*.py"))]
# elements whose text Streamlit renders as Markdown (besides every widget's label and help)
MARKDOWN_ELEMENTS = {"markdown", "caption", "title", "header", "subheader", "error", "warning", "info", "success",
                     "toast", "exception"}


def articles(names: list[str]) -> list[dict]:
    rows = []
    for i in range(8):
        row = {"doc_id": f"d{i}", "publisher": ["Alpha", "Beta", "Gamma", "Delta"][i % 4], "headline": f"Vote {i}",
               "body": prose(["bridge", "tunnel", "tram"][i % 3], 3)}
        for j, name in enumerate(names):  # two values each, so that every field can group the articles
            row[name] = ["=HYPERLINK(\"http://127.0.0.1:9\")", "[v](javascript:x)"][(i + j) % 2]
        rows.append(row)
    return rows


def ingest(home: Path, corpus: str, names: list[str]) -> None:
    path = home.parent / f"{corpus}.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in articles(names)))
    home.mkdir(parents=True, exist_ok=True)
    report = pipeline.ingest_paths(store.connect(home), corpus, [path],
                                   overrides={"text": "body", "outlet": "publisher", "id": "doc_id",
                                              "title": "headline"})
    assert report.added == 8 and not report.problems


@pytest.fixture(scope="module")
def fields_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("fields") / "home"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FRAMESCOPE_HOME", str(home))
        ingest(home, CORPUS, NAMES)
        yield home


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def markdown_leaks(at: AppTest) -> list[tuple[str, str, str]]:
    """(element, field name, its text) for each widget label, help or Markdown element that has a field name with
    Markdown in it as written (``ui.plain`` escapes it: ``\\[a\\]\\(...``)."""
    found = []
    for node in _walk(at._tree):
        kind = getattr(node, "type", "")
        texts = [getattr(node, "label", None), getattr(node, "help", None)]
        if kind in MARKDOWN_ELEMENTS:
            texts.append(getattr(node, "value", None))
        if kind == "radio":  # st.radio's options are Markdown too
            texts += [str(o) for o in node.options]
        found += [(kind, name, text) for text in texts if isinstance(text, str) for name in MARKUP if name in text]
    return found


def run(page: Path, **state) -> AppTest:
    at = AppTest.from_file(str(page), default_timeout=180)
    at.query_params["corpus"] = CORPUS
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_every_page_runs_on_fields_of_any_name(fields_home, page):
    at = run(page)
    assert not at.exception, [e.message for e in at.exception]
    assert not markdown_leaks(at)


def test_keywords_groups_by_each_field_and_shows_its_name_as_text(fields_home):
    """Every awkward field can group the articles (two values each); choosing it draws the scatter and labels
    the controls with the name escaped (a raw ``Terms per ![x](http://...)`` label loaded the image)."""
    at = run(REPO / "pages" / "4_Keywords.py")
    offered = at.selectbox(key="kw_group").options
    stats = service.stats(store.connect(fields_home), CORPUS)
    assert set(service.group_fields(stats)) - {"outlet"} == set(offered) - {"outlet"}
    assert {"dc:creator", "a.b", "Bias", "bias", "=1+1", "extra"} <= set(offered)
    for name in [*MARKUP, "a.b", "a\nb", "n" * 300, "Bias", "=1+1", "extra_outlet"]:
        at.selectbox(key="kw_group").set_value(name).run()
        assert not at.exception, (name, [e.message for e in at.exception])
        assert not markdown_leaks(at), name
        scatter = at.get("vega_lite_chart")[-1].proto.spec
        assert json.loads(scatter)["layer"][0]["encoding"]["color"]["title"] == name


def test_a_field_named_like_a_renamed_built_in_column_keeps_every_page_running(home):
    ingest(home, "taken", ["outlet", "extra_outlet"])
    at = AppTest.from_file(str(REPO / "pages" / "4_Keywords.py"), default_timeout=180)
    at.query_params["corpus"] = "taken"
    at.run()
    assert not at.exception
