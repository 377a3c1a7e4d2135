"""The weekly report: figures computed here, sentences chosen by rule, Jinja2 templates render."""

from .render import write_report
from .week import period_from_week
from .writer import build_context

__all__ = ["build_context", "period_from_week", "write_report"]
