"""The `scorer` command line. Each command is thin: parse options, call a stage, print a summary."""

from __future__ import annotations

import functools
import os
import sys
import time
from pathlib import Path

import click

from . import __version__
from .errors import ScorerError

DEFAULT_BENCH = os.environ.get("SCORER_BENCH_DATA", "../shared/data")


class ScorerGroup(click.Group):
    """Turns a ScorerError anywhere below into one line on stderr and exit code 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ScorerError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)


def _human(n: float) -> str:
    return f"{n:,.0f}" if abs(n) >= 100 else f"{n:,.2f}"


@click.group(cls=ScorerGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="scorer")
def main() -> None:
    """Score a repository's merged pull requests: importance 0-10, calibrated risk tags, weekly reports.

    \b
    Example:
      scorer demo                      # train, score and evaluate on the shipped sample
      scorer ingest git ~/src/vllm --repo vllm-project/vllm -o prs.jsonl.gz
    """


@main.group(cls=ScorerGroup)
def ingest() -> None:
    """Build the canonical PR table from a git clone or an export file.

    \b
    Example:
      scorer ingest git ~/src/vllm --repo vllm-project/vllm --since 2026-01-01 -o prs.jsonl.gz
      scorer ingest file export.csv -o prs.parquet
    """


@ingest.command("git")
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
@click.option("--repo", "repo_slug", required=True, help="Repository slug OWNER/NAME recorded on every PR.")
@click.option("--ref", default="HEAD", show_default=True, help="Branch or commit whose first-parent history is read.")
@click.option("--since", default=None, help="Only merges on or after this date (YYYY-MM-DD).")
@click.option("--until", default=None, help="Only merges on or before this date (YYYY-MM-DD).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Output table (.jsonl, .jsonl.gz, .csv or .parquet).")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
def ingest_git_cmd(path: Path, repo_slug: str, ref: str, since: str | None, until: str | None, output: Path,
                   progress: bool | None) -> None:
    """Read merged PRs from a local clone's first-parent history.

    Squash merges ("Title (#123)") and merge commits ("Merge pull request #123 from ...",
    diffed against the first parent) become PRs; other commits are skipped.

    \b
    Example:
      scorer ingest git ~/src/vllm --repo vllm-project/vllm --ref main --since 2026-01-01 -o prs.jsonl.gz
    """
    from .ingest import ingest_git
    from .records import save_prs

    t0 = time.perf_counter()
    df, stats = ingest_git(path, repo_slug, ref=ref, since=since, until=until, show_progress=progress)
    save_prs(df, output)
    dt = time.perf_counter() - t0
    click.echo(f"wrote {stats.prs:,} PRs to {output} ({stats.squash:,} squash, {stats.merges:,} merge commits; "
               f"{stats.skipped:,} other commits skipped) in {dt:.1f}s, {stats.prs / max(dt, 1e-9):,.0f} PRs/s")
    if stats.unknown_counts:
        click.echo(f"warning: {stats.unknown_counts} PRs have unknown line counts "
                   f"(unreadable blobs; {stats.fallbacks} per-commit fallbacks)", err=True)


@ingest.command("file")
@click.argument("input_path", metavar="IN", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Output table (.jsonl, .jsonl.gz, .csv or .parquet).")
def ingest_file_cmd(input_path: Path, output: Path) -> None:
    """Normalise an existing JSONL/CSV/Parquet export into the canonical PR table.

    \b
    Example:
      scorer ingest file api_export.jsonl -o prs.parquet
    """
    from .ingest import ingest_file
    from .records import save_prs

    df = ingest_file(input_path)
    save_prs(df, output)
    span = f"{df['merged_at'].min():%Y-%m-%d} to {df['merged_at'].max():%Y-%m-%d}"
    click.echo(f"wrote {len(df):,} PRs of {', '.join(sorted(df['repo'].unique()))} ({span}) to {output}")


if __name__ == "__main__":  # pragma: no cover
    main()
