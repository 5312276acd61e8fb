"""Logging (``lib.config``): ingests, deletions, refusals and errors are logged under ``framescope``; the command line
sets the level (``--log-level``), the server sends its records to standard error."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib import cli, config, store
from lib.ingest import pipeline

ROOT = Path(__file__).resolve().parents[1]
AUTH = {"auth": {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x" * 32,
                 "client_id": "framescope", "client_secret": "s", "server_metadata_url":
                 "http://127.0.0.1:9/.well-known/openid-configuration"}}


def _records(caplog: pytest.LogCaptureFixture, name: str, level: int = logging.INFO) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == name and r.levelno == level]


def test_an_ingest_from_the_command_line_is_logged_with_its_corpus_counts_and_seconds(home, seeds, caplog):
    caplog.set_level(logging.INFO, logger="framescope")
    assert cli.main(["--log-level", "info", "ingest", str(seeds), "--corpus", "demo"]) == 0
    (line,) = _records(caplog, "framescope.cli")
    assert line.startswith("ingest corpus='demo' revision=1 added=5 duplicates=0 copies=0 failed=0")
    assert float(line.rpartition("seconds=")[2]) > 0


def test_each_input_that_failed_is_logged_with_its_reason(home, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="framescope")
    (tmp_path / "empty.txt").write_text("   ")
    (tmp_path / "ok.txt").write_text("The council met on Monday and voted on the budget for the coming year.\n")
    cli.main(["--log-level", "info", "ingest", str(tmp_path / "empty.txt"), str(tmp_path / "ok.txt"), "--corpus", "c"])
    lines = _records(caplog, "framescope.cli")
    assert "failed=1" in lines[0] and "added=1" in lines[0]
    assert any("failed input" in line and "empty.txt" in line for line in lines[1:])


def test_a_deletion_and_a_command_line_refusal_are_logged(home, seeds, caplog):
    caplog.set_level(logging.INFO, logger="framescope")
    conn = store.connect()
    pipeline.ingest_paths(conn, "gone", [seeds])
    assert cli.main(["--log-level", "info", "delete", "gone"]) == 0
    assert _records(caplog, "framescope.store") == ["deleted corpus 'gone'"]
    assert cli.main(["--log-level", "info", "delete", "gone"]) == 2
    assert _records(caplog, "framescope.cli", logging.WARNING) == ["framescope delete refused: no corpus named 'gone'"]


def test_an_unexpected_error_is_logged_with_its_traceback_and_exits_3(home, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store, "list_corpora", broken)
    assert cli.main(["list"]) == 3
    (record,) = [r for r in caplog.records if r.name == "framescope.cli" and r.levelno == logging.ERROR]
    assert record.getMessage() == "framescope list failed" and "disk on fire" in str(record.exc_info[1])


def test_the_command_line_logs_at_the_level_asked_to_standard_error(home, seeds, capsys, monkeypatch):
    """Quiet by default (the command prints its own results); ``--log-level info`` or ``$FRAMESCOPE_LOG_LEVEL``
    adds the ingest's record, once however often logging is configured."""
    cli.main(["ingest", str(seeds), "--corpus", "a"])
    assert "INFO framescope" not in capsys.readouterr().err
    cli.main(["--log-level", "INFO", "ingest", str(seeds), "--corpus", "b"])
    assert capsys.readouterr().err.count("INFO framescope.cli: ingest corpus='b'") == 1
    monkeypatch.setenv(config.LOG_ENV, "info")
    cli.main(["delete", "a"])
    assert "INFO framescope.store: deleted corpus 'a'" in capsys.readouterr().err


def test_the_server_sends_framescope_records_to_standard_error_at_info():
    import lib.ui  # noqa: F401  (configures logging on import, as the server does)

    logger = logging.getLogger("framescope")
    assert sum(isinstance(h, config._Stderr) for h in logger.handlers) == 1
    assert config.log_level(None, "info") == logging.INFO and config.log_level("nonsense", "warning") == logging.WARNING


def _upload_replace() -> None:
    import streamlit as st

    from lib import store, ui

    try:
        ui.upload([], "ana-corpus", replace=True)
    except store.StoreError as exc:
        st.text(str(exc))


def _app(script, email: str) -> AppTest:
    at = AppTest.from_function(script, default_timeout=120) if callable(script) else \
        AppTest.from_file(str(script), default_timeout=120)
    at.secrets = AUTH
    at.user = {"is_logged_in": True, "email": email, "email_verified": True}
    return at


def test_an_account_the_allowlist_refuses_is_logged(home, monkeypatch, caplog):
    caplog.set_level(logging.INFO, logger="framescope")
    monkeypatch.setenv("FRAMESCOPE_ALLOWED", "@example.org")
    at = _app(ROOT / "dashboard.py", "eve@example.com").run()
    assert at.error
    assert "access refused: account 'eve@example.com' is not allowed" in _records(caplog, "framescope.ui",
                                                                                    logging.WARNING)


def test_an_upload_that_would_replace_another_users_corpus_is_refused_and_logged(home, seeds, monkeypatch, caplog):
    caplog.set_level(logging.INFO, logger="framescope")
    monkeypatch.setenv("FRAMESCOPE_ALLOWED", "@example.org")
    pipeline.ingest_paths(store.connect(), "ana-corpus", [seeds], created_by="ana@example.org")
    at = _app(_upload_replace, "bo@example.org").run()
    assert not at.exception and "may replace the articles of it" in at.text[0].value
    assert _records(caplog, "framescope.ui", logging.WARNING) == [
        "upload refused: 'bo@example.org' may not replace the articles of corpus 'ana-corpus'"]


def test_framescope_run_passes_the_log_level_to_the_server(monkeypatch):
    calls = []
    monkeypatch.setattr("lib.serve.call", lambda cmd, cwd=None, env=None: calls.append(env) or 0)
    assert cli.main(["--log-level", "warning", "run"]) == 0
    assert calls[0][config.LOG_ENV] == "warning"
