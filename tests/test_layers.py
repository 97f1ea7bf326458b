"""The layers of docs/architecture.md hold: no module imports one of a layer above its own.

Each module's imports of the package are read from its source (``ast``; imports under ``if
TYPE_CHECKING:`` are for type hints only and left out). The few upward imports that are known and not
yet moved are listed in :data:`KNOWN`, each with its reason; any other fails, naming both modules.
Also: no time is formatted with a platform-only directive ("%-d" fails on Windows).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "investigate"

#: layer of each module or package (docs/architecture.md, top to bottom); a module may import its own
#: layer and those below it (smaller numbers), never one above.
LAYERS: dict[str, int] = {
    "__init__": 1,  # the package's face: its version, and Case and the errors re-exported
    **dict.fromkeys(("errors", "schema", "dates", "words", "plain", "html", "_faults"), 0),  # shared words
    **dict.fromkeys(("case", "audit", "evidence", "seal", "access", "loaders"), 1),  # case store, loaders
    **dict.fromkeys(("importer", "chronology", "patterns", "network", "handles", "leads", "actions", "tracker",
                     "findings", "overview", "link", "link_psi"), 2),  # import, analysis, trust linking (pure)
    **dict.fromkeys(("view", "casework", "accounts", "people", "steps", "training", "withdrawals", "provenance",
                     "link_case"), 3),  # case view, adapters
    "plots": 4, "widgets": 5, "report": 6, "packs": 7,
    **dict.fromkeys(("notebooks", "kernels", "launch", "serve", "demo", "hub", "singleuser"), 8),  # servers, runs
    "cli": 9,
}
#: upward imports known and not yet moved: (importer, imported) -> why.
KNOWN: dict[tuple[str, str], str] = {
    ("html", "report"): "html.figure embeds the report's small plotly.js bundle",
    ("report", "kernels"): "the report runs its notebook on a kernel of the kit's own",
    ("steps", "notebooks"): "the start page lists the notebooks by name",
    ("widgets", "notebooks"): "the panels link to the notebooks by name",
    ("widgets", "report"): "notebook 06's panel writes the report",
    ("widgets", "packs"): "notebook 05's panel writes packs and exports",
    ("importer", "people"): "people.name_key (a name's key) belongs with the shared words",
}


def _layer(module: str) -> str:
    """The layer key of a dotted module name inside the package ("report.sections" -> "report")."""
    return module.split(".")[0]


def _imports(path: Path) -> set[str]:
    """The package modules ``path`` imports at run time (dotted, relative to the package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hints: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            hints.update(id(n) for child in node.body for n in ast.walk(child))
    here = path.relative_to(PACKAGE).with_suffix("").parts
    package = here[:-1] if here[-1] != "__init__" else here[:-1]
    found = set()
    for node in ast.walk(tree):
        if id(node) in hints or not isinstance(node, ast.ImportFrom | ast.Import):
            continue
        if isinstance(node, ast.Import):
            names = [a.name[len("investigate."):] for a in node.names if a.name.startswith("investigate.")]
        elif node.level:
            base = list(package[: len(package) - node.level + 1])
            names = [".".join(base + ([node.module] if node.module else []))]
        else:
            names = [node.module[len("investigate."):]] if (node.module or "").startswith("investigate.") else []
        found.update(n for n in names if n)
    return found


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "vendor" not in p.parts)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_a_layer_above_its_own(path: Path) -> None:
    module = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
    own = _layer(module)
    if own not in LAYERS:
        pytest.fail(f"{module} is in no layer of docs/architecture.md: add it to the table and to LAYERS")
    upward = [m for m in _imports(path) if _layer(m) in LAYERS and LAYERS[_layer(m)] > LAYERS[own]
              and (own, _layer(m)) not in KNOWN and _layer(m) != own]
    assert upward == [], f"{module} (layer {LAYERS[own]}) imports {upward} from a layer above it"


def test_each_known_upward_import_is_still_there() -> None:
    """The check sees real upward imports (each known one), and an entry moved away is taken off the list."""
    seen = {(_layer(".".join(p.relative_to(PACKAGE).with_suffix("").parts)), _layer(m))
            for p in _modules() for m in _imports(p)}
    assert set(KNOWN) <= seen, set(KNOWN) - seen


def test_no_time_is_formatted_with_a_platform_only_directive() -> None:
    """"%-d" (day without a leading zero) works on Linux and fails on Windows; chronology.py used it."""
    found = [f"{p.relative_to(PACKAGE)}:{n}" for p in _modules() if p.suffix == ".py"
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"""["'][^"']*%-[a-zA-Z][^"']*["']""", line) and "strftime" in line or
             re.search(r"""\{[^}]*:[^}]*%-[a-zA-Z]""", line)]
    assert found == []
