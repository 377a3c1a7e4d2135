"""The `scorer` command line. Each command is thin: parse options, call a stage, print a summary."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import click

from . import __version__
from .errors import ScorerError
from .gcpolicy import gc_paused, skip_final_collection
from .pipeline import (backtest_run, rolling_importance_run, check_date_order, daily_period, evaluate_period, monitor_run,
                       parse_date, predict_period, run_demo, score_org, score_period, train_bundle)

DEFAULT_BENCH = os.environ.get("SCORER_BENCH_DATA", "../shared/data")


def ledger_options(help_ledger: str):
    """--ledger DIR (its help says what the command appends) and --no-ledger, which
    resolve_ledger turns into the directory a run appends to."""
    def wrap(f):
        f = click.option("--no-ledger", is_flag=True, help="Record nothing in the prediction ledger.")(f)
        return click.option("--ledger", default=None, type=click.Path(file_okay=False, path_type=Path),
                            help=help_ledger)(f)
    return wrap


def resolve_ledger(ledger: Path | None, no_ledger: bool, cache_dir: Path | None = None,
                   use_cache: bool = True) -> Path | None:
    from .ledger import resolve_dir  # pandas: imported when a command runs, not for --help

    return resolve_dir(ledger, no_ledger, cache_dir, use_cache)


class ScorerGroup(click.Group):
    """Turns a ScorerError anywhere below into one line on stderr and exit code 2."""

    def invoke(self, ctx: click.Context):
        import warnings

        from .errors import CacheWarning

        shown = warnings.showwarning

        def one_line(message, category, *args, **kwargs):  # a cache warning is one line, like an error
            if issubclass(category, CacheWarning):
                click.echo(f"warning: {message}", err=True)
            else:
                shown(message, category, *args, **kwargs)

        warnings.showwarning = one_line
        try:
            return super().invoke(ctx)
        except ScorerError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except click.exceptions.UsageError as exc:  # one line, like every other error (click would print three)
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
            click.echo(f"error: {exc.format_message()}{hint}", err=True)
            ctx.exit(2)
        except OSError as exc:  # a file that cannot be read or written is the user's to fix
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"error: {where}{exc.strerror or exc.__class__.__name__}", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        finally:
            warnings.showwarning = shown


class FiniteRange(click.FloatRange):
    """A float range that also refuses nan and inf (click's FloatRange lets nan through)."""

    def convert(self, value, param, ctx):
        import math

        v = super().convert(value, param, ctx)
        if not math.isfinite(v):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return v


def _versus_baseline(m: dict, la: dict) -> str:
    """What an AUC beside LApredict's means: a tag that ranks worse than lines added says so."""
    a, b = m.get("roc_auc"), la.get("roc_auc")
    if a is None or b is None or a != a or b != b:
        return ""
    if a < b:
        return f"; loses to LApredict here by {b - a:.3f} AUC: rank by lines added instead of this tag"
    return ""


def _human(n: float) -> str:
    return f"{n:,.0f}" if abs(n) >= 100 else f"{n:,.2f}"


@click.group(cls=ScorerGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="scorer")
def main() -> None:
    """Score a repository's merged pull requests: importance 0-10, calibrated risk tags, weekly reports.

    \b
    Example:
      scorer demo                      # train, score and evaluate on the shipped sample
      scorer ingest git ~/src/vllm --repo vllm-project/vllm -o prs.parquet
    """


@main.group(cls=ScorerGroup)
def ingest() -> None:
    """Build the canonical PR table from a git clone or an export file.

    \b
    Example:
      scorer ingest git ~/src/vllm --repo vllm-project/vllm --since 2026-01-01 -o prs.parquet
      scorer ingest file export.csv -o prs.parquet
    """


@ingest.command("git")
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
@click.option("--repo", "repo_slug", required=True, help="Repository slug OWNER/NAME recorded on every PR.")
@click.option("--ref", default="HEAD", show_default=True, help="Branch or commit whose first-parent history is read.")
@click.option("--since", default=None, help="Only merges on or after this date (YYYY-MM-DD).")
@click.option("--until", default=None, help="Only merges on or before this date (YYYY-MM-DD).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Output table: .parquet is the working format (read back without re-parsing); "
                   ".jsonl, .jsonl.gz or .csv export it.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
def ingest_git_cmd(path: Path, repo_slug: str, ref: str, since: str | None, until: str | None, output: Path,
                   progress: bool | None) -> None:
    """Read merged PRs from a local clone's first-parent history.

    Squash merges ("Title (#123)") and merge commits ("Merge pull request #123 from ...",
    diffed against the first parent) become PRs; other commits are skipped.

    \b
    Example:
      scorer ingest git ~/src/vllm --repo vllm-project/vllm --ref main --since 2026-01-01 -o prs.parquet
    """
    from .ingest import ingest_git
    from .records import save_prs

    parse_date(since, "--since"), parse_date(until, "--until"), check_date_order(since, until)
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
              help="Output table: .parquet is the working format (read back without re-parsing); "
                   ".jsonl, .jsonl.gz or .csv export it.")
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


@ingest.command("merge")
@click.argument("git_table", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("api_table", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Output table: .parquet is the working format (read back without re-parsing); "
                   ".jsonl, .jsonl.gz or .csv export it.")
def ingest_merge_cmd(git_table: Path, api_table: Path, output: Path) -> None:
    """Join a clone's table with an API table of the same repository on PR number: exact diff
    stats from git, labels, reviews, comments and times from the API.

    \b
    Example:
      scorer ingest merge prs_git.parquet prs_api.parquet -o prs.parquet
    """
    from .ingest.files import merge_sources
    from .records import load_prs, save_prs

    df, st = merge_sources(load_prs(git_table), load_prs(api_table))
    save_prs(df, output)
    click.echo(f"wrote {len(df):,} PRs to {output}: {st['matched']:,} with API fields, {st['git_only']:,} from git only, "
               f"{st['api_only']:,} from the API only")


@ingest.command("github")
@click.argument("repo_slug", metavar="OWNER/NAME")
@click.option("--since", required=True, help="First day of the window (YYYY-MM-DD, UTC).")
@click.option("--until", default=None, help="Last day of the window, inclusive (default: today, UTC).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Canonical PR table of the PRs merged in the window (.parquet, the working format; or .jsonl[.gz], .csv).")
@click.option("--activity", "activity_out", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="Activity table: every issue and PR opened, closed or merged in the window.")
@click.option("--api-url", default="https://api.github.com", show_default=True,
              help="REST API root; GitHub Enterprise: https://HOST/api/v3.")
@click.option("--cache", "cache_dir", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="ETag cache directory: a re-run costs 304s, which do not count against the rate limit, and an "
                   "interrupted run resumes from it (default: ~/.cache/scorer/github).")
@click.option("--progress/--no-progress", default=None, help="Progress bars (default: when stderr is a terminal).")
def ingest_github_cmd(repo_slug: str, since: str, until: str | None, output: Path, activity_out: Path | None,
                      api_url: str, cache_dir: Path | None, progress: bool | None) -> None:
    """Read PRs and issues from the GitHub REST API (token from $GITHUB_TOKEN, never a flag).

    Merged PRs of the window go to the canonical table with the API-only fields (labels, body,
    reviews, comments, draft, requested reviewers); --activity adds every issue and PR opened,
    closed, merged or closed unmerged in the window, the input of the daily report.

    \b
    Example:
      GITHUB_TOKEN=... scorer ingest github vllm-project/vllm --since 2026-04-27 --until 2026-05-03 \\
          -o prs_api.parquet --activity activity.jsonl.gz
    """
    from tqdm.auto import tqdm

    from .pipeline import ingest_github_window

    disable = None if progress is None else not progress
    bars: list = []

    def make_bar(phase: str, total: int | None):
        bar = tqdm(total=total, desc=phase, unit="req" if total is None else "PR", leave=False, disable=disable)
        bars.append(bar)
        return bar

    def on_request(stats) -> None:
        if bars and not bars[-1].disable:
            quota = "?" if stats.remaining is None else f"{stats.remaining:,}"
            bars[-1].set_postfix_str(f"{stats.requests:,} requests, {stats.not_modified:,} cached, quota {quota}",
                                     refresh=False)

    t0 = time.perf_counter()
    result, first, last = ingest_github_window(repo_slug, since, until, output, activity_out, api_url=api_url,
                                               cache_dir=cache_dir, progress=make_bar, on_request=on_request)
    st = result.stats
    act = result.activity
    click.echo(f"{repo_slug}, {first:%Y-%m-%d} to {last:%Y-%m-%d}: {len(result.prs):,} merged PRs "
               f"-> {output}" + (f"; {len(act):,} activity rows ({int((act['kind'] == 'issue').sum()):,} issues, "
                                 f"{int((act['kind'] == 'pr').sum()):,} PRs) -> {activity_out}" if activity_out else ""))
    click.echo(f"  {st['requests']:,} requests in {time.perf_counter() - t0:.1f}s: {st['ok']:,} answered 200, "
               f"{st['not_modified']:,} 304 from the cache, {st['retries']} retried, {st['rate_waits']} rate-limit "
               f"waits ({st['waited_s']:.0f}s); quota left {st['remaining'] if st['remaining'] is not None else '?'}")
    if result.truncated_files:
        click.echo(f"  note: GitHub lists at most 3,000 files per PR; {len(result.truncated_files)} PRs have more "
                   f"(line totals exact, per-file list partial): " + ", ".join(f"#{n}" for n in result.truncated_files[:10]))


# ---------------------------------------------------------------- labels

PRS_OPTION = click.option("--prs", "prs_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
                          help="Canonical PR table (.jsonl[.gz], .csv or .parquet).")
OUT_OPTION = click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
                          help="Output labels table (.csv or .parquet).")


def _echo_labels(df, output: Path) -> None:
    from .labels import summarize_labels

    click.echo(f"wrote {output}")
    for line in summarize_labels(df):
        click.echo(f"  {line}")


@main.group(cls=ScorerGroup)
def label() -> None:
    """Make labels tables: outcomes, SZZ pairs, release notes, past reports, rule tags.

    \b
    Example:
      scorer label outcomes --prs prs.parquet --szz-pairs szz_pairs.csv -o labels/outcomes.csv
      scorer label release-notes --prs prs.parquet --notes release_notes.csv -o labels/notes.csv
    """


@label.command("outcomes")
@PRS_OPTION
@click.option("--szz-pairs", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="B-SZZ pairs (fix_pr, inducing_pr, lines_blamed, ...); without it only tag:reverted.")
@click.option("--window-days", default=90, show_default=True, type=click.IntRange(min=1), help="A fix or revert counts within this many days.")
@click.option("--min-lines", default=1, show_default=True, type=click.IntRange(min=1), help="Blamed lines (summed) that make a PR bug-inducing.")
@click.option("--as-of", default=None, help="Label history as known on this date (default: the table's last merge).")
@OUT_OPTION
def label_outcomes_cmd(prs_path: Path, szz_pairs: Path | None, window_days: int, min_lines: int, as_of: str | None,
                       output: Path) -> None:
    """Outcome risk tags: tag:bug-inducing (blamed by a fix within the window) and tag:reverted.

    PRs whose window is still open on --as-of stay unlabeled (empty), not 0.

    \b
    Example:
      scorer label outcomes --prs prs.parquet --szz-pairs szz_pairs.csv --as-of 2026-01-01 -o outcomes.csv
    """
    from .labels import check_pairs_match, load_szz_pairs, outcome_labels, save_labels
    from .records import load_prs

    prs = load_prs(prs_path)
    pairs = None
    if szz_pairs is not None:
        pairs = load_szz_pairs(szz_pairs)
        unknown = check_pairs_match(prs, pairs, str(szz_pairs))
        if unknown:
            click.echo(f"note: {unknown:,} pair rows name PRs outside the table (ignored)", err=True)
    df = outcome_labels(prs, pairs, window_days=window_days, as_of=parse_date(as_of, "--as-of"), min_lines=min_lines)
    save_labels(df, output)
    _echo_labels(df, output)


@label.command("szz")
@click.option("--git", "git_path", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Local clone holding the PRs' merge commits.")
@PRS_OPTION
@click.option("--taxonomy", default=None, help="Taxonomy name or YAML (to skip its test and doc paths).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Pairs CSV.")
def label_szz_cmd(git_path: Path, prs_path: Path, taxonomy: str | None, output: Path) -> None:
    """B-SZZ: blame each bug-fix PR's deleted/changed source lines at its parent (whitespace ignored).

    \b
    Example:
      scorer label szz --git ~/src/vllm --prs prs.parquet -o szz_pairs.csv
    """
    from .fileio import atomic_path
    from .records import check_single_repo, load_prs
    from .szz import szz_pairs
    from .taxonomy import load_taxonomy

    prs = load_prs(prs_path)
    tax = load_taxonomy(taxonomy, repo=check_single_repo(prs, str(prs_path)))
    pairs = szz_pairs(git_path, prs, tax)
    with atomic_path(output) as tmp:
        pairs.to_csv(tmp, index=False)
    click.echo(f"wrote {len(pairs):,} pairs from {pairs['fix_pr'].nunique():,} fix PRs blaming "
               f"{pairs['inducing_pr'].nunique():,} PRs to {output}")


@label.command("release-notes")
@PRS_OPTION
@click.option("--notes", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Curated notes CSV (release, release_date, section, highlight, pr_number, partial) or a Markdown changelog.")
@click.option("--highlight", "s_highlight", default=9.0, show_default=True, help="Importance of a Highlights PR.")
@click.option("--named", "s_named", default=6.0, show_default=True, help="Importance of a PR named elsewhere.")
@click.option("--unnamed", "s_unnamed", default=3.0, show_default=True,
              help="Importance of a PR merged in a covered window but not named.")
@OUT_OPTION
def label_release_notes_cmd(prs_path: Path, notes: Path, s_highlight: float, s_named: float, s_unnamed: float,
                            output: Path) -> None:
    """Importance from release-note curation: Highlights 9, named 6, merged in a covered window and unnamed 3.

    \b
    Example:
      scorer label release-notes --prs prs.parquet --notes release_notes.csv -o notes_labels.csv
    """
    from .labels import load_release_notes, release_note_labels, release_windows, save_labels
    from .records import check_single_repo, load_prs

    prs = load_prs(prs_path)
    table = load_release_notes(notes, repo=check_single_repo(prs, str(prs_path)))
    if not table["pr_number"].isin(set(prs["number"])).any():
        raise ScorerError("none of the PR numbers the notes name is in the PR table", path=str(notes))
    wins = release_windows(table, prs)
    cov = wins[wins["covered"]]
    if cov.empty:
        raise ScorerError("no release window is covered (no two closing releases at most 35 days apart, with dates, "
                          "naming PRs of this table), so no PR could be judged 'not named': the labels would be "
                          "positives only", path=str(notes))
    df = release_note_labels(prs, table, {"highlight": s_highlight, "named": s_named, "unnamed": s_unnamed})
    save_labels(df, output)
    click.echo(f"{table['release'].nunique()} releases; {len(wins)} close a window, {len(cov)} windows covered "
               f"({cov['start'].min():%Y-%m-%d} to {cov['date'].max():%Y-%m-%d})")
    _echo_labels(df, output)


@label.command("report")
@click.argument("reports", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--repo", default=None, help="Repository OWNER/NAME for reports that do not name it.")
@OUT_OPTION
def label_report_cmd(reports: tuple[Path, ...], repo: str | None, output: Path) -> None:
    """Import past weekly reports (zh or en): the top-PR table gives importance, other PRs named are `mentioned`.

    Reads Markdown reports and the plain text copied from a report web page (headings without
    '#', the repository on a line of its own, the top-PR table as tab-separated lines). PRs a
    report does not name stay unlabeled.

    \b
    Example:
      scorer label report reports/old/*.md -o report_labels.csv
      scorer label report copied_w18.txt --repo vllm-project/vllm -o report_labels.csv
    """
    from .labels import report_labels, save_labels

    if repo is not None and not re.fullmatch(r"[\w.-]+/[\w.-]+", repo):
        raise ScorerError(f"--repo must be OWNER/NAME, got {repo!r}")
    df = report_labels(reports, repo)
    save_labels(df, output)
    _echo_labels(df, output)


@label.command("rules")
@PRS_OPTION
@click.option("--taxonomy", default=None, help="Taxonomy name (vllm, vllm-ascend, default) or YAML path; "
                                               "default: the one matching the repository.")
@OUT_OPTION
def label_rules_cmd(prs_path: Path, taxonomy: str | None, output: Path) -> None:
    """Descriptive tags from the diff and a taxonomy: core-path, missing-tests, dependency, platform, interface.

    \b
    Example:
      scorer label rules --prs prs.parquet --taxonomy vllm -o rules.csv
    """
    from .labels import rule_labels, save_labels
    from .records import check_single_repo, load_prs
    from .taxonomy import load_taxonomy

    prs = load_prs(prs_path)
    tax = load_taxonomy(taxonomy, repo=check_single_repo(prs, str(prs_path)))
    df = rule_labels(prs, tax)
    save_labels(df, output)
    _echo_labels(df, output)


@label.command("merge")
@click.argument("tables", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--on-conflict", type=click.Choice(["error", "first", "max"]), default="error", show_default=True,
              help="How to resolve two tables disagreeing on a cell: fail, keep the first, or take the larger value.")
@OUT_OPTION
def label_merge_cmd(tables: tuple[Path, ...], on_conflict: str, output: Path) -> None:
    """Merge labels tables on (repo, number); differing values are a conflict.

    \b
    Example:
      scorer label merge outcomes.csv notes.csv -o labels.csv
    """
    from .labels import load_labels, merge_labels, save_labels

    df = merge_labels([load_labels(t) for t in tables], on_conflict=on_conflict)
    save_labels(df, output)
    _echo_labels(df, output)


# ---------------------------------------------------------------- train / predict

def _progress(total: int, desc: str, quiet: bool = False):
    """A progress bar on a terminal only (never in logs), and none at all when `quiet`."""
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="step", leave=False, disable=True if quiet else None)


@main.command("train")
@click.option("--prs", "prs_paths", required=True, multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Canonical PR table (.jsonl[.gz], .csv or .parquet); repeat it to train one bundle on several "
                   "repositories (each featurized on its own history, with its own taxonomy).")
@click.option("--labels", "label_paths", required=True, multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Labels table(s); repeat the option or list several after it.")
@click.argument("more_labels", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--taxonomy", default=None, help="Taxonomy name or YAML (default: the one matching the repository).")
@click.option("--since", default=None, help="Train on PRs merged on or after this date.")
@click.option("--until", default=None, help="Train on PRs merged up to this date (inclusive).")
@click.option("--seed", default=0, show_default=True, help="Random seed of every model (same data and seed, same bundle).")
@click.option("--on-conflict", type=click.Choice(["error", "first", "max"]), default="error", show_default=True,
              help="How to resolve two label files disagreeing on a cell.")
@click.option("--features", "feature_set", type=click.Choice(["full", "generic"]), default="full", show_default=True,
              help="'generic' trains an importance-only bundle on repository-agnostic features, usable on any "
                   "repository (the shipped models/generic-importance).")
@click.option("--importance-model", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Generic bundle whose importance is used when the labels hold none "
                   "(default: models/generic-importance, or $SCORER_GENERIC_MODEL).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Featurize the repositories in this process, or in parallel on Dask (the dask extra); "
                   "the fit itself runs here either way, so the bundle is the same.")
@click.option("--scheduler", default=None, help="Dask scheduler address (default with --engine dask: a local "
                                               "cluster of 2 worker processes started for the run).")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Bundle directory, e.g. models/vllm.")
@click.option("--threads", default=1, show_default=True, type=click.IntRange(1, 256),
              help="LightGBM's threads. 1 measured fastest on 2 cores, quiet or busy (the trees are small: "
                   "waking threads costs more than they save); the trees are the same for any count (only "
                   "the tree files' [num_threads] line records it).")
def train_cmd(prs_paths: tuple[Path, ...], label_paths: tuple[Path, ...], more_labels: tuple[Path, ...], taxonomy: str | None,
              since: str | None, until: str | None, seed: int, on_conflict: str, feature_set: str,
              importance_model: Path | None, engine: str, scheduler: str | None, output: Path, threads: int) -> None:
    """Train importance and calibrated risk-tag models and write a verified bundle.

    With outcome labels only (no release notes or past reports), importance comes from the
    generic importance bundle, and the output and the model card say so.

    \b
    Example:
      scorer train --prs prs.parquet --labels outcomes.csv notes.csv --until 2025-12-31 -o models/vllm
      scorer train --prs vllm.parquet --labels notes.csv --features generic -o models/generic-importance
      scorer train --prs vllm.parquet --prs vllm-ascend.parquet --labels vllm-labels.csv ascend-labels.csv -o models/org
    """
    check_date_order(since, until)
    t0 = time.perf_counter()
    model, card = train_bundle(list(prs_paths), [*label_paths, *more_labels], output, taxonomy, until, since, seed, on_conflict,
                               progress=_progress, feature_set=feature_set, importance_model=importance_model,
                               engine=engine, scheduler=scheduler, threads=threads)
    click.echo(f"wrote bundle {output} in {time.perf_counter() - t0:.1f}s "
               f"({card['rows']['labeled']:,} PRs with at least one label, {card['training_window']['from'][:10]} to "
               f"{card['training_window']['to'][:10]})")
    v = card["validation"]
    if "importance" in v:
        i = v["importance"]
        click.echo(f"  importance ({i['rows']:,} labeled PRs): Spearman {i['spearman']:.3f}, MAE {i['mae']:.2f}, weekly NDCG@24 "
                   f"{i['ndcg@24_weekly_mean']:.3f} (latest {i['calibration_rows']:,} rows held back)")
    elif card["importance"] and card["importance"]["source"] == "generic":
        click.echo(f"  importance: no importance labels; using the generic importance bundle "
                   f"{card['importance']['generic_bundle']} (trained on "
                   f"{', '.join(card['importance']['generic_trained_on'] or ['?'])})")
    h = card.get("highlight")
    if h:
        click.echo(f"  highlight threshold {h['threshold']:.2f}: {h['share_target']:.0%} of the latest "
                   f"{h['rows']:,} PRs; per week {h['weekly_share_min']:.0%}-{h['weekly_share_max']:.0%} "
                   f"(median {h['weekly_share_median']:.0%}, {h['weeks']} weeks)")
    for tag, m in v.get("tags", {}).items():
        thr = "none (probability only)" if m["threshold"] is None else f"{m['threshold']:.2f}"
        click.echo(f"  p:{tag} ({m['rows']:,} labeled PRs, {m['positives']:,} positive): AUC {m['roc_auc']:.3f}, "
                   f"ECE {m['ece']:.3f} (in-sample), threshold {thr} "
                   f"({m['calibration']}, {m['calibration_rows']:,} calibration rows; "
                   f"{m['boosting_rounds']} boosting rounds on the logistic baseline)")
    for tag, why in v.get("skipped_tags", {}).items():
        click.echo(f"  tag:{tag} not modeled ({why})")


@main.command("predict")
@PRS_OPTION
@click.option("--model", "model_path", required=True, type=click.Path(path_type=Path), help="Bundle directory.")
@click.option("--since", default=None, help="Only PRs merged on or after this date.")
@click.option("--until", default=None, help="Only PRs merged up to this date (inclusive).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="scores.csv")
def predict_cmd(prs_path: Path, model_path: Path, since: str | None, until: str | None, output: Path) -> None:
    """Score PRs with a bundle: importance, p:<tag> per modeled tag, and decided tags (rules included).

    \b
    Example:
      scorer predict --prs prs.parquet --model models/vllm --since 2026-01-01 -o scores.csv
    """
    from .score import write_scores_csv

    scores = predict_period(prs_path, model_path, since, until)
    write_scores_csv(scores, output)
    click.echo(f"wrote {len(scores):,} scored PRs to {output}; mean importance {scores['importance'].mean():.2f}")


# ---------------------------------------------------------------- score (the weekly report)

def _report_formats(formats: str) -> tuple[str, ...]:
    """--format of `score` and `report daily`: a comma-separated subset of md, html, json."""
    fmts = tuple(x.strip() for x in formats.split(",") if x.strip())
    if not fmts or any(x not in ("md", "html", "json") for x in fmts):
        raise ScorerError(f"--format takes md, html, json; got {formats!r}")
    return fmts


@main.command("score")
@click.option("--prs", "prs_paths", required=True, multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Canonical PR table (.jsonl[.gz], .csv or .parquet); repeat it for several repositories.")
@click.option("--model", "model_paths", required=True, multiple=True, type=click.Path(path_type=Path),
              help="Bundle directory; repeat it to give each repository its own (a generic bundle scores the rest).")
@click.option("--org", default=None, help="Write one organisation report over every repository of the tables "
                                          "(a section each, shared topics, one top table) under <output>/<org>/.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Score the repositories in this process, or in parallel on Dask (the dask extra).")
@click.option("--scheduler", default=None, help="Dask scheduler address (default with --engine dask: a local "
                                               "cluster of 2 worker processes started for the run).")
@click.option("--week", default=None, help="ISO week, e.g. 2026-W18 (Monday to Sunday in --tz).")
@click.option("--since", default=None, help="First day of a custom period (with --until).")
@click.option("--until", default=None, help="Last day of a custom period (inclusive).")
@click.option("--tz", default="Asia/Shanghai", show_default=True, help="Time zone of the week and the timestamps.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Report language: Chinese (zh) or English (en).")
@click.option("--top-k", type=click.IntRange(min=1), default=None, help="Highlight the top k PRs instead of those above --highlight-at.")
@click.option("--highlight-at", type=FiniteRange(0, 10), default=None,
              help="Importance at or above which a PR is highlighted (default: the bundle's, set at training so "
                   "that ~7% of PRs are highlighted, the Highlights share of release notes).")
@click.option("--format", "formats", default="md,html,json", show_default=True, help="Comma-separated: md, html, json.")
@click.option("--reasons", "reasons_for", type=click.Choice(["shown", "all"]), default="shown", show_default=True,
              help="Explain (per-feature contributions in words) only the PRs the report's top table shows, "
                   "or every PR of scores.csv (slower).")
@click.option("--cache-dir", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="Where the tables' Parquet working copies and the history snapshots are kept, so a week costs "
                   "the week, not the history (default: $SCORER_CACHE_DIR, else ~/.cache/scorer).")
@click.option("--no-cache", is_flag=True, help="Keep nothing on disk: read and walk the whole table on every run.")
@ledger_options("Append the week's predictions to this prediction ledger, which `scorer monitor` checks against "
                "outcomes later (default: <cache dir>/ledger; none with --no-cache).")
@click.option("--outcomes", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="Outcome labels as known now (scorer label outcomes): the report then says how the PRs the model "
                   "decided likely bug-inducing 14 weeks earlier turned out, from the ledger.")
@click.option("-o", "--output", default=Path("reports"), show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Reports root; the report goes to <output>/<repo-name>/<period>/.")
def score_cmd(prs_paths: tuple[Path, ...], model_paths: tuple[Path, ...], org: str | None, engine: str,
              scheduler: str | None, week: str | None, since: str | None, until: str | None, tz: str,
              lang: str, top_k: int | None, highlight_at: float | None, formats: str, reasons_for: str,
              cache_dir: Path | None, no_cache: bool, ledger: Path | None, no_ledger: bool, outcomes: Path | None,
              output: Path) -> None:
    """Score every PR merged in a week (or period), rank them and write the report.

    Writes <output>/<repo-name>/<period>/: scores.csv, report.md, report.html, report.json. With
    --org, one organisation report over several repositories goes to <output>/<org>/<period>/,
    with each repository's own report beside it; each repository is featurized on its own history
    and scored by the bundle trained on it (else by a generic bundle).

    \b
    Examples:
      scorer score --prs prs.parquet --model models/vllm --week 2026-W18 --lang en --top-k 24 -o reports/
      scorer score --prs vllm.parquet --prs vllm-ascend.parquet --model models/vllm \\
                   --model models/generic-importance --org vllm-project --week 2026-W18 --engine dask
    """
    fmts = _report_formats(formats)
    if week and (since or until):
        raise ScorerError("give either --week or --since/--until, not both")
    check_date_order(since, until)
    ledger = resolve_ledger(ledger, no_ledger, cache_dir, use_cache=not no_cache)
    if outcomes is not None and org is not None:
        raise ScorerError("--outcomes adds a repository's track record: give it without --org")
    recorded: list[int] = []
    with gc_paused():  # a week is bounded work (see scorer.gcpolicy), imports included
        t0 = time.perf_counter()
        if org is None and (len(prs_paths) > 1 or len(model_paths) > 1):
            raise ScorerError("several tables or bundles make an organisation report: give --org NAME")
        if org is not None:
            ctx, scores, written = score_org(list(prs_paths), list(model_paths), output, org=org, week=week,
                                             since=since, until=until, tz=tz, lang=lang, top_k=top_k,
                                             highlight_at=highlight_at, formats=fmts, reasons_for=reasons_for,
                                             engine=engine, scheduler=scheduler, cache_dir=cache_dir,
                                             use_cache=not no_cache, ledger=ledger, on_recorded=recorded.append)
            click.echo(f"scored {len(scores):,} PRs of {ctx['header']['period']} in {len(ctx['repos'])} "
                       f"repositories in {time.perf_counter() - t0:.1f}s ({engine} engine); "
                       f"{ctx['header']['n_highlight']} highlighted; "
                       f"{len(ctx['shared'])} topics shared across repositories")
            for p in ctx["top"][:5]:
                click.echo(f"  {p['display_name']} #{p['number']}  {p['importance']:.1f}  {p['summary'][:70]}")
        else:
            if engine != "local":
                raise ScorerError("--engine dask spreads an organisation's repositories; one repository runs locally")
            ctx, scores, written = score_period(prs_paths[0], model_paths[0], output, week=week, since=since,
                                                until=until, tz=tz, lang=lang, top_k=top_k, highlight_at=highlight_at,
                                                formats=fmts, reasons_for=reasons_for, cache_dir=cache_dir,
                                                use_cache=not no_cache, ledger=ledger,
                                                on_recorded=recorded.append, outcomes=outcomes)
            click.echo(f"scored {len(scores):,} PRs of {ctx['header']['period']} in {time.perf_counter() - t0:.1f}s; "
                       f"{ctx['header']['n_highlight']} highlighted")
            for _, r in scores.head(5).iterrows():
                click.echo(f"  #{int(r['number'])}  {r['importance']:.1f}  {r['title'][:80]}")
        for p in written:
            click.echo(f"wrote {p}")
        if ledger is not None and recorded:
            click.echo(f"ledger {ledger}: {recorded[0]:,} new predictions"
                       + ("" if recorded[0] else " (this week and bundle were recorded before)"))


@main.group(cls=ScorerGroup)
def report() -> None:
    """Reports other than the weekly one (which `scorer score` writes).

    \b
    Example:
      scorer report daily --activity activity.jsonl.gz --prs prs.parquet --model models/vllm --date 2026-05-01
    """


@report.command("daily")
@click.option("--activity", "activity_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Activity table from `scorer ingest github --activity` (issues and PRs, any state).")
@PRS_OPTION
@click.option("--model", "model_path", required=True, type=click.Path(path_type=Path), help="Bundle directory.")
@click.option("--date", "day", default=None, help="One day (YYYY-MM-DD in --tz); or give --since and --until.")
@click.option("--since", default=None, help="First day of a longer window (with --until).")
@click.option("--until", default=None, help="Last day of the window (inclusive).")
@click.option("--tz", default="Asia/Shanghai", show_default=True, help="Time zone of the window and the times shown.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Report language: Chinese (zh) or English (en).")
@click.option("--format", "formats", default="md,html,json", show_default=True, help="Comma-separated: md, html, json.")
@click.option("-o", "--output", default=Path("reports"), show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Reports root; the report goes to <output>/<repo-name>/daily/<window>/.")
def report_daily_cmd(activity_path: Path, prs_path: Path, model_path: Path, day: str | None, since: str | None,
                     until: str | None, tz: str, lang: str, formats: str, output: Path) -> None:
    """The daily (any-window) activity report: new, closed and merged issues and PRs, the most
    discussed items, notable merges by importance, watch items, and an appendix of every item.

    \b
    Example:
      scorer report daily --activity activity.jsonl.gz --prs prs.parquet --model models/vllm --date 2026-05-01 --lang en
    """
    fmts = _report_formats(formats)
    if day and (since or until):
        raise ScorerError("give --date, or --since and --until, not both")
    if not day and not (since and until):
        raise ScorerError("give --date, or both --since and --until")
    ctx, written = daily_period(activity_path, prs_path, model_path, output, since=day or since, until=day or until,
                                tz=tz, lang=lang, formats=fmts)
    c = ctx["counts"]
    click.echo(f"{ctx['header']['repo']} {ctx['header']['period']}: {c['new_issues']} new / {c['closed_issues']} closed "
               f"issues, {c['new_prs']} new / {c['merged_prs']} merged / {c['closed_unmerged']} closed-unmerged PRs")
    for p in written:
        click.echo(f"wrote {p}")


# ---------------------------------------------------------------- evaluate / backtest

@main.command("check-report")
@click.argument("report_dirs", nargs=-1, required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--prs", "prs_paths", required=True, multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The PR table the reports were scored from; repeat it for an organisation report's repositories.")
@click.option("--model", "model_paths", required=True, multiple=True, type=click.Path(path_type=Path),
              help="The bundle that scored them (its taxonomy and tag thresholds); repeat it per repository.")
@click.option("--activity", "activity_paths", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The activity table a daily report was written from (scorer ingest github --activity).")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Cache directory of the working table (default $SCORER_CACHE_DIR or ~/.cache/scorer).")
@click.option("--ledger", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="The prediction ledger a report's track record was read from (scorer score --outcomes).")
@click.option("--outcomes", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="The outcome labels a report's track record was read from.")
def check_report_cmd(report_dirs: tuple[Path, ...], prs_paths: tuple[Path, ...], model_paths: tuple[Path, ...],
                     activity_paths: tuple[Path, ...], cache_dir: Path | None, ledger: Path | None,
                     outcomes: Path | None) -> None:
    """Check every claim of weekly, daily and organisation reports against the data they came from.

    Each REPORT_DIR is a report directory (report.json and scores.csv) or a directory holding
    several (searched for report.json). A list of fixes must hold only fixes, a count must
    recount, "the highest" must name every PR tied at the top, a quoted gain must be stated by
    the PR with its unit and direction, a story must be named by a real topic, an item's state is
    its state at the window's end, and no internal key may reach prose. Prints one line per false
    claim and exits 1 if any, else 0.

    \b
    Examples:
      scorer check-report reports/vllm/2026-W18/zh --prs prs.parquet --model models/vllm
      scorer check-report reports/engine/daily --prs prs.jsonl.gz --activity activity.jsonl.gz --model models/demo
      scorer check-report reports/vllm-project/2026-W18 --prs vllm.parquet --prs ascend.parquet \\
          --model models/vllm --model models/vllm-ascend
    """
    from collections import Counter

    from .pipeline import check_reports

    results = check_reports(list(report_dirs), list(prs_paths), list(model_paths), list(activity_paths),
                            cache_dir=cache_dir, ledger=ledger, outcomes=outcomes)
    checked, n_false, failed = Counter(), 0, 0
    for d, res in results:
        checked.update(res.checked)
        n_false += len(res.false)
        failed += bool(res.false)
        for line in res.false:
            click.echo(f"{d}: {line}")
    kinds = ", ".join(f"{k} {v:,}" for k, v in sorted(checked.items()))
    click.echo(f"{len(results):,} report(s), {sum(checked.values()):,} claims checked ({kinds}): "
               f"{n_false:,} false in {failed:,} report(s)")
    if n_false:
        raise SystemExit(1)


@main.command("evaluate")
@PRS_OPTION
@click.option("--labels", "label_paths", required=True, multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Labels table(s) covering the period.")
@click.argument("more_labels", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--model", "model_path", required=True, type=click.Path(path_type=Path), help="Bundle directory.")
@click.option("--since", required=True, help="First day of the evaluated period.")
@click.option("--until", default=None, help="Last day of the evaluated period (inclusive).")
@click.option("--highlight-k", default=24, show_default=True, type=click.IntRange(min=1),
              help="k of the weekly top table: graded NDCG@k and Highlights recall@k.")
@click.option("--highlight-at", default=8.0, show_default=True, type=FiniteRange(0, 10), help="Labels at or above this are highlights.")
@click.option("--tz", default="Asia/Shanghai", show_default=True, help="Time zone of the weeks (as in `scorer score`).")
@click.option("--bins", "n_bins", default=10, show_default=True, type=click.IntRange(2, 1000), help="Equal-mass bins for ECE and reliability.")
@click.option("--allow-overlap", is_flag=True, help="Evaluate a period overlapping the training window (flagged).")
@click.option("--on-conflict", type=click.Choice(["error", "first", "max"]), default="error", show_default=True,
              help="How to resolve two label files disagreeing on a cell.")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output directory, e.g. reports/eval/vllm.")
def evaluate_cmd(prs_path: Path, label_paths: tuple[Path, ...], more_labels: tuple[Path, ...], model_path: Path,
                 since: str, until: str | None, highlight_k: int, highlight_at: float, tz: str, n_bins: int,
                 allow_overlap: bool, on_conflict: str, output: Path) -> None:
    """Measure a bundle on a labeled period it never saw, next to baselines (base rate, size-only, LApredict).

    Writes evaluation.md, evaluation.html, metrics.json and PNG plots (reliability diagrams,
    probability histograms, importance calibration).

    \b
    Example:
      scorer evaluate --prs prs.parquet --labels outcomes.csv notes.csv --model models/vllm \\
          --since 2026-01-01 --until 2026-03-15 -o reports/eval/vllm
    """
    res = evaluate_period(prs_path, [*label_paths, *more_labels], model_path, output, since=since, until=until,
                          highlight_k=highlight_k, highlight_at=highlight_at, tz=tz, n_bins=n_bins,
                          allow_overlap=allow_overlap, on_conflict=on_conflict)
    click.echo(f"wrote {output}/evaluation.md, evaluation.html, metrics.json ({res['rows']:,} PRs, {res['period']})")
    for tag, t in res["tags"].items():
        m, la = t["metrics"]["model"], t["metrics"]["LApredict"]
        click.echo(f"  p:{tag}: AUC {m['roc_auc']:.3f} (LApredict {la['roc_auc']:.3f}), AP {m['average_precision']:.3f}, "
                   f"Brier {m['brier']:.4f}, ECE {m['ece']:.3f}, {m['positives']:,} positives of {m['rows']:,}"
                   f"{_versus_baseline(m, la)}")
        if "decided" in t:
            d = t["decided"]
            click.echo(f"    decided at p >= {d['threshold']:.2f}: {d['decided']:,} of {d['rows']:,} ({d['share']:.1%}; "
                       f"per week median {d['week_share_median']:.1%}, max {d['week_share_max']:.1%}), precision "
                       f"{d['precision']:.1%} against a base rate of {d['base_rate']:.1%} ({d['lift']:.1f}x)")
    if "importance" in res:
        imp, k = res["importance"], highlight_k
        m, s, la = (imp["metrics"][n] for n in ("model", "size-only", "LApredict"))
        click.echo(f"  importance: Spearman {m['spearman']:.3f} (size-only {s['spearman']:.3f}), AUC named "
                   f"{m.get('auc_named', float('nan')):.3f} (size-only {s.get('auc_named', float('nan')):.3f})")
        click.echo(f"  weekly top-{k} over {imp['weeks']} weeks ({tz}), {imp['highlights']} Highlights: recall@{k} "
                   f"{m[f'recall@{k}']:.3f} (size-only {s[f'recall@{k}']:.3f}, LApredict {la[f'recall@{k}']:.3f}); "
                   f"graded NDCG@{k} {m[f'ndcg@{k}']:.3f} (size-only {s[f'ndcg@{k}']:.3f}, LApredict {la[f'ndcg@{k}']:.3f})")
        if "highlighted_share" in imp:
            h = imp["highlighted_share"]
            click.echo(f"  highlighted at >= {h['threshold']}: median {h['median']:.1%} of a week's PRs "
                       f"(range {h['min']:.1%}-{h['max']:.1%})")
    for w in res["warnings"]:
        click.echo(f"  warning: {w}")
    if res["overlap"]:
        click.echo("  warning: the period overlaps the training window (--allow-overlap)")


@main.command("monitor")
@click.option("--ledger", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="The prediction ledger `scorer score` appends to (default: <cache dir>/ledger).")
@click.option("--labels", "label_paths", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Outcome labels as known now (scorer label outcomes --as-of today); repeatable.")
@click.option("--prs", "prs_path", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="PR table: with --szz-pairs, the outcomes are computed here as of --as-of, with each fix's date.")
@click.option("--szz-pairs", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="SZZ pairs (fix PR, blamed PR, dates): dates the fixes, for the fixes-so-far check.")
@click.option("--as-of", default=None, help="The day the outcomes are known on (default: today, UTC).")
@click.option("--notes", "notes_paths", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Importance labels from release notes published since (scorer label release-notes): the weekly "
                   "top 24 the ledger recorded against their Highlights; repeatable.")
@click.option("--tz", default="Asia/Shanghai", show_default=True, help="Time zone of the weeks (as in `scorer score`).")
@click.option("--repo", default=None, help="Repository to report, when the ledger holds several (owner/name).")
@click.option("--model", "model_paths", multiple=True, type=click.Path(path_type=Path),
              help="Bundle(s) of the ledger, whose cards state the decided set's promised precision; repeatable.")
@click.option("--window-days", default=90, show_default=True, type=click.IntRange(7, 365),
              help="Outcome window: a prediction's outcome is known this many days after the merge.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Report language.")
@click.option("--format", "formats", default="md,html,json", show_default=True, help="Comma-separated: md, html, json.")
@click.option("--cache-dir", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="scorer's cache directory, whose ledger/ is read when --ledger is not given.")
@click.option("-o", "--output", default=Path("reports/monitor"), show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Output directory.")
def monitor_cmd(ledger: Path | None, label_paths: tuple[Path, ...], prs_path: Path | None, szz_pairs: Path | None,
                as_of: str | None, notes_paths: tuple[Path, ...], tz: str, repo: str | None,
                model_paths: tuple[Path, ...], window_days: int, lang: str, formats: str, cache_dir: Path | None,
                output: Path) -> None:
    """Check the scores scorer gave against what happened since: calibration and precision over time.

    Reads the prediction ledger and the outcomes known now. For each tag, bundle and month:
    realized ECE (beside its noise floor), Brier, AUC and the decided set's precision once the
    outcome window has closed; while it is open, the decided set's expected precision with its
    interval and, with --szz-pairs, the fixes seen so far against the number expected by now;
    with --notes, the recorded weekly top 24 against release-note Highlights. Says when the
    scores have drifted and how to retrain. Writes monitor.md, monitor.html
    (reliability per quarter, precision over time) and monitor.json.

    \b
    Examples:
      scorer monitor --prs prs.parquet --szz-pairs szz_pairs.csv --model models/vllm -o reports/monitor
      scorer monitor --ledger ledger/ --labels outcomes.csv --as-of 2026-06-01 --lang en
    """
    fmts = _report_formats(formats)
    if ledger is None:
        ledger = resolve_ledger(None, False, cache_dir)
    run = monitor_run(ledger, output, label_paths=list(label_paths), prs_path=prs_path, szz_pairs=szz_pairs,
                      as_of=as_of, repo=repo, model_paths=list(model_paths), window_days=window_days, lang=lang,
                      formats=fmts, notes_paths=list(notes_paths), tz=tz)
    r = run.result
    click.echo(f"{run.repo}: {run.rows:,} predictions in the ledger, outcomes as of {r['as_of']}")
    for tag, t in r["tags"].items():
        for h, b in t["bundles"].items():
            if "realized" in b:
                m = b["realized"]
                prec = f", decided precision {m['precision']:.1%}" if m.get("decided") else ""
                click.echo(f"  p:{tag} ({b['name']} {h[:8]}): {m['rows']:,} closed, {m['positives']:,} positives "
                           f"(expected {m['expected_positives']:.1f}), ECE {m['ece']:.3f} (floor {m['ece_floor']:.3f}), "
                           f"AUC {m['roc_auc']:.3f}{prec}")
            if "estimate" in b:
                e = b["estimate"]
                prec = (f", decided {e['decided']:,}: estimated precision {e['precision_estimate']:.1%} "
                        f"[{e['precision_lo']:.1%}, {e['precision_hi']:.1%}]") if e.get("decided") else ""
                click.echo(f"  p:{tag} ({b['name']} {h[:8]}): {e['rows']:,} still open{prec}")
    if r.get("importance"):
        i = r["importance"]
        click.echo(f"  importance: {i['hits']:,} of {i['highlights']:,} release-note Highlights in their week's top "
                   f"{i['k']} over {i['weeks']} weeks (recall {i['recall']:.2f})")
    click.echo(f"  drift: {len(r['alerts'])} alert(s)" + ("" if not r["alerts"] else
                                                          "; " + "; ".join(f"{a['kind']} {a['tag']}" for a in r["alerts"])))
    for p in run.written:
        click.echo(f"wrote {p}")


@main.command("backtest")
@PRS_OPTION
@click.option("--labels", "label_paths", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Labels table(s) as known today; each origin uses only what was known then.")
@click.argument("more_labels", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--start", required=True, help="First origin (date).")
@click.option("--end", required=True, help="Last day scored (date).")
@click.option("--retrain-every", "--every", "retrain_every", default="4w", show_default=True,
              help="Span between origins (e.g. 4w, 6w, 28d), or `month`: retrain on each month's first day and "
                   "score that month.")
@click.option("--window", default="52w", show_default=True,
              help="Training window before each origin, or 'all' (--importance always trains on all).")
@click.option("--horizon", default="90d", show_default=True,
              help="A tag label is used for training only once this long has passed since the PR merged.")
@click.option("--importance-horizon", default="35d", show_default=True,
              help="The same for importance labels without --notes (release notes follow the merge).")
@click.option("--importance", is_flag=True,
              help="The rolling importance benchmark: Highlights recall@10/@24 and NDCG@24 of the weekly top "
                   "table for the model, size and LApredict, per origin and pooled, with a sign test.")
@click.option("--notes", "notes_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Release notes (curated CSV or changelog Markdown): with --importance, each origin's labels "
                   "come from the releases dated before it.")
@click.option("--span", default=None, help="With --importance: weeks tested after each origin (default: --every).")
@click.option("--shifted/--no-shifted", default=True, show_default=True,
              help="With --importance: add a second grid half a step later.")
@click.option("--tz", default="Asia/Shanghai", show_default=True,
              help="With --importance: time zone of the weeks and of the origins' midnight.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="With --importance: where each origin's result is kept (default $SCORER_CACHE_DIR or ~/.cache/scorer).")
@click.option("--no-cache", is_flag=True, help="With --importance: retrain every origin and keep nothing.")
@click.option("--importance-from", "source_prs", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="With --importance: train each origin's model on this other repository's PR table (generic "
                   "features), as the generic bundle serves a repository without notes of its own.")
@click.option("--importance-notes", "source_notes", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="With --importance-from: that repository's release notes (labels from releases before each origin).")
@click.option("--taxonomy", default=None, help="Taxonomy name or YAML (default: the one matching the repository).")
@click.option("--seed", default=0, show_default=True, help="Random seed of every model (same data and seed, same bundle).")
@click.option("--on-conflict", type=click.Choice(["error", "first", "max"]), default="error", show_default=True,
              help="How to resolve two label files disagreeing on a cell.")
@click.option("--ledger", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="Without --importance: append every span's predictions to this prediction ledger, each as made "
                   "at its origin by that origin's model (then `scorer monitor` reads the track record).")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output directory: backtest.csv/.md/.png, or with --importance rolling.csv/.md/.png/.json.")
def backtest_cmd(prs_path: Path, label_paths: tuple[Path, ...], more_labels: tuple[Path, ...], start: str, end: str,
                 retrain_every: str, window: str, horizon: str, importance_horizon: str, importance: bool,
                 notes_path: Path | None, span: str | None, shifted: bool, tz: str, cache_dir: Path | None,
                 no_cache: bool, source_prs: Path | None, source_notes: Path | None, taxonomy: str | None, seed: int,
                 on_conflict: str, ledger: Path | None, output: Path) -> None:
    """Rolling-origin backtest: retrain at each origin on what was known then, score the span after it.

    Without --importance: tag metrics (AUC, ECE and its floor, LApredict) and importance agreement
    per origin. With --importance: the weekly top table against release-note Highlights, next to
    size and LApredict, on a grid of origins and a shifted one (see README "What the scores mean").

    \b
    Examples:
      scorer backtest --prs prs.parquet --labels outcomes.csv notes.csv --start 2025-01-01 --end 2025-12-31 \\
          --retrain-every 4w --window 52w --ledger ledger/ -o reports/backtest/vllm
      scorer backtest --importance --prs vllm/prs.jsonl.gz --labels outcomes.csv --notes vllm/release_notes.csv \\
          --start 2025-07-07 --end 2026-05-17 --every 6w --span 6w -o reports/rolling/vllm
      scorer backtest --importance --prs ascend/prs.jsonl.gz --notes ascend/release_notes.md \\
          --importance-from vllm/prs.jsonl.gz --importance-notes vllm/release_notes.csv \\
          --start 2025-06-02 --end 2026-08-22 --every 6w -o reports/rolling/ascend-generic
    """
    labels = [*label_paths, *more_labels]
    if importance and ledger is not None:
        raise ScorerError("--ledger records the tag backtest's predictions: leave out --importance")
    if importance:
        from tqdm.auto import tqdm

        with tqdm(desc="origins", unit="origin", leave=False, disable=None) as bar:
            def step(done: int, total: int, name: str, hit: bool) -> None:
                bar.total = total
                bar.set_postfix_str(f"{name}{' (cached)' if hit else ''}", refresh=False)
                bar.update(1)

            res = rolling_importance_run(prs_path, labels, notes_path, output, start=start, end=end,
                                         every=retrain_every, span=span, shifted=shifted, tz=tz, horizon=horizon,
                                         importance_horizon=importance_horizon, taxonomy=taxonomy, seed=seed,
                                         on_conflict=on_conflict, cache_dir=cache_dir, use_cache=not no_cache,
                                         source_prs=source_prs, source_notes=source_notes, step=step)
        for grid, p in res.pools.items():
            sign = p["sign"]
            test = ("no sign test over both grids (they share weeks)" if sign["p"] != sign["p"] else
                    f"sign test p = {sign['p']:.3f} ({sign['only_model']} Highlights only in the model's top 24, "
                    f"{sign['only_size']} only in size's)")
            click.echo(f"grid {grid}: {p['origins']} origins ({p['tested origins']} with labeled Highlights), "
                       f"{p['weeks']} weeks, {p['highlights']} Highlights: recall@10 model {p['model recall@10']:.2f} / "
                       f"size {p['size recall@10']:.2f} / LApredict {p['LApredict recall@10']:.2f}; recall@24 "
                       f"{p['model recall@24']:.2f} / {p['size recall@24']:.2f} / {p['LApredict recall@24']:.2f}; "
                       f"NDCG@24 {p['model ndcg@24']:.2f} / {p['size ndcg@24']:.2f} / {p['LApredict ndcg@24']:.2f}; "
                       f"AUC named {p['model AUC named']:.3f} / {p['size AUC named']:.3f}; "
                       f"against size better / tied / worse on {p['better @10']}/{p['tied @10']}/{p['worse @10']} "
                       f"origins at 10, {p['better @24']}/{p['tied @24']}/{p['worse @24']} at 24; {test}")
        click.echo(f"wrote {output}/rolling.md, rolling.csv, rolling.png, rolling.json "
                   f"({len(res.table)} origins, {res.cached} from the cache)")
        return
    if not labels:
        raise ScorerError("--labels is required (without --importance)")
    table = backtest_run(prs_path, labels, output, start=start, end=end,
                         retrain_every=retrain_every, window=window, horizon=horizon,
                         importance_horizon=importance_horizon, taxonomy=taxonomy, seed=seed, on_conflict=on_conflict,
                         ledger=ledger)
    click.echo(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    click.echo(f"wrote {output}/backtest.csv, backtest.md, backtest.png ({len(table)} origins)")
    if ledger is not None:
        click.echo(f"ledger {ledger}: every span's predictions, as made at its origin (read them with scorer monitor)")


# ---------------------------------------------------------------- simulate / demo

@main.command("simulate")
@click.option("--repo", default="demo/engine", show_default=True, help="Slug of the fictional repository.")
@click.option("--weeks", default=60, show_default=True, type=click.IntRange(2, 520), help="Weeks of history.")
@click.option("--seed", default=7, show_default=True, help="Random seed (the shipped sample is seed 7).")
@click.option("--start", default="2025-06-02", show_default=True, help="Monday the history starts.")
@click.option("--prs-per-week", default=70.0, show_default=True, type=FiniteRange(1, 5000), help="Mean merged PRs per simulated week.")
@click.option("--shift-week", default=None, type=click.IntRange(0, 520),
              help="From this week (0 = the first) on, the bug process changes by --shift-logit: a drift to detect.")
@click.option("--shift-logit", default=1.0, show_default=True, type=FiniteRange(-10, 10),
              help="Added to every PR's bug-inducing logit from --shift-week on (1.0 about doubles the odds of a bug).")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Directory for history.jsonl.gz (the PR table, with API fields), labels.csv, szz_pairs.csv (the "
                   "fixes blaming each bug-inducing PR, dated), taxonomy.yaml and activity.jsonl.gz (issues and PRs, "
                   "for the daily report).")
def simulate_cmd(repo: str, weeks: int, seed: int, start: str, prs_per_week: float, shift_week: int | None,
                 shift_logit: float, output: Path) -> None:
    """Generate a realistic PR history of a fictional inference engine, with labels and its taxonomy.

    The same seed gives the same bytes. The latent process is documented in scorer/simulate.py.

    \b
    Examples:
      scorer simulate --repo demo/engine --weeks 60 --seed 7 -o training_data/demo
      scorer simulate --weeks 60 --shift-week 40 --shift-logit 1.2 -o /tmp/shifted
    """
    from .simulate import write_sample

    parse_date(start, "--start")
    paths = write_sample(output, repo=repo, weeks=weeks, seed=seed, start=start, prs_per_week=prs_per_week,
                         shift_week=shift_week, shift_logit=shift_logit if shift_week is not None else 0.0)
    for p in paths.values():
        click.echo(f"wrote {p} ({p.stat().st_size / 1024:,.0f} KB)")


@main.command("demo")
@click.option("-o", "--output", default=Path("reports/demo"), show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Where the reports and the evaluation go.")
@click.option("--models-dir", default=Path("models"), show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Where the demo bundle is written (<models-dir>/demo).")
@click.option("--holdout-weeks", default=8, show_default=True, type=click.IntRange(1, 26), help="Latest weeks kept out of training and evaluated.")
def demo_cmd(output: Path, models_dir: Path, holdout_weeks: int) -> None:
    """Run the whole product on the shipped sample: train, score the latest week (zh and en), write the last
    day's daily report, evaluate, and check the prediction ledger's track record (scorer monitor).

    \b
    Example:
      scorer demo -o reports/demo
    """
    import pandas as pd
    from tqdm.auto import tqdm

    t0 = time.perf_counter()
    with tqdm(total=6, desc="demo", unit="step", disable=None) as bar:
        def step(name: str) -> None:
            bar.set_postfix_str(name)
            bar.update(1)

        res = run_demo(output, models_dir, holdout_weeks, step=step)
    prs, prs_path, bundle, card, cutoff, week = res.prs, res.prs_path, res.bundle, res.card, res.cutoff, res.week
    last, results, day, daily_ctx, daily_written, ev = (prs["merged_at"].max(), res.weekly, res.day, res.daily_ctx,
                                                          res.daily_written, res.evaluation)
    ctx, scores, written = results["zh"]
    click.echo(f"scorer demo finished in {time.perf_counter() - t0:.1f}s")
    click.echo(f"  sample   : {prs_path} ({len(prs):,} PRs, {prs['merged_at'].min():%Y-%m-%d} to {last:%Y-%m-%d})")
    click.echo(f"  bundle   : {bundle} (trained to {cutoff - pd.Timedelta(days=1):%Y-%m-%d}, "
               f"{card['rows']['labeled']:,} PRs with at least one label)")
    click.echo(f"  week     : {week}, {len(scores)} PRs, {ctx['header']['n_highlight']} highlighted")
    click.echo("  top 5 PRs:")
    for _, r in scores.head(5).iterrows():
        click.echo(f"    #{int(r['number'])}  {r['importance']:.1f}  {r['title']}")
    for tag, t in ev["tags"].items():
        m, la = t["metrics"]["model"], t["metrics"]["LApredict"]
        click.echo(f"  p:{tag} on the held-out weeks: ECE {m['ece']:.3f}, AUC {m['roc_auc']:.3f} (LApredict {la['roc_auc']:.3f})"
                   f"{_versus_baseline(m, la)}")
    if "importance" in ev:
        m, size = ev["importance"]["metrics"]["model"], ev["importance"]["metrics"]["size-only"]
        click.echo(f"  importance on the held-out weeks: Spearman {m['spearman']:.3f}, MAE {m['mae']:.2f}; "
                   f"Highlights in the weekly top 24: {m['recall@24']:.2f} (size-only {size['recall@24']:.2f})")
    for lang in ("zh", "en"):
        for p in results[lang][2]:
            if p.name.startswith("report"):
                click.echo(f"  wrote {p}")
    c = daily_ctx["counts"]
    click.echo(f"  daily    : {day}, {c['new_issues']} new / {c['closed_issues']} closed issues, {c['new_prs']} new / "
               f"{c['merged_prs']} merged / {c['closed_unmerged']} closed-unmerged PRs")
    for p in daily_written:
        if p.name == "report.md":
            click.echo(f"  wrote {p}")
    click.echo(f"  wrote {output / 'eval'}/evaluation.md, evaluation.html, metrics.json")
    mon = res.monitor
    bug = mon.result["tags"].get("bug-inducing", {}).get("bundles", {})
    closed = sum(b.get("realized", {}).get("rows", 0) for b in bug.values())
    still = sum(b.get("estimate", {}).get("rows", 0) for b in bug.values())
    click.echo(f"  monitor  : {mon.rows:,} predictions in {output / 'ledger'} from {len(mon.result['bundles'])} bundles; "
               f"p:bug-inducing {closed:,} closed, {still:,} still open; {len(mon.result['alerts'])} drift alert(s)")
    for p in mon.written:
        if p.name == "monitor.md":
            click.echo(f"  wrote {p}")



# ---------------------------------------------------------------- check runs

@main.command("check")
@click.argument("ref")
@click.option("--model", "model_path", required=True, type=click.Path(path_type=Path), help="Bundle directory.")
@click.option("--data", "data_path", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="The repository's PR table: the history the PR is scored against (point-in-time features).")
@click.option("--szz-pairs", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="SZZ pairs of that history: which past PRs were blamed by a fix, and when (the similar PRs).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the check run's summary (the repository's report language).")
@click.option("--gate", default=None, type=FiniteRange(0, 1),
              help="A risk probability at or above this makes the conclusion action_required (default: always neutral).")
@click.option("--post", is_flag=True, help="Post the check run to GitHub (GITHUB_TOKEN with checks:write); the same "
                                          "head SHA's run is updated, never duplicated.")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True,
              help="Print the summary as Markdown, or the whole check run as JSON (for CI).")
@click.option("--api-url", default=None, help="GitHub API root (GitHub Enterprise: https://HOST/api/v3).")
@click.option("--from-table", is_flag=True, help="Take the PR, merged, from --data instead of the API: what the check "
                                                "would have said on it (history before it only; no network).")
def check_cmd(ref: str, model_path: Path, data_path: Path | None, szz_pairs: Path | None, lang: str,
              gate: float | None, post: bool, fmt: str, api_url: str | None, from_table: bool) -> None:
    """Print the GitHub check run scorer would post on pull request OWNER/NAME#N (or post it).

    The check run carries a title (importance and decided risk tags) and a summary. The summary
    gives the calibrated probabilities, the recommended review level with its rule, the reasons,
    the files to read first, and up to five similar merged PRs later blamed by a fix. The token
    comes from $GITHUB_TOKEN and is sent only to --api-url.

    \b
    Examples:
      scorer check vllm-project/vllm#40860 --model models/vllm --data prs.parquet --szz-pairs szz_pairs.csv
      GITHUB_TOKEN=... scorer check acme/widget#12 --model models/widget --gate 0.7 --post --format json
      scorer check vllm-project/vllm#40860 --from-table --data prs.parquet --szz-pairs szz_pairs.csv --model models/vllm
    """
    import json as _json

    from .pipeline import check_pull_request

    token = os.environ.get("GITHUB_TOKEN") or None
    if post and from_table:
        raise ScorerError("--from-table shows what the check would have said; it posts nothing (leave out --post)")
    if post and not token:
        raise ScorerError("--post needs GITHUB_TOKEN (a token that may write checks)")
    out = check_pull_request(ref, model_path, data_path=data_path, szz_pairs=szz_pairs, lang=lang, gate=gate,
                             post=post, api_url=api_url, token=token, from_table=from_table)
    if fmt == "json":
        doc = {"repo": out.repo, "number": out.number, "check_run": out.body}
        if out.posted:
            doc["posted"] = {"id": out.posted.check_run_id, "action": out.posted.action}
        click.echo(_json.dumps(doc, ensure_ascii=False, indent=2))
        return
    click.echo(f"# {out.body['output']['title']}\n")
    click.echo(out.body["output"]["summary"])
    click.echo(f"conclusion: {out.body['conclusion']}")
    if out.posted:
        click.echo(f"check run {out.posted.check_run_id} {out.posted.action} on {out.body['head_sha'][:12]}")


# ---------------------------------------------------------------- serve

@main.command("serve")
@click.option("--model", "model_path", required=True, type=click.Path(path_type=Path), help="Bundle directory to serve.")
@click.option("--data", "data_path", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="PR table kept in memory as the repository's history (point-in-time features, weekly reports); "
                   "merged PRs from webhooks are appended to it and the file is rewritten atomically.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on (0: any free port).")
@click.option("--threads", default=None, type=click.IntRange(1, 64),
              help="Requests scored at once (default: the CPU count); more only makes each one slower.")
@ledger_options("Append the scores of /v1/score and of merged PRs' webhooks to this prediction ledger "
                "(default: <cache dir>/ledger).")
@click.option("--cache-dir", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="scorer's cache directory, where the default ledger lives (default: $SCORER_CACHE_DIR, else "
                   "~/.cache/scorer).")
@click.option("--monitor-report", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="The monitor.json `scorer monitor` writes (e.g. nightly): /metrics exports its realized and "
                   "estimated figures and drift alerts, re-read when it changes.")
@click.option("--github-checks", is_flag=True,
              help="Post a check run named scorer on every pull request opened, pushed to or reopened (webhooks): "
                   "credentials from GITHUB_TOKEN, or GITHUB_APP_ID with GITHUB_APP_PRIVATE_KEY[_PATH].")
@click.option("--api-url", default=None, help="With --github-checks: the GitHub API root (Enterprise: https://HOST/api/v3).")
@click.option("--szz-pairs", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="With --github-checks: SZZ pairs of the --data history, for the similar PRs later blamed by a fix.")
@click.option("--check-lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the check runs' summaries.")
@click.option("--gate", default=None, type=FiniteRange(0, 1),
              help="With --github-checks: a risk probability at or above this makes the conclusion action_required.")
def serve_cmd(model_path: Path, data_path: Path | None, host: str, port: int, threads: int | None,
              ledger: Path | None, no_ledger: bool, cache_dir: Path | None, monitor_report: Path | None,
              github_checks: bool, api_url: str | None, szz_pairs: Path | None, check_lang: str,
              gate: float | None) -> None:
    """Serve scores and reports over HTTP: POST /v1/score, GET /v1/reports/{week}, the GitHub webhook,
    /healthz, /readyz, /v1/model, /metrics and POST /v1/reload.

    The bundle is loaded and verified once at start-up. $SCORER_SERVICE_TOKEN, when set, is the
    bearer token POST /v1/reload requires; $SCORER_WEBHOOK_SECRET checks X-Hub-Signature-256.

    \b
    Example:
      scorer serve --model models/vllm --data prs.parquet --port 8080
      curl -s 'localhost:8080/v1/reports/2026-W18?lang=en&format=md'
    """
    import importlib.util

    from .served import load_served

    missing = [m for m in ("fastapi", "uvicorn", "prometheus_client", "anyio") if importlib.util.find_spec(m) is None]
    if missing:
        raise ScorerError(f"scorer serve needs the serve extra ({missing[0]} is missing): pip install -e '.[serve]'")
    # The bundle and history load before the web stack is imported: loading's transient peak is
    # then freed memory the imports reuse (6 MB less resident for the demo than the other order).
    served = load_served(model_path, data_path, resolve_ledger(ledger, no_ledger, cache_dir), monitor_report)
    runner = start_check_runner(served, api_url, szz_pairs, check_lang, gate) if github_checks else None
    import uvicorn

    from .serve import create_app, server_config

    history = "no history" if served.history is None else f"{len(served.history):,} PRs of history"
    kept = "no ledger" if served.ledger is None else f"ledger {served.ledger}"
    click.echo(f"serving {model_path} ({served.model_id}, {history}, {kept}) on http://{host}:{port}", err=True)
    uvicorn.Server(server_config(create_app(served, threads, checks=runner), host, port)).run()


def start_check_runner(served, api_url: str | None, szz_pairs: Path | None, lang: str, gate: float | None):
    """The service's check-run worker (scorer.checkrunner), started."""
    from .checkrunner import CheckRunner, credentials_from_env, served_check_maker
    from .checks import similar_index_for
    from .ingest.github import DEFAULT_API, GitHubClient
    from .score import taxonomy_for

    api = api_url or DEFAULT_API

    def factory(token: str | None = None):
        return GitHubClient(api_url=api, token=token, max_wait_s=900.0)

    repo = served.model[0].repo or (str(served.history["repo"].iloc[0]) if served.history is not None
                                   and len(served.history) else "")
    similar = similar_index_for(served.history, szz_pairs, taxonomy_for(served.model[0], [repo]), repo)
    return CheckRunner(served_check_maker(served, lang, gate, similar), credentials_from_env(api, factory),
                       factory).start()


def run() -> None:
    """The `scorer` executable: the CLI, then an exit that skips the collector's last pass."""
    try:
        main()
    finally:
        skip_final_collection()


if __name__ == "__main__":  # pragma: no cover
    run()
