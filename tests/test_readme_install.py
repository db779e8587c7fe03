"""The README's Installation works verbatim: a fresh ``startproject`` built from its own snippets
(read from README.md by their ``readme-install`` markers) migrates, passes ``check``, and serves
the admin, a versioned endpoint and the docs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(
    r"<!-- readme-install: (?P<mode>append|create) (?P<path>\S+) -->\s*```python\n(?P<code>.*?)```",
    re.S,
)

pytestmark = pytest.mark.slow

PROBE = textwrap.dedent(
    """
    import django
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    from django.test import Client

    client = Client()
    admin = client.get("/admin/")
    assert admin.status_code == 302 and "/admin/login/" in admin["Location"], admin.status_code
    api = client.get("/api/v1/greetings/")
    assert api.status_code == 200, (api.status_code, api.content)
    assert api["API-Version"] == "1.1", api.headers
    assert api.json() == [{"text": "Hello", "served_at": "1.1"}], api.json()
    added = client.get("/api/v1/farewells/", headers={"API-Version": "1.0"})
    assert added.status_code == 404, added.status_code
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content, docs.status_code
    schema = client.get("/api/schema/2.0/")
    assert schema.status_code == 200 and "/api/v2/greetings/" in schema.json()["paths"]
    changelog = client.get("/api/changelog/", {"format": "html"})
    assert changelog.status_code == 200
    print("ok")
    """
)


def snippets() -> list[tuple[str, str, str]]:
    """``(mode, path, code)`` of every marked snippet, in README order."""
    return [
        (m["mode"], m["path"], m["code"])
        for m in MARKER.finditer((ROOT / "README.md").read_text(encoding="utf-8"))
    ]


def run(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_the_readme_has_the_three_install_snippets() -> None:
    assert [(mode, path) for mode, path, _code in snippets()] == [
        ("append", "myproject/settings.py"),
        ("create", "myproject/api.py"),
        ("create", "myproject/urls.py"),
    ]


def test_a_fresh_project_built_from_the_readme_answers(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VERSIONING_"))}
    # The package from this checkout, as `pip install` would provide it.
    env["PYTHONPATH"] = str(ROOT)
    run(["-m", "django", "startproject", "myproject"], tmp_path, env)
    project = tmp_path / "myproject"
    for mode, path, code in snippets():
        target = project / path
        if mode == "append":
            target.write_text(target.read_text() + "\n" + code)
        else:
            target.write_text(code)
    env["PYTHONPATH"] = os.pathsep.join([str(project), str(ROOT)])
    env["DJANGO_SETTINGS_MODULE"] = "myproject.settings"
    run(["manage.py", "migrate", "--noinput"], project, env)
    checked = run(["manage.py", "check", "--fail-level", "WARNING"], project, env)
    assert "no issues" in checked
    assert run(["-c", PROBE], project, env).strip() == "ok"


def test_the_table_of_contents_lists_every_chapter() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    toc = readme.split("<!-- toc:start -->", 1)[1].split("<!-- toc:end -->", 1)[0]
    chapters = re.findall(r"^## (.+)$", readme, re.M)
    listed = re.findall(r"^- \[(.+?)\]\(#([\w-]+)\)$", toc, re.M)
    assert [title for title, _anchor in listed] == chapters
    for title, anchor in listed:
        assert anchor == re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")
