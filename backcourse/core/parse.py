"""Turn plain data (parsed YAML, JSON or CSV) into frozen, typed dataclasses.

Every problem is collected with its place, so one broken file reports all of its
defects at once, each on one line naming the file, the entry and the field. Every value
is bounded here, whatever the field: numbers within ±(2^53 - 1), text at most
10,000 characters of real text (no lone surrogates), lists at most 1,000 items.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
import types
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

from backcourse.core.errors import BackcourseError, Problem

T = TypeVar("T")
MAX_NUMBER = 2**53 - 1  # exact as a float and in JSON, and within SQLite's integers
MAX_TEXT = 10_000  # characters in one text field
MAX_ITEMS = 1_000  # items in one list field
MAX_UNKNOWN = 10  # unknown fields named per entry; the rest are counted


class ContentError(BackcourseError):
    """Content failed validation; ``problems`` lists every defect found."""


def rule(
    *,
    min: float | None = None,
    max: float | None = None,
    pattern: str | None = None,
    nonempty: bool = False,
    check: Callable[[str], object] | None = None,
    default: Any = dataclasses.MISSING,
) -> Any:
    """A dataclass field with checks the parser enforces (bounds, regex, non-empty list, and
    ``check``, which reads a text value and raises ValueError with the message to show)."""
    meta = {"min": min, "max": max, "pattern": pattern, "nonempty": nonempty, "check": check}
    if isinstance(default, (list, dict, set)):
        raise TypeError("use a tuple default")
    return dataclasses.field(default=default, metadata=meta)


class _Invalid:
    """Marker for a value that failed to parse (its problem is already recorded)."""


_INVALID = _Invalid()


class Collector:
    """Accumulates problems for one entry of one file."""

    def __init__(self, file: str, entry: str) -> None:
        self.file = file
        self.entry = entry
        self.problems: list[Problem] = []

    def add(self, field: str, message: str) -> None:
        self.problems.append(Problem(self.file, self.entry, field or "(entry)", message))


def shorten(text: str, limit: int = 60) -> str:
    """``text`` for a message, cut to ``limit`` characters: a long value from a file or a
    command line is named, not echoed whole."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def brief(value: Any, limit: int = 60) -> str:
    """``repr(value)``, shortened for a message."""
    try:
        return shorten(repr(value), limit)
    except ValueError:  # an int too long to write out
        return "a number too long to show"


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _convert(tp: Any, value: Any, path: str, out: Collector) -> Any:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = get_args(tp)
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _convert(inner, value, path, out)
    if value is None:
        out.add(path, "is empty; a value is required")
        return _INVALID
    if origin is Literal:
        allowed = get_args(tp)
        if value not in allowed:
            out.add(path, f"must be one of {', '.join(map(repr, allowed))} (got {brief(value)})")
            return _INVALID
        return value
    if origin is tuple:
        if not isinstance(value, list):
            out.add(path, f"must be a list (got {_kind(value)})")
            return _INVALID
        if len(value) > MAX_ITEMS:
            out.add(path, f"lists {len(value):,} items; at most {MAX_ITEMS:,} are allowed")
            return _INVALID
        item_tp = get_args(tp)[0]
        return tuple(_convert(item_tp, v, f"{path}[{i}]", out) for i, v in enumerate(value))
    if dataclasses.is_dataclass(tp):
        return _parse_fields(tp, value, path, out)
    if tp is bool:
        ok = isinstance(value, bool)
    elif tp in (int, float):
        ok = not isinstance(value, bool) and (isinstance(value, int) or (
            tp is float and isinstance(value, float) and math.isfinite(value)))
        if ok and abs(value) > MAX_NUMBER:
            out.add(path, f"{brief(value)} is too large (the limit is ±{MAX_NUMBER:,})")
            return _INVALID
        value = float(value) if ok and tp is float else value
    elif tp is str:
        ok = isinstance(value, str)
        if ok and (problem := _text_problem(value)):
            out.add(path, problem)
            return _INVALID
    else:  # pragma: no cover - a model author's mistake, not a content error
        raise TypeError(f"unsupported field type {tp!r}")
    if not ok:
        out.add(path, f"must be {_TYPE_WORDS[tp]} (got {_kind(value)} {brief(value)})")
        return _INVALID
    return value


def _text_problem(value: str) -> str | None:
    if len(value) > MAX_TEXT:
        return f"is {len(value):,} characters long; at most {MAX_TEXT:,} are allowed"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"is not valid text (a lone surrogate at character {exc.start + 1})"
    if not value.strip():
        return "is blank; write some text"
    return None


_TYPE_WORDS = {bool: "true or false", int: "a whole number", float: "a number", str: "text"}


def _check_rules(field: dataclasses.Field[Any], value: Any, path: str, out: Collector) -> None:
    meta = field.metadata
    if not meta or value is None or value is _INVALID:
        return
    lo, hi = meta.get("min"), meta.get("max")
    if isinstance(value, (int, float)):
        if lo is not None and value < lo:
            out.add(path, f"must be at least {lo:g} (got {value:g})")
        if hi is not None and value > hi:
            out.add(path, f"must be at most {hi:g} (got {value:g})")
    if isinstance(value, tuple):
        if meta.get("nonempty") and not value:
            out.add(path, "must list at least one item")
        if lo is not None and len(value) < lo:
            out.add(path, f"must list at least {lo:g} items (got {len(value)})")
        if hi is not None and len(value) > hi:
            out.add(path, f"must list at most {hi:g} items (got {len(value)})")
    pattern = meta.get("pattern")
    if pattern and isinstance(value, str) and not re.fullmatch(pattern, value):
        out.add(path, f"{brief(value)} does not match the expected form {pattern}")
    check = meta.get("check")
    if check is not None and isinstance(value, str):
        try:
            check(value)
        except ValueError as exc:
            out.add(path, str(exc))


@functools.cache
def _shape(cls: Any) -> tuple[dict[str, Any], dict[str, dataclasses.Field[Any]]]:
    """A dataclass's resolved field types and its init fields, worked out once per class
    (resolving the hints is most of the cost of loading the course)."""
    return get_type_hints(cls), {f.name: f for f in dataclasses.fields(cls) if f.init}


def _parse_fields(cls: Any, raw: Any, path: str, out: Collector) -> Any:
    if not isinstance(raw, Mapping):
        out.add(path, f"must be a mapping of fields (got {_kind(raw)})")
        return _INVALID
    hints, fields = _shape(cls)
    unknown = [name for name in raw if name not in fields]
    for name in unknown[:MAX_UNKNOWN]:
        close = [f for f in fields if f.startswith(str(name)[:3])]
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        out.add(_join(path, shorten(str(name), 40)), f"unknown field{hint}")
    if len(unknown) > MAX_UNKNOWN:
        out.add(path, f"and {len(unknown) - MAX_UNKNOWN:,} more unknown fields")
    values: dict[str, Any] = {}
    for name, field in fields.items():
        where = _join(path, name)
        if name not in raw:
            no_default = (
                field.default is dataclasses.MISSING
                and field.default_factory is dataclasses.MISSING
            )
            if no_default:
                out.add(where, "is missing")
                values[name] = _INVALID
            continue
        values[name] = _convert(hints[name], raw[name], where, out)
        _check_rules(field, values[name], where, out)
    if any(_contains_invalid(v) for v in values.values()):
        return _INVALID
    obj = cls(**values)
    check: Callable[[], Iterable[tuple[str, str]]] | None = getattr(obj, "problems", None)
    if check is not None:
        for name, message in check():
            out.add(_join(path, name), message)
    return obj


def _contains_invalid(value: Any) -> bool:
    if value is _INVALID:
        return True
    return isinstance(value, tuple) and any(_contains_invalid(v) for v in value)


def json_document(text: str, file: str) -> Any:
    """The data in a JSON text; any way it cannot be read (bad syntax, a number too long to
    read, nesting too deep) is one problem, raised as a ContentError."""
    import json  # only the journal's import reads JSON; content loads without it

    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    except RecursionError:
        message = "its lists or mappings are nested too deeply"
    except ValueError:  # Python's limit on the digits of an integer
        message = "it holds a number too long to read"
    raise ContentError([Problem(file, "(file)", "(file)", f"cannot read: {message}")])


def parse(cls: type[T], raw: Any, out: Collector) -> T | None:
    """Parse ``raw`` into ``cls``; on any problem record it in ``out`` and return None."""
    before = len(out.problems)
    result = _parse_fields(cls, raw, "", out)
    return None if result is _INVALID or len(out.problems) > before else result
