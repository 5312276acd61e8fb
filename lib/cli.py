"""The ``framescope`` command line: ingest, list, show, analyze, dataset, report, delete, run.

Exit codes: 0 when everything asked for was done, 1 when some inputs failed (the rest stored),
2 for usage errors (unknown corpus, bad arguments), 3 for an unexpected error (logged with its traceback).

Logging (``lib.config``): ``--log-level`` (or ``$FRAMESCOPE_LOG_LEVEL``; default error) sets what goes to standard
error beside the command's own messages: ``info`` adds each ingest and deletion; ``framescope run`` passes it to the
server (whose default is info).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import time
from pathlib import Path

from lib import cluster, config, serve, service, store
from lib.analyses import topics
from lib.ingest import FIELDS, PARAGRAPH_SEP, fetch, pipeline
from lib.ingest.cluster import PARTITION
from lib.views import export
from lib.views.wording import ingest_outcome, number

EPILOG = """\
inputs: folders (recursively), .zip, .txt/.md, .html/.htm, .csv/.tsv, .json (array of objects),
.jsonl, and any of these gzipped (.gz). A file named manifest.csv in a folder (or --manifest FILE)
supplies or corrects outlet, title, published (with a timezone column or an offset), url and byline,
keyed by file name or id. The data folder is $FRAMESCOPE_HOME (default ~/.framescope); limits:
FRAMESCOPE_MAX_FILE_MB (50, a .gz or zip entry once uncompressed too), FRAMESCOPE_MAX_ZIP_ENTRIES
(10000), FRAMESCOPE_MAX_ZIP_MB (1024), FRAMESCOPE_MAX_FILES (100000).

examples:
  framescope ingest seeds --corpus demo
  framescope ingest export.csv --corpus elections --text-col body --outlet-col site
  framescope ingest archive/ --corpus monitor --cluster local:4
  framescope show demo --table sentences --format jsonl --out demo.jsonl
  framescope analyze newswcl50 stories
  framescope analyze demo coverage --tz Asia/Tehran --format json
  framescope analyze demo distinctive --top 10
  framescope analyze abp distinctive --group allsides_bias --among left,right
  framescope analyze demo kwic security council
  framescope analyze newswcl50 compare --story 7 --format json
  framescope report demo --out demo-compare.html
  framescope dataset abp --to s3://bucket/abp
  framescope analyze newswcl50 topics --format json
  framescope analyze demo topic-assignments --k 4 --unit sentence --method kmeans
"""


# C0 and C1 controls (escape sequences, carriage returns, bells, newlines), line separators and bidirectional
# overrides: in a file name or a field they could rewrite or forge what the terminal shows
LOG = config.logger("cli")
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(value: object) -> str:
    """``value`` as text safe to print: characters that drive a terminal are shown escaped (``\\x1b``,
    ``\\r``, ``\\u202e``), so a name read from input is shown, never obeyed."""
    return UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(value))


def _progress_bar():
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in bars:
            for bar in bars.values():
                bar.close()
            bars[stage] = tqdm(total=total, desc=f"{stage:9}", unit="art" if total > 1 else "",
                               file=sys.stderr, leave=False, disable=not sys.stderr.isatty())
        bars[stage].n, bars[stage].total = done, total
        bars[stage].refresh()

    return progress


def cmd_ingest(args: argparse.Namespace) -> int:
    """framescope ingest: read, clean and store files, folders, feeds or links into a corpus."""
    overrides = {f: getattr(args, f"{f}_col") for f in FIELDS if getattr(args, f"{f}_col")}
    if args.paragraph_sep:
        overrides[PARAGRAPH_SEP] = args.paragraph_sep.encode().decode("unicode_escape")  # "\n" typed as two characters
    conn = store.connect()
    fetcher = fetch.Fetcher(fetch.Settings.from_env(hosted=False), cache=fetch.cache_folder())
    t0 = time.perf_counter()
    try:
        report = pipeline.ingest_paths(conn, args.corpus, args.paths, manifest=args.manifest, replace=args.replace,
                                       overrides=overrides, progress=_progress_bar(), fetcher=fetcher,
                                       refresh=args.refresh, workers=pipeline.cli_workers(), cluster=args.cluster,
                                       partition_size=args.partition_size)
    except OSError as exc:  # no scheduler at the address (no Dask, "local:0": ClusterError, a usage error)
        if not args.cluster:
            raise
        print(f"error: {printable(exc)}", file=sys.stderr)
        return 2
    config.log_ingest(LOG, report, time.perf_counter() - t0)
    for problem in report.problems:
        print(f"error: {printable(problem)}", file=sys.stderr)
    for warning in report.warnings:  # inputs that loaded with something repaired or left out
        print(f"warning: {printable(warning)}", file=sys.stderr)
    for source, other in report.duplicates:
        print(f"duplicate: {printable(source)}: same outlet and cleaned text as {printable(other)}; stored once",
              file=sys.stderr)
    for source, other in report.copies:
        print(f"copy: {printable(source)}: another outlet's reprint of {printable(other)}; stored", file=sys.stderr)
    for key in report.unmatched_manifest:
        print(f"warning: manifest row {printable(repr(key))} matches no article", file=sys.stderr)
    rev = f"revision {report.revision}" if report.revision is not None else "nothing stored"
    copies = f", {len(report.copies):,} of them reprints: copies" if report.copies else ""
    print(f"{printable(args.corpus)}: "
          f"{ingest_outcome(report.added, len(report.duplicates), len(report.problems), rev + copies)}")
    return 1 if report.problems else 0


def cmd_list(args: argparse.Namespace) -> int:
    """framescope list: the stored corpora, one row each."""
    df = store.list_corpora(store.connect())
    for col in df.select_dtypes(include=["object", "string"]).columns:
        df[col] = df[col].map(printable, na_action="ignore")
    print(df.to_string(index=False) if len(df) else "no corpora yet: framescope ingest PATH --corpus NAME")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """framescope show: a corpus's stored table (articles, sentences, ...) in a chosen format."""
    conn = store.connect()
    df = {"articles": lambda: store.articles(conn, args.name, text=args.text),
          "sentences": lambda: store.sentences(conn, args.name),
          "removed": lambda: store.removed(conn, args.name)}[args.table]()
    if args.format == "parquet":
        if not args.out:
            print("error: --format parquet needs --out FILE (it is binary)", file=sys.stderr)
            return 2
        Path(args.out).write_bytes(export.to_parquet(df))
        print(f"wrote {len(df)} rows to {printable(args.out)}", file=sys.stderr)
        return 0
    _write(export.to_csv(df) if args.format == "csv" else export.to_jsonl(df), args.out, len(df))
    return 0


def _write(text: str, out: str | None, rows: int) -> None:
    if out:
        Path(out).write_text(text, encoding="utf-8")
        print(f"wrote {rows} rows to {printable(out)}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def cmd_analyze(args: argparse.Namespace) -> int:
    """framescope analyze: one analysis of a corpus (or of one story) as a table."""
    conn = store.connect()
    store.corpus_id(conn, args.name)  # an unknown corpus is a usage error before any work
    if args.cluster and args.analysis not in service.ON_A_CLUSTER:
        raise store.StoreError(f"--cluster runs {', '.join(service.ON_A_CLUSTER)}; {args.analysis} runs here, "
                               "without --cluster")
    if args.analysis == "kwic" and not args.term:
        raise store.StoreError("kwic needs a TERM: framescope analyze NAME kwic TERM")
    lo, _, hi = args.ngram.partition("-")
    try:
        ngram = (int(lo), int(hi or lo))
    except ValueError:
        raise store.StoreError(f"--ngram takes N or N-M, not {args.ngram!r}") from None
    vocab = service.vocabulary(conn, args.name, ngram, args.min_df)
    among = [v.strip() for v in args.among.split(",") if v.strip()] if args.among else None
    if args.analysis == "compare":
        return cmd_compare(args)
    if args.k != "auto" and not (args.k.isdigit() and int(args.k) >= 1):
        raise store.StoreError(f"--k takes a number of topics or auto, not {args.k!r}")
    settings = topics.Settings(None if args.unit == "auto" else args.unit, args.method,
                               None if args.k == "auto" else int(args.k))
    with cluster.connect(args.cluster) if args.cluster else contextlib.nullcontext() as client:
        tables = service.tables(conn, args.name, story=args.story, no_copies=args.no_copies, tz=args.tz, by=args.by,
                                top=args.top, vocab=vocab, term=" ".join(args.term), group=args.group, among=among,
                                topic_settings=settings, media_only=not args.all_credits, across=not args.within,
                                own=not args.own_names, entities_top=args.entities, kind=args.kind, client=client)
        df = tables[args.analysis]()
    text = export.to_csv(df) if args.format == "csv" else df.to_json(orient="records", force_ascii=False,
                                                                        date_format="iso", indent=1) + "\n"
    _write(text, args.out, len(df))
    return 0


def cmd_dataset(args: argparse.Namespace) -> int:
    """framescope dataset: a stored corpus written as a partitioned Parquet dataset (``service.dataset``)."""
    from lib.service import dataset

    conn = store.connect()
    store.corpus_id(conn, args.name)
    where = args.to or dataset.default_location(args.name)
    dataset.resolve(where)  # a URL without fsspec is refused before any work
    t0 = time.perf_counter()
    with cluster.connect(args.cluster) if args.cluster else contextlib.nullcontext() as client:
        written = dataset.write(conn, args.name, where, client)
    counts = written.manifest["counts"]
    print(f"{printable(args.name)}: {number(counts['articles'], 'article', 'articles')} in "
          f"{number(counts['partitions'], 'partition', 'partitions')}, "
          f"{number(counts['stories'], 'story', 'stories')}, "
          f"{number(counts['reuse_pairs'], 'reuse pair', 'reuse pairs')} written to {printable(where)} "
          f"({time.perf_counter() - t0:.1f} s)")
    return 0


def _sections(tables: dict, fmt: str) -> str:
    """Several tables as one JSON object of record lists, or as CSV sections each headed by a "# name" line."""
    if fmt == "json":
        parts = [f'"{name}": ' + df.to_json(orient="records", force_ascii=False, date_format="iso", indent=1)
                 for name, df in tables.items()]
        return "{\n" + ",\n".join(parts) + "\n}\n"
    return "\n".join(f"# {name}\n" + export.to_csv(df) for name, df in tables.items())


def _comparison(conn, args: argparse.Namespace):
    outlets = [o.strip() for o in args.outlets.split(",") if o.strip()] if args.outlets else None
    scoped = service.scoped(service.stats(conn, args.name), args.story, getattr(args, "no_copies", False))
    if scoped.empty:
        raise store.StoreError(f"no articles in story {args.story} of {args.name!r}")
    return service.comparison(conn, args.name, scoped, outlets)


def cmd_compare(args: argparse.Namespace) -> int:
    """analyze NAME compare: elements (each outlet's sentence), omissions, naming choices, quotes."""
    cmp = _comparison(store.connect(), args)
    tables = service.compare_tables(cmp)
    shown = {k: tables[k] for k in ("outlets", "elements", "omissions", "names", "words", "quotes")}
    _write(_sections(shown, args.format), args.out, len(cmp.elements))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """framescope report: the comparison of a story's outlets as a standalone HTML file."""
    from lib.views import report

    conn = store.connect()
    store.corpus_id(conn, args.name)
    cmp = _comparison(conn, args)
    title = f"FrameScope comparison: {args.name}" + (f", story {args.story}" if args.story is not None else "")
    Path(args.out).write_text(report.build(cmp, title), encoding="utf-8")
    print(f"wrote the comparison of {len(cmp.outlets)} outlets ({len(cmp.elements)} elements) to {printable(args.out)}",
          file=sys.stderr)
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    """framescope delete: remove a corpus and its artifacts."""
    store.delete(store.connect(), args.name)
    print(f"deleted {printable(args.name)}")
    return 0


# .streamlit/config.toml is set for hosting; one person on their own machine gets error details, the developer
# menu and reloading on a change of the code back (options given to `framescope run` come later and win)
LOCAL = ["--client.showErrorDetails=full", "--client.toolbarMode=auto", "--server.fileWatcherType=auto"]


def cmd_run(args: argparse.Namespace) -> int:
    """framescope run: the dashboard on this machine (``streamlit run``), with local-use options."""
    level = {"env": {**os.environ, config.LOG_ENV: args.log_level}} if args.log_level else {}  # the server's level
    return serve.call(serve.command(*LOCAL, *args.streamlit_args), cwd=serve.ROOT, **level)


def _positive(text: str) -> int:
    """A whole number of 1 or more, for argparse."""
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of 1 or more")
    return int(text)


def parser() -> argparse.ArgumentParser:
    """The command line's argument parser: one subcommand per ``cmd_*``."""
    p = argparse.ArgumentParser(prog="framescope", description="Compare how news outlets cover the same event.",
                                epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--log-level", type=str.lower, choices=config.LOG_LEVELS, metavar="LEVEL",
                   help="what is logged to standard error: debug, info (each ingest and deletion), warning "
                        "(refusals), error (the default; or $FRAMESCOPE_LOG_LEVEL), critical")
    sub = p.add_subparsers(dest="command", required=True)

    ing = sub.add_parser("ingest", help="load files, folders, zips, CSV/JSON exports, links and feeds into a corpus")
    ing.add_argument("paths", nargs="+", metavar="PATH", help="a file, a folder, a zip, an http(s) address of an "
                     "article or an RSS/Atom feed, or a text file listing links (one a line)")
    ing.add_argument("--refresh", action="store_true", help="fetch pages again though the fetch cache has them")
    ing.add_argument("--corpus", required=True, metavar="NAME", help="corpus to add to (created if new)")
    ing.add_argument("--manifest", metavar="FILE", help="CSV of metadata keyed by file name or id")
    ing.add_argument("--replace", action="store_true", help="replace the corpus's articles instead of adding")
    for f in FIELDS:
        ing.add_argument(f"--{f}-col", metavar="COL", help=f"column holding the {f} (default: found by name)")
    ing.add_argument("--paragraph-sep", metavar="SEP", help="what separates the paragraphs of a table's text "
                     "column (' ### ', '|', '\\n'); split there into paragraphs")
    ing.add_argument("--cluster", metavar="ADDRESS", help="read and clean on a Dask cluster: a scheduler's "
                     "address (tcp://host:8786) or local:N for N local worker processes; the store stays here "
                     "(needs the scale extra; docs/cluster.md)")
    ing.add_argument("--partition-size", type=_positive, metavar="N", help=f"with --cluster: articles per "
                     f"partition (default {PARTITION})")
    ing.set_defaults(func=cmd_ingest)

    sub.add_parser("list", help="list stored corpora").set_defaults(func=cmd_list)

    show = sub.add_parser("show", help="print a corpus's articles, sentences or removed spans")
    show.add_argument("name")
    show.add_argument("--table", choices=["articles", "sentences", "removed"], default="articles")
    show.add_argument("--format", choices=["csv", "jsonl", "parquet"], default="csv",
                      help="parquet: types kept, for pandas, R, DuckDB or Spark (needs --out)")
    show.add_argument("--text", action="store_true", help="with --table articles: include raw and cleaned text")
    show.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    show.set_defaults(func=cmd_show)

    an = sub.add_parser("analyze", help="print a table of the views: coverage, stories, ...")
    an.add_argument("name")
    an.add_argument("analysis", choices=service.TABLES)
    an.add_argument("term", nargs="*", help="with kwic: the term to show in context")
    an.add_argument("--story", type=int, metavar="ID", help="only this story's articles (see: analyze NAME stories)")
    an.add_argument("--no-copies", action="store_true", help="leave out articles that copy another article")
    an.add_argument("--tz", default="UTC", help="time zone for times (IANA name, default UTC)")
    an.add_argument("--by", choices=["outlet", "story", "article"], default="outlet", help="keywords: the unit")
    an.add_argument("--group", default="outlet", help="distinctive: compare by outlet (default) or an extra field, "
                                                     "e.g. allsides_bias")
    an.add_argument("--among", help="distinctive: only these values of the group, comma-separated, e.g. left,right")
    an.add_argument("--top", type=int, default=25, help="keywords, distinctive: terms per unit (25)")
    an.add_argument("--own-names", action="store_true", help="keywords, distinctive: keep each outlet's own name "
                                                             "in its terms (left out by default, as on the page)")
    an.add_argument("--entities", type=int, default=service.ENTITIES_TOP, metavar="N",
                    help=f"entities: the N most mentioned ({service.ENTITIES_TOP})")
    an.add_argument("--kind", choices=["person", "organisation", "place", "other"],
                    help="entities, referents: only entities of this kind (default: all but titles)")
    an.add_argument("--all-credits", action="store_true", help="sources: every credited name, not only media and "
                                                               "platforms")
    an.add_argument("--within", action="store_true", help="reuse, reuse-outlets: also pairs within one outlet")
    an.add_argument("--ngram", default="1-2", help="keywords, distinctive: n-gram range, e.g. 1 or 1-3 (1-2)")
    an.add_argument("--min-df", type=int, help="keywords, distinctive: articles a term must be in (default: 1 below "
                                              "1,000 articles, else 2)")
    an.add_argument("--k", default="auto", metavar="N|auto", help="topics: the number of topics, or auto (chosen by "
                                                                  "coherence, the default)")
    an.add_argument("--unit", choices=["auto", *topics.UNITS], default="auto",
                    help="topics: passages are sentences or paragraphs (auto: by the corpus size)")
    an.add_argument("--method", choices=list(topics.METHODS), default="nmf", help="topics: NMF (default) or k-means")
    an.add_argument("--outlets", metavar="A,B,...", help="compare: the outlets compared, comma-separated (default: "
                                                         "the story's six largest)")
    an.add_argument("--cluster", metavar="ADDRESS", help="stories, reuse, keywords, distinctive: compute on a Dask "
                    "cluster, tcp://HOST:8786 or local:N for N local workers (the scale extra; docs/cluster.md)")
    an.add_argument("--format", choices=["csv", "json"], default="csv")
    an.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    an.set_defaults(func=cmd_analyze)

    dset = sub.add_parser("dataset", help="write a corpus as a partitioned Parquet dataset the dashboard opens")
    dset.add_argument("name")
    dset.add_argument("--to", metavar="LOCATION", help="a folder or an fsspec URL (memory://, s3://...; needs the "
                      "scale extra); default $FRAMESCOPE_HOME/datasets/NAME. A dataset there is replaced")
    dset.add_argument("--cluster", metavar="ADDRESS", help="compute stories, reuse and term counts on a Dask cluster, "
                      "tcp://HOST:8786 or local:N (the scale extra; docs/cluster.md)")
    dset.set_defaults(func=cmd_dataset)

    rep = sub.add_parser("report", help="write the comparison of a story's outlets as one standalone HTML file")
    rep.add_argument("name")
    rep.add_argument("--story", type=int, metavar="ID", help="only this story's articles (default: all articles)")
    rep.add_argument("--outlets", metavar="A,B,...", help="the outlets compared (default: the six largest)")
    rep.add_argument("--out", metavar="FILE.html", required=True, help="the HTML file to write")
    rep.set_defaults(func=cmd_report)

    delete = sub.add_parser("delete", help="delete a corpus and its analysis artifacts")
    delete.add_argument("name")
    delete.set_defaults(func=cmd_delete)

    run = sub.add_parser("run", help="start the dashboard (extra arguments go to streamlit run)")
    run.add_argument("streamlit_args", nargs=argparse.REMAINDER)
    run.set_defaults(func=cmd_run)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line on ``argv`` (default ``sys.argv[1:]``) and return the exit code."""
    p = parser()
    args, extra = p.parse_known_args(argv)
    if args.command == "run":  # streamlit's own options (--server.port ...) pass through
        args.streamlit_args = [*extra, *args.streamlit_args]
    elif extra:
        p.error(f"unrecognized arguments: {' '.join(extra)}")
    config.configure_logging(args.log_level, default="error")
    try:
        return args.func(args)
    except (store.StoreError, cluster.ClusterError) as exc:
        LOG.warning("framescope %s refused: %s", args.command, exc)
        print(f"framescope: {printable(exc)}", file=sys.stderr)
        return 2
    except Exception:
        LOG.exception("framescope %s failed", args.command)
        return 3


if __name__ == "__main__":
    sys.exit(main())
