"""Sources of the canonical PR table: a git clone (`git`), an export file (`files`) and the
GitHub REST API (`github`, which also gives the activity table of issues and PRs)."""

from .files import ingest_file
from .git import ingest_git

__all__ = ["ingest_file", "ingest_git"]
