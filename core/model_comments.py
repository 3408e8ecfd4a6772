"""Tortoise's ``#:`` field comments, read with one parse per module instead of one per model.

Tortoise's model metaclass gives each field the ``#:`` comment above it as its description (the
column comments of the PostgreSQL migrations). It finds a model's source with
``inspect.getsource(cls)``, which on Python 3.11 parses the whole module again for every class:
with about 45 models in the core and the built-in plugins that was a quarter of guildkit's import
time. :func:`install` replaces ``tortoise.models._get_comments`` (looked up by name each time a
model class is created) with the same extraction over a parse cached per source file: the class
is found the way ``inspect.findsource`` finds it and cut where its last statement ends (tests check
the result equals the library's for every built-in model); when that fails the library's own
function answers.
"""

from __future__ import annotations

import ast
import inspect
import linecache
import re
from typing import Any

import tortoise.models

_library_get_comments = tortoise.models._get_comments
#: source file -> (the linecache lines parsed, class qualname -> its span of lines)
_parsed: dict[str, tuple[list[str], dict[str, tuple[int, int]]]] = {}


def _class_spans(tree: ast.Module) -> dict[str, tuple[int, int]]:
    """qualname -> (0-based first line, 0-based line after its last statement) of every class,
    named as ``inspect._ClassFinder`` names them (decorators included; the first match wins).
    Walks statement lists only: a class statement cannot hide inside an expression."""
    spans: dict[str, tuple[int, int]] = {}

    def walk(statements: list[ast.stmt], stack: list[str]) -> None:
        for node in statements:
            if isinstance(node, ast.ClassDef):
                inner = [*stack, node.name]
                first = node.decorator_list[0].lineno if node.decorator_list else node.lineno
                spans.setdefault(".".join(inner), (first - 1, node.end_lineno or node.lineno))
                walk(node.body, inner)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                walk(node.body, [*stack, node.name, "<locals>"])
            else:
                for name in ("body", "orelse", "finalbody"):
                    block = getattr(node, name, None)
                    if isinstance(block, list):
                        walk(block, stack)
                for holder in (*getattr(node, "handlers", ()), *getattr(node, "cases", ())):
                    walk(holder.body, stack)

    walk(tree.body, [])
    return spans


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
        cached = _parsed[file] = (lines, _class_spans(ast.parse("".join(lines))))
    span = cached[1].get(cls.__qualname__)
    if span is None:
        raise OSError("could not find class definition")
    # The class's lines from the syntax tree: inspect.getblock would tokenize them again.
    return "".join(lines[span[0] : span[1]])


def _get_comments(cls: Any) -> dict[str, str]:
    """``tortoise.models._get_comments`` with the source found through :func:`_class_source`."""
    try:
        source = _class_source(cls)
    except (AttributeError, TypeError, OSError, SyntaxError):
        return _library_get_comments(cls)
    # The library repeats this for every class of the MRO over the same source; the last pass,
    # for ``cls`` itself, decides every value, so one pass gives the same dictionary.
    comments = {}
    for match in re.findall(r"((?:(?!\n|^)[^\w\n]*#:.*?\n)+?)[^\w\n]*(\w+)\s*[:=]", source):
        comment = re.sub(r"(^\s*#:\s*|\s*$)", "", match[0], flags=re.MULTILINE)
        comments[match[1]] = comment.replace("{model}", cls.__name__)
    return comments


def install() -> None:
    """Use :func:`_get_comments` for every model class created from now on (idempotent)."""
    tortoise.models._get_comments = _get_comments  # type: ignore[attr-defined]
