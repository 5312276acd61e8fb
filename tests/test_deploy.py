"""Deployment files: the Dockerfile (parsed and checked, since no Docker engine runs here), the hosting
config, the Community Cloud requirements (in step with pyproject.toml), and `framescope run`'s local
settings."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import tomllib
from pathlib import Path

import pytest

from lib import cli

ROOT = Path(__file__).resolve().parents[1]


def instructions(text: str) -> list[tuple[str, str]]:
    """A Dockerfile's instructions as (INSTRUCTION, arguments): comments dropped, continuation lines joined."""
    joined = re.sub(r"\\\n", " ", "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")))
    out = []
    for line in joined.splitlines():
        if line.strip():
            word, _, rest = line.strip().partition(" ")
            out.append((word.upper(), " ".join(rest.split())))
    return out


def exec_form(args: str) -> list[str]:
    """The JSON (exec) form of CMD / ENTRYPOINT / HEALTHCHECK CMD; fails on the shell form."""
    value = json.loads(args)
    assert isinstance(value, list) and all(isinstance(v, str) for v in value), args
    return value


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    return instructions((ROOT / "Dockerfile").read_text())


def test_the_parser_joins_continuations_and_drops_comments():
    parsed = instructions("# c\nFROM x:1\nRUN a \\\n    && b\n  # d\nUSER me\n")
    assert parsed == [("FROM", "x:1"), ("RUN", "a && b"), ("USER", "me")]


def test_dockerfile_starts_from_a_slim_python(dockerfile):
    assert dockerfile[0][0] == "FROM"
    image = dockerfile[0][1]
    assert re.fullmatch(r"python:3\.1[1-9]-slim(-\w+)?", image), image
    assert sum(1 for i, _ in dockerfile if i == "FROM") == 1


def test_dockerfile_runs_as_a_non_root_user_it_creates(dockerfile):
    users = [a for i, a in dockerfile if i == "USER"]
    assert users and users[-1] not in ("root", "0"), users
    created = " ".join(a for i, a in dockerfile if i == "RUN")
    assert re.search(rf"useradd\b.*\b{re.escape(users[-1])}\b", created)
    after = [i for i, _ in dockerfile[[i for i, _ in dockerfile].index("USER"):]]
    assert "RUN" not in after  # nothing runs as root after the switch


def test_dockerfile_keeps_the_data_folder_in_a_volume_the_user_owns(dockerfile):
    env = " ".join(a for i, a in dockerfile if i == "ENV")
    home = re.search(r"FRAMESCOPE_HOME=(\S+)", env).group(1)
    volumes = [v for i, a in dockerfile if i == "VOLUME" for v in (json.loads(a) if a.startswith("[") else a.split())]
    assert home in volumes
    run = " ".join(a for i, a in dockerfile if i == "RUN")
    user = [a for i, a in dockerfile if i == "USER"][-1]
    assert re.search(rf"chown \S*{user}\S* {re.escape(home)}", run)


def test_dockerfile_serves_streamlit_on_the_exposed_port_with_a_health_check(dockerfile):
    (entry,) = [exec_form(a) for i, a in dockerfile if i == "ENTRYPOINT"]
    assert entry[:3] == ["streamlit", "run", "hosted.py"]  # dashboard.py behind st.App (tests/test_hosting.py)
    flags = dict(f.removeprefix("--").split("=", 1) for f in entry[3:])
    assert flags["server.address"] == "0.0.0.0" and flags["server.headless"] == "true"
    port = flags["server.port"]
    assert [a for i, a in dockerfile if i == "EXPOSE"] == [port]
    (health,) = [a for i, a in dockerfile if i == "HEALTHCHECK"]
    options, _, command = health.partition(" CMD ")
    assert re.search(r"--interval=\d+s", options) and re.search(r"--timeout=\d+s", options)
    probe = exec_form(command)
    assert f"http://127.0.0.1:{port}/_stcore/health" in " ".join(probe)
    assert probe[0] == "python"  # the slim image has no curl or wget


def test_dockerfile_installs_the_dependencies_and_the_framescope_command(dockerfile):
    runs = [a for i, a in dockerfile if i == "RUN"]
    assert any("pip install -r requirements.txt" in r for r in runs)
    assert any(re.search(r"pip install --no-deps -e \.$", r) for r in runs)  # `docker exec ... framescope list`


def test_dockerfile_probe_works_against_a_health_endpoint():
    """The health check's own command, run here against a stand-in server answering like Streamlit's."""
    import http.server
    import threading

    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = b"ok" if self.path == "/_stcore/health" else b"no"
            self.send_response(200)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        (health,) = [a for i, a in instructions((ROOT / "Dockerfile").read_text()) if i == "HEALTHCHECK"]
        probe = exec_form(health.partition(" CMD ")[2])
        probe = [p.replace("8501", str(server.server_address[1])) for p in probe]
        assert subprocess.run(["python3", *probe[1:]], timeout=30).returncode == 0
        probe = [p.replace("/_stcore/health", "/elsewhere") for p in probe]
        assert subprocess.run(["python3", *probe[1:]], timeout=30).returncode != 0
    finally:
        server.shutdown()


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", ".streamlit/secrets.toml"} <= set(ignored)


def test_hosting_config_turns_on_xsrf_an_upload_limit_the_viewer_toolbar_and_hides_errors():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableXsrfProtection"] is True
    assert 0 < config["server"]["maxUploadSize"] <= 1024
    assert config["client"]["toolbarMode"] == "viewer"
    assert config["client"]["showErrorDetails"] == "none"
    assert config["browser"]["gatherUsageStats"] is False


def test_secrets_are_never_committed():
    assert ".streamlit/secrets.toml" in (ROOT / ".gitignore").read_text().split()


def _names(requirements: list[str]) -> dict[str, str]:
    return {re.split(r"[<>=!\[ ;]", r, maxsplit=1)[0].lower().replace("_", "-"): r.replace(" ", "")
            for r in requirements}


def test_community_cloud_requirements_match_pyproject():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    lines = [line.split("#")[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    assert _names([line for line in lines if line]) == _names(pyproject)
    assert any(r.startswith("streamlit[auth]") for r in pyproject)  # st.login needs Authlib


def test_framescope_run_shows_error_details_locally_and_lets_options_override(monkeypatch):
    calls = []
    monkeypatch.setattr(cli.serve, "call", lambda cmd, cwd: calls.append(cmd) or 0)
    assert cli.main(["run", "--server.port", "8600"]) == 0
    cmd = calls[0]
    assert cmd[1:4] == ["-m", "streamlit", "run"] and cmd[4].endswith("dashboard.py")
    assert "--client.showErrorDetails=full" in cmd and "--client.toolbarMode=auto" in cmd
    assert cmd.index("--client.showErrorDetails=full") < cmd.index("--server.port")  # the user's options win
    assert shlex.join(cmd[-2:]) == "--server.port 8600"


def _pins() -> dict[str, str]:
    lines = [line.split("#")[0].strip() for line in (ROOT / "constraints.txt").read_text().splitlines()]
    return dict(line.split("==") for line in lines if line)


def test_the_image_installs_with_constraints_that_pin_every_dependency_to_a_version_it_allows(dockerfile):
    """constraints.txt (``make constraints``) pins, exactly, every package the core install needs, each at a version
    pyproject allows; the Dockerfile copies it and installs the requirements with it."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pins = _pins()
    assert all(re.fullmatch(r"[a-z0-9.-]+", name) and version for name, version in pins.items())
    for line in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]:
        req = Requirement(line)
        name = canonicalize_name(req.name)
        assert name in pins and req.specifier.contains(pins[name], prereleases=True), line
    assert {"streamlit", "numpy", "scipy", "pillow", "threadpoolctl", "pyarrow", "authlib"} <= set(pins)
    runs = [a for i, a in dockerfile if i == "RUN"]
    assert any(re.search(r"pip install -r requirements\.txt -c constraints\.txt", r) for r in runs)
    assert any(i == "COPY" and "constraints.txt" in a.split() for i, a in dockerfile)


def test_every_package_the_code_imports_is_declared_and_streamlit_and_vader_are_pinned():
    """Each third-party import of lib/, pages/, dashboard.py and hosted.py is a core dependency (but Dask, in
    lib/cluster.py and lib/ingest/cluster.py only: the scale extra, for ``--cluster``; and fsspec, in
    lib/store/location.py only: the scale extra, for a dataset at a URL); those of tests/ and
    benchmarks/ are core or in the dev or bench extras. Streamlit is held to the minor tested (it changes within a
    major), vaderSentiment (unmaintained) to one release."""
    import ast
    import sys

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    core = set(_names(project["dependencies"]))
    extra = core | {n for reqs in project["optional-dependencies"].values() for n in _names(reqs)}
    module_of = {"sklearn": "scikit-learn", "PIL": "pillow", "vaderSentiment": "vadersentiment",
                 "vl_convert": "vl-convert-python", "charset_normalizer": "charset-normalizer"}
    local = {"lib", "benchmarks", "conftest", "oidc_fake", "tools"}

    def imports(paths: list[Path]) -> set[str]:
        found = set()
        for path in paths:
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    found |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    found.add(node.module.split(".")[0])
        return {module_of.get(m, m).lower().replace("_", "-") for m in found - local - sys.stdlib_module_names}

    entries = [ROOT / "dashboard.py", ROOT / "hosted.py"]
    scaled = [ROOT / "lib" / "cluster.py", ROOT / "lib" / "ingest" / "cluster.py",  # --cluster: the scale extra
              ROOT / "lib" / "store" / "location.py"]  # fsspec, for a dataset at a URL: the scale extra too
    app = imports([*(p for p in ROOT.glob("lib/**/*.py") if p not in scaled), *ROOT.glob("pages/*.py"), *entries])
    assert app - core == set()
    assert imports(scaled) - core <= set(_names(project["optional-dependencies"]["scale"])) and "dask" in extra
    assert imports([*ROOT.glob("tests/*.py"), *ROOT.glob("benchmarks/*.py"), *ROOT.glob("tools/*.py")]) - extra == set()
    assert _names(project["dependencies"])["streamlit"] == "streamlit[auth]>=1.67,<1.68"
    assert _names(project["dependencies"])["vadersentiment"] == "vaderSentiment==3.3.2"
