"""The one composer: (corpus, parameters) -> the named tables the CLI prints and the pages show.

Two kinds of function. Reads take the store's connection and a corpus name and return an analysis's whole
result for the corpus (``stats``, ``story_result``, ``reuse_pairs``, ``entity_mentions``, ...). Composers take
those results and a view's parameters and return one named table (``coverage_tables``, ``entity_table``,
``keyword_table``, ...): ``lib/ui`` caches each read and each composition per session, the CLI calls the same
composers through ``tables``, so a page and ``framescope analyze`` show the same table for the same parameters.
Every number on a page is computed by following ``pages/ -> lib/ui -> lib/service -> lib/analyses``.

``lib/service/reads.py`` holds the reads, kept as artifacts per corpus generation and revision and versioned by
their code; ``lib/service/tables.py`` the composers; ``lib/service/named.py`` ``tables``, the CLI's named tables
(on a Dask cluster, ``lib/service/cluster.py``). Every name is importable from ``lib.service``, but for
``lib/service/dataset.py``: a stored corpus written as a Parquet dataset, and the Dataset page's tables read from it.
"""

from __future__ import annotations

from lib.service.named import ON_A_CLUSTER, TABLES, tables  # noqa: F401 (re-exported)
from lib.service.reads import (  # noqa: F401 (re-exported)
    CODE,
    SMALL,
    STATS_COLUMNS,
    WINDOW_DAYS,
    articles,
    cited_sources,
    entity_mentions,
    kwic,
    reuse_pairs,
    sentences,
    sentences_at,
    stats,
    story_result,
    term_matrix,
    term_matrix_params,
    topic_model,
    topic_passages,
    vocabulary,
)
from lib.service.tables import (  # noqa: F401 (re-exported)
    ENTITIES_TOP,
    EVIDENCE_ROWS,
    GROUP_VALUES,
    SOURCES_TOP,
    cell,
    compare_tables,
    compare_view,
    compared_outlets,
    comparison,
    counted,
    coverage_tables,
    credits,
    default_outlets,
    distinctive_table,
    entity_evidence,
    entity_table,
    grid,
    group_fields,
    groups,
    in_articles,
    in_pairs,
    in_story,
    keyword_table,
    largest_story,
    marked_text,
    of_kind,
    outlet_order,
    own_names,
    pair_labels,
    passages,
    referent_table,
    referents_of,
    republishing,
    reuse_table,
    scoped,
    separator,
    source_table,
    story_labels,
    story_tables,
    timeline,
    top_mentions,
    topic_examples,
    topic_outlets,
    topic_points,
    topic_time,
    unit_of,
    units,
    with_dates,
    wording,
)
