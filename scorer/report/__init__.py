"""The weekly report: figures computed here, sentences chosen by rule, Jinja2 templates render."""

from .writer import build_context, period_from_week, write_report

__all__ = ["build_context", "period_from_week", "write_report"]
