"""The layout's rules, read from the source (docs/architecture.md):

- no import cycle anywhere in stalklog, not even through an import inside a function (a local
  import is for start-up speed, never to hide a cycle);
- the law engine imports only itself, stalklog.errors, stalklog.vocab, dateutil and the
  standard library;
- the core (everything outside stalklog/cli/) never imports typer, rich or click.

Every ``import`` and ``from … import`` in every module counts, wherever it stands (module
level, inside a function, under ``if TYPE_CHECKING``). ``from package import name`` is an
edge to the submodule ``package.name`` when there is one, else to the package itself;
importing a submodule is not counted as an import of its package's ``__init__``.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "stalklog"
LAW_MAY_IMPORT = ("stalklog.law", "stalklog.errors", "stalklog.vocab")
LAW_MAY_IMPORT_OUTSIDE = {"dateutil"}
CLI_ONLY = {"typer", "rich", "click"}


def modules(root: Path = PACKAGE) -> dict[str, tuple[Path, bool]]:
    """Every module of the package: dotted name → (file, whether it is a package's __init__)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        found[".".join(parts)] = (path, is_package)
    return found


def imports(name: str, path: Path, is_package: bool, known: set[str]) -> list[tuple[str, int]]:
    """``(imported name, line)`` for every import in the module, relative ones made absolute.
    A name inside the package is resolved to the module it loads."""
    here = name if is_package else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(_module_of(a.name, known), node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")[: len(here.split(".")) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                found.append((submodule if submodule in known else _module_of(source, known), node.lineno))
    return found


def _module_of(dotted: str, known: set[str]) -> str:
    """The package's module that ``import dotted`` loads (the longest known prefix), or the
    name itself for anything outside the package."""
    candidate = dotted
    while candidate and candidate not in known:
        candidate = candidate.rpartition(".")[0]
    return candidate or dotted


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Module → the package's modules it imports."""
    found = modules(root)
    known = set(found)
    return {
        name: {target for target, _ in imports(name, path, is_package, known) if target in known and target != name}
        for name, (path, is_package) in found.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle as ``[a, b, …, a]`` (depth-first search), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_no_import_cycle_anywhere_in_stalklog():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " → ".join(cycle)


def test_the_law_engine_imports_only_itself_errors_vocab_dateutil_and_the_stdlib():
    found = modules()
    known = set(found)
    outside = []
    for name, (path, is_package) in found.items():
        if name != "stalklog.law" and not name.startswith("stalklog.law."):
            continue
        for target, line in imports(name, path, is_package, known):
            top = target.split(".")[0]
            if top == "stalklog":
                ok = any(target == allowed or target.startswith(allowed + ".") for allowed in LAW_MAY_IMPORT)
            else:
                ok = top in sys.stdlib_module_names or top in LAW_MAY_IMPORT_OUTSIDE
            if not ok:
                outside.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}")
    assert not outside, "\n".join(outside)


def test_the_core_never_imports_the_cli_toolkits():
    found = modules()
    known = set(found)
    leaks = []
    for name, (path, is_package) in found.items():
        if name.startswith("stalklog.cli.") or name in ("stalklog.cli", "stalklog.__main__"):
            continue  # the CLI, and ``python -m stalklog``, which starts it
        for target, line in imports(name, path, is_package, known):
            if target.split(".")[0] in CLI_ONLY or target.startswith("stalklog.cli"):
                leaks.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}")
    assert not leaks, "\n".join(leaks)


# ---------------------------------------------------------------- the checks themselves


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "stalklog"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_a_cycle_hidden_in_a_function_level_import_is_found(tmp_path):
    root = _tree(
        tmp_path,
        {
            "__init__.py": "",
            "pkg/__init__.py": "",
            "pkg/a.py": "from stalklog.pkg import b\n",
            "pkg/b.py": "def f():\n    from . import c\n",
            "pkg/c.py": "def g():\n    import stalklog.pkg.a\n",
            "other.py": "from stalklog.pkg.a import something\n",
        },
    )
    assert find_cycle(import_graph(root)) == ["stalklog.pkg.a", "stalklog.pkg.b", "stalklog.pkg.c", "stalklog.pkg.a"]


def test_a_name_from_a_package_is_an_edge_to_its_init(tmp_path):
    root = _tree(
        tmp_path,
        {
            "__init__.py": "",
            "pkg/__init__.py": "from .a import run\n",
            "pkg/a.py": "def f():\n    from stalklog.pkg import helper\n",
        },
    )
    graph = import_graph(root)
    assert graph["stalklog.pkg.a"] == {"stalklog.pkg"}
    assert find_cycle(graph) == ["stalklog.pkg", "stalklog.pkg.a", "stalklog.pkg"]


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("from ..errors import X\n", "stalklog.errors"),
        ("from . import wording\n", "stalklog.law.wording"),
        ("import stalklog.law.wording as w\n", "stalklog.law.wording"),
        ("from stalklog.store.database import Database\n", "stalklog.store.database"),
    ],
)
def test_relative_and_dotted_imports_resolve_to_modules(tmp_path, text, target):
    root = _tree(
        tmp_path,
        {
            "__init__.py": "",
            "errors.py": "",
            "law/__init__.py": "",
            "law/wording.py": "",
            "law/check.py": text,
            "store/__init__.py": "",
            "store/database.py": "",
        },
    )
    assert import_graph(root)["stalklog.law.check"] == {target}
