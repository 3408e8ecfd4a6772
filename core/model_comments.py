"""Tortoise's ``#:`` field comments, read with one parse per module instead of one per model.

Tortoise's model metaclass gives each field the ``#:`` comment above it as its description (the
column comments of the PostgreSQL migrations). It finds a model's source with
``inspect.getsource(cls)``, which on Python 3.11 parses the whole module again for every class:
with about 45 models in the core and the built-in plugins that was a quarter of guildkit's import
time. :func:`install` replaces ``tortoise.models._get_comments`` (looked up by name each time a
model class is created) with the same extraction over a parse cached per source file. The result
is the same text: the class is found the way ``inspect.findsource`` finds it and its block is cut
with ``inspect.getblock``; when that fails the library's own function answers.
"""

from __future__ import annotations

import ast
import inspect
import linecache
import re
from typing import Any

import tortoise.models

_library_get_comments = tortoise.models._get_comments
#: source file -> (the linecache lines parsed, class qualname -> 0-based first line)
_parsed: dict[str, tuple[list[str], dict[str, int]]] = {}


class _ClassLines(ast.NodeVisitor):
    """Where each class starts, named as ``inspect._ClassFinder`` names them (decorators included)."""

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.starts: dict[str, int] = {}

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.stack += [node.name, "<locals>"]
        self.generic_visit(node)
        del self.stack[-2:]

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.stack.append(node.name)
        first = node.decorator_list[0].lineno if node.decorator_list else node.lineno
        self.starts.setdefault(".".join(self.stack), first - 1)  # the first match wins, as there
        self.generic_visit(node)
        self.stack.pop()


def _class_source(cls: type) -> str:
    file = inspect.getsourcefile(cls)
    if not file:
        raise OSError("source code not available")
    linecache.checkcache(file)
    module = inspect.getmodule(cls, file)
    lines = linecache.getlines(file, module.__dict__) if module else linecache.getlines(file)
    if not lines:
        raise OSError("could not get source code")
    cached = _parsed.get(file)
    if cached is None or cached[0] is not lines:  # first class of the file, or the file changed
        finder = _ClassLines()
        finder.visit(ast.parse("".join(lines)))
        cached = _parsed[file] = (lines, finder.starts)
    start = cached[1].get(cls.__qualname__)
    if start is None:
        raise OSError("could not find class definition")
    return "".join(inspect.getblock(lines[start:]))


def _get_comments(cls: Any) -> dict[str, str]:
    """``tortoise.models._get_comments`` with the source found through :func:`_class_source`."""
    try:
        source = _class_source(cls)
    except (AttributeError, TypeError, OSError, SyntaxError):
        return _library_get_comments(cls)
    comments = {}
    for cls_ in reversed(cls.__mro__):
        if cls_ is object:
            continue
        matches = re.findall(r"((?:(?!\n|^)[^\w\n]*#:.*?\n)+?)[^\w\n]*(\w+)\s*[:=]", source)
        for match in matches:
            field_name = match[1]
            comment = re.sub(r"(^\s*#:\s*|\s*$)", "", match[0], flags=re.MULTILINE)
            comments[field_name] = comment.replace("{model}", cls_.__name__)
    return comments


def install() -> None:
    """Use :func:`_get_comments` for every model class created from now on (idempotent)."""
    tortoise.models._get_comments = _get_comments  # type: ignore[attr-defined]
