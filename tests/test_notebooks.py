"""Every guided notebook runs top to bottom on the sample case and on a new empty case.

The runs happen once per session, in parallel (one kernel each), and the tests below look at
the executed copies. The committed notebooks must carry no outputs.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest

from investigate.case import Case
from investigate.demo import run_notebooks
from investigate.evidence import NUDE_IMAGE_RULE
from investigate.notebooks import NOTEBOOKS, notebook_paths, notebooks_dir

REPO = Path(__file__).resolve().parent.parent
PLOTLY = "application/vnd.plotly.v1+json"


@pytest.fixture(scope="session")
def work_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private working folder, so the fallback sample case is built here, not in ~/.cache."""
    work = tmp_path_factory.mktemp("work")
    old = os.environ.get("INVESTIGATE_WORK")
    os.environ["INVESTIGATE_WORK"] = str(work)
    yield work
    if old is None:
        os.environ.pop("INVESTIGATE_WORK", None)
    else:
        os.environ["INVESTIGATE_WORK"] = old


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled training case, built once per session (tests copy it before changing it)."""
    from investigate.training import build_case

    target = tmp_path_factory.mktemp("sample") / "case"
    build_case(target)
    return target


def _snapshot(folder: Path) -> dict[str, float]:
    return {str(p.relative_to(folder)): p.stat().st_mtime for p in folder.rglob("*")} if folder.exists() else {}


@pytest.fixture(scope="session")
def executed(tmp_path_factory: pytest.TempPathFactory, built_sample: Path, work_dir: Path) -> dict:
    """Run every notebook against a copy of the sample case and against a new empty case, in parallel."""
    root = tmp_path_factory.mktemp("runs")
    sample = root / "sample-case"
    shutil.copytree(built_sample, sample)
    empty = Case.create(root / "empty-case", title="Empty case at Grimblewood Academy",
                        school=["Grimblewood Academy"], analyst="Zephyrine Quillfeather").path
    before = _snapshot(REPO / "sample_data")
    keys = [(label, nb.name) for label in ("sample", "empty") for nb in notebook_paths()]
    jobs = [(notebooks_dir() / name, root / label / name, sample if label == "sample" else empty)
            for label, name in keys]
    errors = run_notebooks(jobs, timeout=300)
    results: dict = {key: (err or job[1]) for key, job, err in zip(keys, jobs, errors, strict=True)}
    results["sample_data_unchanged"] = before == _snapshot(REPO / "sample_data")
    return results


def _outputs(path: Path) -> str:
    """Every output of an executed notebook, as one JSON text."""
    book = nbformat.read(path, as_version=4)
    return json.dumps([cell.get("outputs", []) for cell in book.cells])


@pytest.mark.parametrize("case_kind", ["sample", "empty"])
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_without_errors(executed: dict, name: str, case_kind: str) -> None:
    result = executed[(case_kind, name)]
    if isinstance(result, str):
        pytest.fail(f"{name} on the {case_kind} case: {result}")
    book = nbformat.read(result, as_version=4)
    errors = [o for c in book.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors


def test_running_the_notebooks_never_writes_into_sample_data(executed: dict) -> None:
    assert executed["sample_data_unchanged"]


def test_gather_evidence_shows_the_nude_image_rule_before_any_capture(executed: dict) -> None:
    book = nbformat.read(executed[("sample", "01_gather_evidence.ipynb")], as_version=4)
    rule_cell = next(i for i, c in enumerate(book.cells) if "nude_image_rule()" in c.source)
    upload_cell = next(i for i, c in enumerate(book.cells) if "EvidenceUploader" in c.source)
    assert rule_cell < upload_cell
    # the rule's widget is what that cell shows, and its text is the rule, escaped
    model_id = book.cells[rule_cell].outputs[0]["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
    shown = book.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"][model_id]["state"]
    assert "Never view, copy, print, screenshot, store or forward them" in shown["value"]
    assert NUDE_IMAGE_RULE.splitlines()[0] in shown["value"]


def test_overlap_notebook_shows_figures_and_the_leads_statement_on_the_sample(executed: dict) -> None:
    from investigate.leads import LEADS_STATEMENT

    # the figures and tables live in the panel's Output widget, whose state papermill saves
    book = nbformat.read(executed[("sample", "03_overlap_and_leads.ipynb")], as_version=4)
    state = json.dumps(book.metadata.get("widgets", {}))
    assert state.count(PLOTLY) >= 3  # overlap, graph, leads
    assert LEADS_STATEMENT.split(".")[0] in state
    assert "#c62828" not in state  # no panel reported an error


def test_empty_case_notebooks_say_there_is_nothing_yet(executed: dict) -> None:
    book = nbformat.read(executed[("empty", "03_overlap_and_leads.ipynb")], as_version=4)
    state = json.dumps(book.metadata.get("widgets", {}))
    assert "No accounts in this case yet" in state


def test_committed_notebooks_have_no_outputs_and_a_parameters_cell() -> None:
    names = sorted(p.name for p in notebooks_dir().glob("*.ipynb"))
    assert names == sorted(NOTEBOOKS)
    for path in notebook_paths():
        book = nbformat.read(path, as_version=4)
        nbformat.validate(book)
        code = [c for c in book.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code), f"{path.name} has outputs"
        assert "widgets" not in book.metadata, f"{path.name} carries saved widget state"
        params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
        assert len(params) == 1 and 'case_dir = ""' in params[0].source, path.name
        assert code.index(params[0]) == 0, f"{path.name}: the parameters cell must come first"


def test_the_notebooks_words_are_true_in_the_app_too() -> None:
    """The app shows the text cells but no code cells: JupyterLab-only steps say so."""
    for path in notebook_paths():
        text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
        assert "The next cell" not in text, path.name
        for jupyterlab_only in ("Shift+Enter", "the code cell"):
            for sentence in text.split(". "):
                assert jupyterlab_only not in sentence or "in jupyterlab" in sentence.casefold(), (path.name, sentence)
