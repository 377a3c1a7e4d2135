"""User-facing errors: one line, no traceback, non-zero exit."""

from __future__ import annotations


class ScorerError(Exception):
    """A mistake in the user's input or environment, reported as one line."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        where = []
        if path:
            where.append(str(path) + (f":{line}" if line is not None else ""))
        elif line is not None:
            where.append(f"line {line}")
        if field:
            where.append(f"field '{field}'")
        prefix = ", ".join(where)
        text = f"{prefix}: {message}" if prefix else str(message)
        super().__init__(" ".join(part.strip() for part in text.splitlines() if part.strip()))  # always one line
        self.path, self.line, self.field = path, line, field


def first_line(exc: BaseException, empty: str = "no detail", limit: int = 120) -> str:
    """A library exception's message as one short line: parsers put file dumps and blank
    messages in their errors, and a ScorerError must stay one line."""
    lines = [s.strip() for s in str(exc).splitlines() if s.strip()]
    return (lines[0][:limit] if lines else "") or f"{exc.__class__.__name__}: {empty}"


def shown(value: object, limit: int = 60) -> str:
    """A bad value as a message quotes it: numpy scalars as plain numbers (not `np.float64(11.0)`),
    and never more than `limit` characters of it."""
    if hasattr(value, "item") and getattr(value, "ndim", None) == 0:
        value = value.item()
    r = repr(value)
    return r if len(r) <= limit else r[:limit - 1] + "…"


class CacheWarning(UserWarning):
    """The cache directory could not be written: the run goes on without keeping anything."""
