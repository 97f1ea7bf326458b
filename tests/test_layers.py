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
    **dict.fromkeys(("case", "audit", "evidence", "seal", "access", "kernels", "loaders"), 1),  # case store, loaders
    **dict.fromkeys(("importer", "chronology", "patterns", "network", "handles", "leads", "actions", "tracker",
                     "findings", "overview", "link", "link_psi"), 2),  # import, analysis, trust linking (pure)
    **dict.fromkeys(("view", "casework", "lead_rows", "accounts", "people", "steps", "training", "withdrawals",
                     "provenance", "link_case"), 3),  # case view, adapters
    "plots": 4, "report": 5, "packs": 6, "widgets": 7,
    **dict.fromkeys(("notebooks", "launch", "serve", "demo", "hub", "singleuser"), 8),  # servers, runs
    "cli": 9,
}
#: upward imports known and not yet moved: (importer, imported) -> why.
KNOWN: dict[tuple[str, str], str] = {
}


def _layer(module: str) -> str:
    """The layer key of a dotted module name inside the package ("report.sections" -> "report")."""
    return module.split(".")[0]


def _imports(path: Path, source: str | None = None) -> set[str]:
    """The package modules ``path`` imports at run time (dotted, relative to the package)."""
    return {module for module, _ in _imported(path, source)}


def _imported(path: Path, source: str | None = None) -> set[tuple[str, str]]:
    """(module, name) for each package module ``path`` imports at run time and each name it takes from it
    ("" for a plain ``import``); ``source`` stands for the file's text."""
    tree = ast.parse(source if source is not None else path.read_text(encoding="utf-8"))
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
            found.update((a.name[len("investigate."):], "") for a in node.names if a.name.startswith("investigate."))
            continue
        if node.level:
            module = ".".join(list(package[: len(package) - node.level + 1]) + ([node.module] if node.module else []))
        else:
            module = node.module[len("investigate."):] if (node.module or "").startswith("investigate.") else ""
        if module:
            found.update((module, a.name) for a in node.names)
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
    """An entry of KNOWN whose import has moved away is taken off the list."""
    seen = {(_layer(".".join(p.relative_to(PACKAGE).with_suffix("").parts)), _layer(m))
            for p in _modules() for m in _imports(p)}
    assert set(KNOWN) <= seen, set(KNOWN) - seen


def test_the_checks_see_an_upward_import_and_a_private_name() -> None:
    """The reading of imports finds what the two checks look for (relative, absolute, from a package)."""
    widget = PACKAGE / "widgets" / "report.py"
    source = ("from ..cli import main\nfrom investigate.packs._facts import find_person\n"
              "from ..leads import _plural\nif TYPE_CHECKING:\n    from ..serve import x\n")
    found = _imported(widget, source)
    assert ("cli", "main") in found and ("packs._facts", "find_person") in found and ("leads", "_plural") in found
    assert not any(module == "serve" for module, _ in found)  # a type hint only
    assert len(_private(widget, source)) == 2


def _private(path: Path, source: str | None = None) -> list[str]:
    """What ``path`` takes from another package's private parts: a name, or a module, starting with "_"."""
    own = _layer(".".join(path.relative_to(PACKAGE).with_suffix("").parts))
    return sorted(f"{module}.{name}" if name else module for module, name in _imported(path, source)
                  if _layer(module) != own and _layer(module) not in ("_faults", "__init__")
                  and (name.startswith("_") and name != "__version__"
                       or any(part.startswith("_") and part != "__init__" for part in module.split(".")[1:])))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_reaches_into_another_packages_private_names(path: Path) -> None:
    assert _private(path) == [], f"{path.relative_to(PACKAGE)} uses private parts of another package"


def test_no_time_is_formatted_with_a_platform_only_directive() -> None:
    """"%-d" (day without a leading zero) works on Linux and fails on Windows; chronology.py used it."""
    found = [f"{p.relative_to(PACKAGE)}:{n}" for p in _modules() if p.suffix == ".py"
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"""["'][^"']*%-[a-zA-Z][^"']*["']""", line) and "strftime" in line or
             re.search(r"""\{[^}]*:[^}]*%-[a-zA-Z]""", line)]
    assert found == []
