"""The apps stay in layers (docs/explanation/app-layers.md): read from the source with `ast`.

(a) No module imports another project app inside a function or method: such a "late import"
    hides a loop between apps instead of removing it.
(b) The import graph between apps has no cycle.
(c) `factors`, the ground floor, imports no project app but the infrastructure ones.

The root URLconf (agentops_web/urls.py) includes every app's pages by nature: it is the top of
the graph, a node of its own ("agentops_web.urls"); the rest of agentops_web (settings, error
pages, request ids, …) is infrastructure like common and pagecache.
"""

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Top-level packages that are not apps: the test suite, and the benchmarks (which import the
# models only once they have set Django up).
NOT_APPS = {"tests", "bench"}
URLCONF = "agentops_web.urls"  # the root URLconf, its own node at the top

# What the ground floor may import: the infrastructure apps.
FACTORS_MAY_IMPORT = {"common", "pagecache", "accounts"}

APPS = sorted(
    p.name
    for p in ROOT.iterdir()
    if p.is_dir() and (p / "__init__.py").exists() and p.name not in NOT_APPS
)


@dataclass(frozen=True)
class Import:
    module: str  # the importing file, relative to the root: "factorpages/views.py"
    app: str  # its app (URLCONF for the root URLconf)
    imported: str  # the app imported
    line: int
    late: bool  # inside a function or method

    def __str__(self) -> str:
        where = "inside a function" if self.late else "at module level"
        return f"{self.module}:{self.line} imports {self.imported} ({where})"


def _node(path: Path) -> str:
    relative = path.relative_to(ROOT)
    if relative.as_posix() == "agentops_web/urls.py":
        return URLCONF
    return relative.parts[0]


def _imports_of(path: Path) -> list[Import]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []

    def visit(node: ast.AST, late: bool) -> None:
        for child in ast.iter_child_nodes(node):
            names = []
            if isinstance(child, ast.Import):
                names = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                names = [child.module]
            for name in names:
                imported = name.split(".")[0]
                if imported in APPS and imported != path.relative_to(ROOT).parts[0]:
                    found.append(
                        Import(
                            module=path.relative_to(ROOT).as_posix(),
                            app=_node(path),
                            imported=imported,
                            line=child.lineno,
                            late=late,
                        )
                    )
            inner = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            visit(child, late or inner)

    visit(tree, False)
    return found


def _all_imports() -> list[Import]:
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.relative_to(ROOT).parts:
                continue
            found.extend(_imports_of(path))
    return found


def _graph(imports: list[Import]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for i in imports:
        graph[i.app].add(i.imported)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph, as the path [a, b, …, a], or None."""
    state: dict[str, str] = {}  # "open" while on the path, "done" once explored
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def _example(imports: list[Import], a: str, b: str) -> Import:
    return next(i for i in imports if i.app == a and i.imported == b)


def test_the_apps_are_found():
    assert {"factors", "cases", "factorpages", "common", "pagecache", "agentops_web"} <= set(APPS)


def test_no_app_imports_another_inside_a_function():
    late = [str(i) for i in _all_imports() if i.late]
    assert late == [], "Import at module level (a late import hides a loop):\n" + "\n".join(late)


def test_the_import_graph_between_apps_has_no_cycle():
    imports = _all_imports()
    cycle = _cycle(_graph(imports))
    if cycle:
        steps = [str(_example(imports, a, b)) for a, b in zip(cycle, cycle[1:], strict=False)]
        raise AssertionError(
            "The apps import each other in a loop: " + " → ".join(cycle) + "\n" + "\n".join(steps)
        )


def test_factors_is_the_ground_floor():
    imports = [i for i in _all_imports() if i.app == "factors"]
    outside = [str(i) for i in imports if i.imported not in FACTORS_MAY_IMPORT]
    assert outside == [], "factors imports only common, pagecache and accounts:\n" + "\n".join(
        outside
    )


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}}) is None
