"""Choosing a table's columns in the upload: a preview, a column per field, a paragraph separator, remembered for
the next file with the same columns (lib/ingest/columns.py, ui.column_choices)."""

from __future__ import annotations

from conftest import csv_bytes
from streamlit.testing.v1 import AppTest

from lib import store
from lib.ingest import columns

ROWS = [{"id": "a1", "publisher": "fox", "outlet_name": "Fox News", "scrape_time": "2024-05-02T10:00:00Z",
         "body": "The council met on Tuesday to vote on the harbour plan ### Its chair said the vote would wait."},
        {"id": "a2", "publisher": "cnn", "outlet_name": "CNN", "scrape_time": "2024-05-02T11:00:00Z",
         "body": "Ferries return to the north quay after repairs ### The port said crossings resume on Monday."}]


def mapping_app(data: bytes) -> None:
    import streamlit as st

    from lib import ui

    file = ui.PastedFile("export.csv", data.decode("utf-8"))
    chosen = ui.column_choices([file], 0)
    if st.button("Ingest", key="go"):
        report = ui.upload([file], "mapped", False, chosen)
        st.success(f"{report.added} stored")


def test_an_upload_maps_two_outlet_like_columns_and_a_separator(home):
    at = AppTest.from_function(mapping_app, args=(csv_bytes(ROWS),), default_timeout=120).run()
    assert not at.exception
    assert list(at.dataframe[0].value.columns) == list(ROWS[0])  # the preview shows every column
    assert at.selectbox(key="map_0_0_outlet").value == "publisher"  # found by name: the domain-like column
    assert at.selectbox(key="map_0_0_retrieved").value == "scrape_time"
    at.selectbox(key="map_0_0_outlet").set_value("outlet_name")
    at.text_input(key="map_0_0_sep").set_value(" ### ").run()
    at.button(key="go").click().run()
    assert not at.exception and any("2 stored" in s.value for s in at.success)
    stored = store.articles(store.connect(home), "mapped", text=True).sort_values("outlet")
    assert list(stored["outlet"]) == ["CNN", "Fox News"]
    assert all("\n\n" in t for t in stored["raw_text"])  # split into paragraphs at the separator
    again = AppTest.from_function(mapping_app, args=(csv_bytes(ROWS),), default_timeout=120).run()
    assert again.selectbox(key="map_0_0_outlet").value == "outlet_name"  # remembered for the same columns
    assert again.text_input(key="map_0_0_sep").value == " ### "


def test_the_command_line_flags_have_the_same_names(home, tmp_path, capsys):
    from lib import cli

    export = tmp_path / "export.csv"
    export.write_bytes(csv_bytes(ROWS))
    assert cli.main(["ingest", str(export), "--corpus", "cli", "--outlet-col", "outlet_name",
                     "--paragraph-sep", " ### "]) == 0
    stored = store.articles(store.connect(home), "cli", text=True)
    assert set(stored["outlet"]) == {"Fox News", "CNN"} and all("\n\n" in t for t in stored["raw_text"])


def test_a_choice_is_remembered_by_the_columns_whatever_their_order(home):
    columns.remember(["Body", "Publisher"], {"outlet": "Publisher", "paragraph_sep": "|"})
    assert columns.remembered(["publisher", "body"]) == {"outlet": "Publisher", "paragraph_sep": "|"}
    assert columns.remembered(["publisher", "text"]) is None
    assert columns.preview("notes.txt", b"plain text") is None
