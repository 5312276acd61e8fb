"""The README stays true: CI runs its test command verbatim, and the CLI it documents exists."""

import re
from pathlib import Path

from lib import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def _commands() -> list[str]:
    return re.findall(r"```bash\n(python3 -m venv .+?)\n```", README)


def test_readme_starts_with_two_commands_run_then_test():
    run, test = _commands()[:2]
    assert run.endswith("framescope run") and "pytest" in test


def test_ci_runs_the_readme_test_command_verbatim():
    assert _commands()[1] in (ROOT / ".ci" / "run").read_text()


def test_every_documented_command_exists():
    help_text = cli.parser().format_help()
    for command in re.findall(r"^framescope (\w+)", README, re.MULTILINE):
        assert command in help_text, command
