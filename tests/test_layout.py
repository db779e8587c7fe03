"""The package's house rules: no import cycles, no module over 400 lines, a true module map."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "versioning_app"
CONTRIBUTING = ROOT / "CONTRIBUTING.md"
MAX_LINES = 400


def package_modules(package: Path) -> dict[str, Path]:
    """Dotted name -> file of every module of a package (a sub-package is its ``__init__``)."""
    modules = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if "migrations" in parts:
            continue
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class _Imports(ast.NodeVisitor):
    """Every import a module can execute: module level, in functions and in classes alike."""

    def __init__(self, module: str, is_package: bool, modules: dict[str, Path]) -> None:
        self.module, self.is_package, self.modules = module, is_package, modules
        self.targets: list[str] = []

    def visit_If(self, node: ast.If) -> None:
        # `if TYPE_CHECKING:` blocks never run: they serve annotations, not imports.
        if not _is_type_checking(node.test):
            for child in node.body:
                self.visit(child)
        for child in node.orelse:
            self.visit(child)

    def visit_Import(self, node: ast.Import) -> None:
        self.targets.extend(alias.name for alias in node.names)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            here = self.module.split(".")
            base = here if self.is_package else here[:-1]
            base = base[: len(base) - (node.level - 1)]
            source = ".".join([*base, *([node.module] if node.module else [])])
        else:
            source = node.module or ""
        for alias in node.names:
            submodule = f"{source}.{alias.name}"
            self.targets.append(submodule if submodule in self.modules else source)


def import_graph(package: Path) -> dict[str, set[str]]:
    """Module -> the package modules it imports, with the packages Python runs on the way."""
    modules = package_modules(package)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        visitor = _Imports(name, path.name == "__init__.py", modules)
        visitor.visit(ast.parse(path.read_text(), filename=str(path)))
        for target in visitor.targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            # Importing a.b.c runs a/__init__ and a/b/__init__ first, then c.
            parts = target.split(".") if target else []
            for cut in range(1, len(parts) + 1):
                reached = ".".join(parts[:cut])
                # A module's own packages are always initialised before it: never a cycle.
                if reached in modules and reached != name and not name.startswith(reached + "."):
                    graph[name].add(reached)
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))
    return cycles


def _write(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / "pkg"


def test_the_package_has_no_import_cycle() -> None:
    graph = import_graph(PACKAGE)
    assert "versioning_app.versions" in graph["versioning_app.routing"]  # the graph is real
    assert import_cycles(graph) == []


def test_the_cycle_checker_sees_function_local_and_relative_imports(tmp_path: Path) -> None:
    package = _write(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg import face\n",
            "pkg/face.py": "import pkg\n",  # the package's face importing the package: fine
            "pkg/a.py": "import pkg.b\n",
            "pkg/b.py": "def later():\n    from pkg import a\n",  # function-local closes it
            "pkg/c.py": "from . import d\n",
            "pkg/d.py": "class X:\n    from .c import name\n",
            "pkg/e.py": "import typing\nif typing.TYPE_CHECKING:\n    from pkg import f\n",
            "pkg/f.py": "from pkg.e import thing\n",
            "pkg/sub/__init__.py": "from pkg.g import x\n",
            "pkg/sub/h.py": "",
            "pkg/g.py": "from pkg.sub.h import y\n",  # runs pkg/sub/__init__, which imports g
            "pkg/migrations/0001.py": "from pkg import m\n",
            "pkg/m.py": "import pkg.migrations\n",
        },
    )
    assert import_cycles(import_graph(package)) == [
        ["pkg.a", "pkg.b"],
        ["pkg.c", "pkg.d"],
        ["pkg.g", "pkg.sub"],
    ]


def test_no_module_is_over_400_lines() -> None:
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text().splitlines())
        for path in package_modules(PACKAGE).values()
    }
    assert len(sizes) > 30
    assert {path: n for path, n in sizes.items() if n > MAX_LINES} == {}


TREE_LINE = re.compile(r"^((?:│   |    )*)(?:├── |└── )(\S+)")


def contributing_tree(text: str) -> set[str]:
    """Paths (directories end with /) of the ``versioning_app/`` tree drawn in CONTRIBUTING."""
    for block in re.findall(r"^```text\n(.*?)^```", text, re.MULTILINE | re.DOTALL):
        lines = block.splitlines()
        if lines and lines[0].strip() == "versioning_app/":
            break
    else:
        raise AssertionError("CONTRIBUTING.md has no ```text block starting with versioning_app/")
    paths: set[str] = set()
    folders: list[str] = []
    for line in lines[1:]:
        match = TREE_LINE.match(line)
        if match is None:
            continue
        depth = len(match.group(1)) // 4
        del folders[depth:]
        name = match.group(2)
        paths.add("/".join([*folders, name]))
        if name.endswith("/"):
            folders.append(name.rstrip("/"))
    return paths


def test_contributing_tree_parser() -> None:
    text = (
        "```text\nversioning_app/\n├── a.py      one job\n├── sub/\n│   ├── b.py   x\n"
        "│   └── deeper/\n│       └── c.py\n└── d.py\n```\n"
    )
    assert contributing_tree(text) == {
        "a.py",
        "sub/",
        "sub/b.py",
        "sub/deeper/",
        "sub/deeper/c.py",
        "d.py",
    }


def test_every_module_is_in_contributing_tree() -> None:
    """The module map stays true: a new module gets its line (a planned one may come first)."""
    expected = set()
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if "migrations" in relative.parts:
            continue
        # An empty __init__.py only marks a package: its folder's line stands for it.
        if path.name != "__init__.py" or path.read_text().strip():
            expected.add(relative.as_posix())
        expected.update(f"{parent.as_posix()}/" for parent in relative.parents if parent.parts)
    missing = expected - contributing_tree(CONTRIBUTING.read_text())
    assert missing == set(), f"add these to CONTRIBUTING.md's tree: {sorted(missing)}"
