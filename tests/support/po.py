"""A minimal reader of gettext ``.po`` files: enough to check that a catalogue is complete."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    """One message: its context, id, plural id, translations and flags (``fuzzy``)."""

    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def read_po(path: Path) -> list[Entry]:
    """Every entry of the file but the header, in file order."""
    entries: list[Entry] = []
    current = Entry()
    key: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal current, key
        if current.msgid or current.msgstr:
            entries.append(current)
        current, key = Entry(), None

    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            current.obsolete = True
            continue
        if line.startswith("#,"):
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            assert key is not None, raw
            _append(current, key, ast.literal_eval(line))
            continue
        word, _, rest = line.partition(" ")
        key = ("msgstr", int(word[7:-1])) if word.startswith("msgstr[") else (word, 0)
        _append(current, key, ast.literal_eval(rest), start=True)
    return [entry for entry in entries if entry.msgid and not entry.obsolete]


def _append(entry: Entry, key: tuple[str, int], text: str, start: bool = False) -> None:
    name, index = key
    if name == "msgstr":
        entry.msgstr[index] = ("" if start else entry.msgstr.get(index, "")) + text
    elif name == "msgid":
        entry.msgid = ("" if start else entry.msgid) + text
    elif name == "msgid_plural":
        entry.msgid_plural = ("" if start else entry.msgid_plural or "") + text
    elif name == "msgctxt":
        entry.msgctxt = ("" if start else entry.msgctxt or "") + text
