"""Large count grids cut to the top rows and columns by weight, with a note saying what was left out."""

from __future__ import annotations

import pandas as pd

from lib.views import grids


def grid(rows: int, columns: int) -> pd.DataFrame:
    """Row r, column c counts (r + 1) * (c + 1) % 7: uneven totals, some zeros."""
    data = [[(r + 1) * (c + 1) % 7 for c in range(columns)] for r in range(rows)]
    return pd.DataFrame(data, index=pd.Index([f"e{r}" for r in range(rows)], name="entity"),
                        columns=pd.Index([f"o{c}" for c in range(columns)], name="outlet"))


def test_a_small_grid_is_shown_whole_without_a_note():
    wide = grid(5, 4)
    shown = grids.top_cells(wide)
    assert shown.equals(wide)
    assert grids.note(wide, shown, "entities", "outlets", "mentions") == ""


def test_a_large_grid_keeps_the_heaviest_rows_and_columns_in_their_order():
    wide = grid(40, 30)
    shown = grids.top_cells(wide, max_rows=10, max_columns=6)
    assert shown.shape == (10, 6) and shown.index.name == "entity" and shown.columns.name == "outlet"
    row_totals = wide.sum(axis=1)
    assert row_totals[shown.index].min() >= row_totals.drop(shown.index).max()
    column_totals = wide.loc[shown.index].sum(axis=0)
    assert column_totals[shown.columns].min() >= column_totals.drop(shown.columns).max()
    assert list(shown.index) == [r for r in wide.index if r in set(shown.index)]  # the caller's order kept
    assert list(shown.columns) == [c for c in wide.columns if c in set(shown.columns)]
    assert (shown.to_numpy() == wide.loc[shown.index, shown.columns].to_numpy()).all()


def test_the_note_says_how_many_of_each_are_shown():
    wide = grid(40, 30)
    note = grids.note(wide, grids.top_cells(wide, 40, 20), "entities", "outlets", "mentions")
    assert note == "Shown: the 20 outlets (of 30) with the most mentions; the others are in the CSV."
    both = grids.note(wide, grids.top_cells(wide, 10, 20), "entities", "outlets", "mentions")
    assert both.startswith("Shown: the 10 entities (of 40) and the 20 outlets (of 30) with the most mentions")


def test_an_empty_grid_stays_empty():
    wide = grid(0, 0)
    assert grids.top_cells(wide).empty and grids.note(wide, grids.top_cells(wide), "a", "b", "c") == ""
