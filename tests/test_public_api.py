"""The public face: `versioning_app` exports what a project writes, and the README uses only it."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import versioning_app

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

# Where the README may import from: the package root, and its test hooks once they exist.
ALLOWED_MODULES = {"versioning_app", "versioning_app.testing"}
HAS_TESTING = importlib.util.find_spec("versioning_app.testing") is not None
PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
# One import statement: a parenthesised `from ... import (...)` may span lines.
IMPORT_STATEMENT = re.compile(
    r"^[ \t]*(?:from[ \t]+\S+[ \t]+import[ \t]*\([^)]*\)|from[ \t]+\S+[ \t]+import[ \t]+[^\n]+"
    r"|import[ \t]+[^\n]+)",
    re.MULTILINE,
)


def python_blocks(text: str) -> list[str]:
    """The fenced ```python blocks of a Markdown text."""
    return PYTHON_BLOCK.findall(text)


def versioning_imports(block: str) -> list[tuple[str, str | None]]:
    """(module, imported name or None) for each import of versioning_app in a code block.

    Blocks may hold illustrative `...` that is not valid Python, so each import statement is
    parsed on its own rather than the whole block.
    """
    found: list[tuple[str, str | None]] = []
    for statement in IMPORT_STATEMENT.findall(block):
        node = ast.parse(statement.strip()).body[0]
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if node.module.split(".")[0] == "versioning_app":
                found.extend((node.module, alias.name) for alias in node.names)
        elif isinstance(node, ast.Import):
            found.extend(
                (alias.name, None)
                for alias in node.names
                if alias.name.split(".")[0] == "versioning_app"
            )
    return found


def test_every_exported_name_resolves() -> None:
    assert len(versioning_app.__all__) == len(set(versioning_app.__all__))
    for name in versioning_app.__all__:
        value = getattr(versioning_app, name)
        assert value is not None, name
        if name != "__version__":
            # The face re-exports the defining module's object, not a copy or a wrapper.
            assert value.__module__.startswith("versioning_app."), name
    assert set(versioning_app.__all__) <= set(dir(versioning_app))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Versoin'"):
        versioning_app.Versoin  # noqa: B018


def test_version_is_a_string() -> None:
    assert isinstance(versioning_app.__version__, str)
    assert versioning_app.__version__


def test_declaration_names_import_without_settings() -> None:
    """A settings module can import the declaration names: nothing needs configured settings."""
    code = """
import django.conf
import versioning_app
from versioning_app import (
    EndpointAdded, EndpointRemoved, EnumChoiceAdded, EnumChoiceRemoved, FieldAdded, FieldRemoved,
    FieldRenamed, FieldTypeChanged, RequestMigration, ResponseMigration, Version, VersionBundle,
    VersionDeclarationError, VersionNumber,
)

bundle = VersionBundle(
    Version("1.0"),
    Version("1.1", EndpointAdded("book-list"), FieldAdded("app.serializers.Book", "pages")),
)
assert [str(v.number) for v in bundle] == ["1.0", "1.1"], list(bundle)
assert VersionNumber.parse("2.1") > VersionNumber.parse("1.10")
try:
    VersionBundle(Version("1.1"), Version("1.0"))
except VersionDeclarationError:
    pass
else:
    raise AssertionError("versions out of order were accepted")
assert isinstance(versioning_app.__version__, str)
assert not django.conf.settings.configured, "importing versioning_app configured settings"
print("ok")
"""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_readme_imports_only_the_public_face() -> None:
    blocks = [b for b in python_blocks(README.read_text()) if versioning_imports(b)]
    # The manual's declaration, URL, serializer and lifecycle examples all import the package:
    # far fewer blocks means the fences changed and this test would check nothing.
    assert len(blocks) >= 5, len(blocks)
    for block in blocks:
        for module, name in versioning_imports(block):
            assert module in ALLOWED_MODULES, f"README imports from {module}:\n{block}"
            if module == "versioning_app" and name is not None:
                assert name in versioning_app.__all__ or name == "testing", (
                    f"README imports {name!r}, which versioning_app does not export:\n{block}"
                )
            if module == "versioning_app.testing" and HAS_TESTING:
                testing = importlib.import_module(module)
                assert name is None or hasattr(testing, name), f"README imports testing.{name}"


def test_the_readme_import_checker_catches_submodules() -> None:
    block = (
        "INSTALLED_APPS = [..., 'x']\n"
        "from versioning_app.changes import (\n    FieldAdded,\n    FieldRemoved,\n)\n"
        "from versioning_app import lifecycle\n"
        "import versioning_app.routing\n"
        "from django.urls import path\n"
    )
    assert versioning_imports(block) == [
        ("versioning_app.changes", "FieldAdded"),
        ("versioning_app.changes", "FieldRemoved"),
        ("versioning_app", "lifecycle"),
        ("versioning_app.routing", None),
    ]


def _outside_settings_table(text: str) -> str:
    """The README without its settings table, which is generated from the settings' specs."""
    start, end = "<!-- settings-table:start -->", "<!-- settings-table:end -->"
    if start in text and end in text:
        return text[: text.index(start)] + text[text.index(end) :]
    head, found, rest = text.partition("\n## Settings\n")
    return head + rest[rest.index("\n## ") :] if found else text


def _resolve(dotted: str) -> object:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            value: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            value = getattr(value, attribute)
        return value
    raise ModuleNotFoundError(dotted)


def test_every_dotted_path_in_the_readme_exists() -> None:
    """Paths the manual gives (settings values, hooks, URLconfs) name real modules and objects."""
    text = _outside_settings_table(README.read_text())
    paths = set(re.findall(r"[`\"'](versioning_app(?:\.\w+)+)", text))
    # Check ids (versioning_app.E001) are names, not paths; so is the client hash's HMAC purpose.
    paths = {p for p in paths if not re.fullmatch(r"versioning_app\.[EW]\d{3}", p)}
    paths.discard("versioning_app.usage.client")
    assert "versioning_app.middleware.VersioningMiddleware" in paths
    for dotted in sorted(paths):
        if dotted.startswith("versioning_app.testing") and not HAS_TESTING:
            continue  # documented ahead of the module (the branch that adds it merges separately)
        value = _resolve(dotted)
        assert isinstance(value, ModuleType) or callable(value) or dotted.endswith("__all__"), (
            dotted
        )
