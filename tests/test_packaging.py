"""pyproject.toml is the pip truth; environment.yml must list the same dependencies for conda users."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent


def _conda_deps() -> dict[str, str]:
    deps: dict[str, str] = {}
    in_deps = False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        if line.startswith("dependencies:"):
            in_deps = True
            continue
        match = re.match(r"^(?:  |      )- ([A-Za-z0-9_.\-]+)(.*)$", line)  # conda's list and its pip: list
        if in_deps and match and match.group(1) not in ("python", "pip", "-e"):
            deps[match.group(1).lower()] = match.group(2).strip()
    return deps


def _pip_deps() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    deps = {}
    for spec in project["dependencies"]:
        match = re.match(r"^([A-Za-z0-9_.\-]+)(.*)$", spec)
        assert match, spec
        deps[match.group(1).lower()] = match.group(2).strip()
    return deps


def test_environment_yml_matches_pyproject():
    assert _conda_deps() == _pip_deps()


def test_readme_names_the_two_commands_and_ci_runs_one():
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()
