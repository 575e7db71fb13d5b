"""docs/privacy.md maps each obligation of Law 25 to the tests that prove it; this keeps
that table true: every test it names (`tests/…py::test_name`) exists, and every
obligation names at least one."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "privacy.md"
NAMED = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def obligation_rows(text: str) -> list[str]:
    """The rows of the table under « Obligations, features, tests »."""
    section = text.split("## Obligations, features, tests", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    return rows[1:]  # the header


def defined_tests(path: Path) -> set[str]:
    """The test functions a module defines, at its top level or in its Test classes."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.update(f.name for f in node.body if isinstance(f, ast.FunctionDef))
    return {name for name in names if name.startswith("test_")}


def missing(rows: list[str]) -> list[str]:
    """Each ``file::test`` the rows name that does not exist, and each row naming none."""
    wrong = []
    for row in rows:
        named = NAMED.findall(row)
        if not named:
            wrong.append(f"no test named for: {row[:80]}")
        for file, test in named:
            path = ROOT / file
            if not path.is_file() or test not in defined_tests(path):
                wrong.append(f"{file}::{test}")
    return wrong


def test_every_obligation_names_tests_that_exist():
    rows = obligation_rows(DOC.read_text(encoding="utf-8"))
    assert len(rows) >= 8
    assert missing(rows) == []


def test_a_renamed_or_missing_test_is_caught():
    rows = [
        "| s. 27 | … | … | `tests/privacy/test_docs.py::test_no_such_test` |",
        "| s. 3.8 | … | … | `tests/privacy/no_such_file.py::test_anything` |",
        "| s. 23 | … | … | a sentence but no test |",
    ]
    assert missing(rows) == [
        "tests/privacy/test_docs.py::test_no_such_test",
        "tests/privacy/no_such_file.py::test_anything",
        "no test named for: | s. 23 | … | … | a sentence but no test |",
    ]
