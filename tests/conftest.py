from __future__ import annotations

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

# One hypothesis profile for every property test. The default run is derandomized, so the suite
# gives the same answer every time; SCORER_FUZZ_EXAMPLES=N (e.g. 2000) is the deep randomized run
# used before resolving an issue: N examples a test, fresh random draws, no example database.
FUZZ = int(os.environ.get("SCORER_FUZZ_EXAMPLES", "0"))
settings.register_profile("scorer-ci", derandomize=True, deadline=None, database=None, print_blob=True,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.register_profile("scorer-deep", max_examples=max(FUZZ, 1), derandomize=False, deadline=None,
                          database=None, print_blob=True,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.load_profile("scorer-deep" if FUZZ else "scorer-ci")


def examples(n: int) -> int:
    """A test's example count: its own in the default run, the deep run's count when one is asked for."""
    return FUZZ or n

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(os.environ.get("SCORER_BENCH_DATA", ROOT.parent / "shared" / "data"))


def bench_file(*parts: str) -> Path:
    path = BENCH.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"benchmark data {path} is absent (set SCORER_BENCH_DATA to ../shared/data)")
    return path


class GitRepo:
    """A throwaway repository with a fixed clock, so commit shas are stable across runs."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tick = 1_767_225_600  # 2026-01-01T00:00:00Z
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "Fixture Bot")
        self.git("config", "user.email", "bot@example.com")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str, author: str | None = None) -> str:
        env = dict(os.environ)
        self.tick += 3600
        stamp = f"{self.tick} +0000"
        env.update(GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp)
        if author:
            env.update(GIT_AUTHOR_NAME=author, GIT_AUTHOR_EMAIL=f"{author.split()[0].lower()}@example.com")
        out = subprocess.run(["git", "-C", str(self.path), *args], env=env, check=True, capture_output=True)
        return out.stdout.decode("utf-8", "replace")

    def write(self, rel: str, content: str | bytes) -> None:
        p = self.path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")

    def commit(self, message: str, author: str = "Ada Lovelace", allow_empty: bool = False) -> str:
        self.git("add", "-A")
        args = ["commit", "-q", "-m", message]
        if allow_empty:
            args.append("--allow-empty")
        self.git(*args, author=author)
        return self.git("rev-parse", "HEAD").strip()


@pytest.fixture
def make_repo(tmp_path):
    def factory(name: str = "repo") -> GitRepo:
        path = tmp_path / name
        path.mkdir()
        return GitRepo(path)
    return factory


@pytest.fixture
def history_repo(make_repo) -> GitRepo:
    """Both merge styles, a rename, a binary file, a unicode path and title, an empty commit, a revert."""
    r = make_repo()
    r.write("src/engine/core.py", "".join(f"line {i}\n" for i in range(40)))
    r.write("README.md", "readme\n")
    r.commit("[Core] Initial engine (#1)")
    r.write("src/engine/core.py", "".join(f"line {i}\n" for i in range(40)) + "extra\n")
    r.write("tests/test_core.py", "def test():\n    pass\n")
    r.commit("[Bugfix] Fix the core loop (#2)\n\nLonger body.\n\nCo-authored-by: Grace Hopper <g@h.org>\n"
             "Signed-off-by: Ada Lovelace <ada@example.com>", author="Ada Lovelace")
    r.git("mv", "src/engine/core.py", "src/engine/scheduler.py")
    r.commit("[Refactor] Rename core to scheduler (#3)", author="Linus T")
    r.write("assets/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00binary\x00data")
    r.commit("[Docs] Add logo (#4)", author="Linus T")
    r.write("docs/模型/说明.md", "中文文档\n")
    r.commit("[Docs] 添加中文文档 ünïcode (#5)", author="Zhang San")
    r.commit("[CI] Trigger rebuild (#6)", author="Ada Lovelace", allow_empty=True)
    # A classic merge commit from a side branch.
    r.git("checkout", "-q", "-b", "feature")
    r.write("src/engine/attention.py", "def attend():\n    return 1\n")
    r.commit("Add attention", author="Feature Dev")
    r.write("src/engine/attention.py", "def attend():\n    return 2\n")
    r.commit("Tune attention", author="Feature Dev")
    r.git("checkout", "-q", "main")
    r.write("CHANGELOG.md", "changes\n")
    r.commit("Direct push without a PR number")
    r.git("merge", "-q", "--no-ff", "feature", "-m", "Merge pull request #7 from dev/feature\n\n[Feature] Attention backend")
    r.write("src/engine/scheduler.py", "rewritten\n")
    r.commit("[Perf] Rewrite scheduler (#8)", author="Grace Hopper")
    r.git("revert", "--no-edit", "HEAD")
    r.git("commit", "-q", "--amend", "-m", 'Revert "[Perf] Rewrite scheduler (#8)" (#9)')
    return r


@pytest.fixture(scope="session")
def small_training(tmp_path_factory):
    """A small real-history table (vllm-ascend, 2025-10 .. 2026-03) with outcome and rule labels."""
    from scorer.labels import load_szz_pairs, merge_labels, outcome_labels, rule_labels, save_labels
    from scorer.records import load_prs, save_prs
    from scorer.taxonomy import load_taxonomy

    prs = load_prs(bench_file("vllm-ascend", "prs.jsonl.gz"))
    prs = prs[(prs["merged_at"] >= "2025-09-01") & (prs["merged_at"] < "2026-03-01")].reset_index(drop=True)
    d = tmp_path_factory.mktemp("small")
    save_prs(prs, d / "prs.jsonl.gz")
    lab = outcome_labels(prs, load_szz_pairs(bench_file("vllm-ascend", "szz_pairs.csv")))
    lab = merge_labels([lab, rule_labels(prs, load_taxonomy("vllm-ascend"))])
    rng = np.random.default_rng(0)
    # A synthetic importance from size, so the regression path is exercised too.
    size = np.log1p(prs.set_index("number").loc[lab["number"], "additions"].to_numpy())
    lab["importance"] = np.clip(np.round(size + rng.normal(0, 1, len(lab))), 0, 10)
    save_labels(lab, d / "labels.csv")
    return d / "prs.jsonl.gz", d / "labels.csv"


def open_in_chromium(page: Path, shot: Path, width: int = 1200, height: int = 3000) -> np.ndarray:
    """Open a report page in headless Chromium (skip when absent): the page must link only to
    GitHub and log no console message. Returns the screenshot's grey pixels."""
    import re
    import shutil

    browser = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
    if browser is None:
        pytest.skip("chromium is not installed (.ci/run installs Debian's chromium)")
    from PIL import Image

    for attr, url in re.findall(r"""\b(src|href)=["']([^"']*)""", page.read_text(encoding="utf-8")):
        assert attr == "href" and url.startswith("https://github.com/"), url
    run = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                          "--enable-logging=stderr", "--log-level=0", f"--window-size={width},{height}",
                          f"--screenshot={shot}", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert shot.exists(), run.stderr[-2000:]
    assert not [line for line in run.stderr.splitlines() if ":CONSOLE" in line]
    return np.asarray(Image.open(shot).convert("L"))


@pytest.fixture(autouse=True, scope="session")
def _cache_dir(tmp_path_factory):
    """Working copies and history snapshots go to a directory of this test run, never ~/.cache."""
    os.environ["SCORER_CACHE_DIR"] = str(tmp_path_factory.mktemp("scorer-cache"))
    yield


@pytest.fixture(scope="session")
def scored(tmp_path_factory):
    """A small fixed simulated table, a bundle trained on it and its 2025-W37 report in zh and en
    (shared by the report and the claims tests)."""
    from click.testing import CliRunner

    from scorer.cli import main
    from scorer.simulate import write_sample

    d = tmp_path_factory.mktemp("rep")
    paths = write_sample(d / "sample", weeks=16, seed=3, prs_per_week=80)  # enough for a decided model tag
    bundle = d / "models" / "golden"
    res = CliRunner().invoke(main, ["train", "--prs", str(paths["prs"]), "--labels", str(paths["labels"]),
                                    "--until", "2025-09-07", "-o", str(bundle)])
    assert res.exit_code == 0, res.output
    out = {}
    for lang in ("zh", "en"):
        res = CliRunner().invoke(main, ["score", "--prs", str(paths["prs"]), "--model", str(bundle), "--week",
                                        "2025-W37", "--lang", lang, "--top-k", "8", "-o", str(d / lang)])
        assert res.exit_code == 0, res.output
        out[lang] = d / lang / "engine" / "2025-W37" / lang
    return paths, bundle, out


def unclaimed_numbers(report_dir) -> list[tuple[str, str]]:
    """The numbers report.md's prose states that no claim of its report.json states (a claim's
    numbers, their absolute values, and the numbers in its strings): every sentence's figures
    must come from a typed claim. The header block (title, period, model version), the
    definition of p:bug-inducing's window and the PRs' own titles and summaries the report
    quotes ("Add head size 256") are not claims about the data."""
    import json
    import re

    ctx = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    stated: set[float] = {float(ctx.get("bug_window_days", -1))}

    def walk(v) -> None:
        if isinstance(v, bool):
            return
        if isinstance(v, (int, float)):
            stated.update({round(float(v), 4), round(abs(float(v)), 4)})
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, str):
            stated.update(round(float(m), 4) for m in re.findall(r"\d+(?:\.\d+)?", v))

    walk(ctx["claims"])
    quoted: set[str] = set()

    def quotes(v) -> None:
        if isinstance(v, dict):
            quoted.update(str(x) for k, x in v.items() if k in ("title", "summary") and isinstance(x, str))
            for x in v.values():
                quotes(x)
        elif isinstance(v, list):
            for x in v:
                quotes(x)

    quotes({k: v for k, v in ctx.items() if k != "claims"})
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    body = md[md.index("\n## "):] if "\n## " in md else ""
    for q in sorted(quoted, key=len, reverse=True):
        body = body.replace(q.replace("|", "/"), " ").replace(q, " ")
    body = re.sub(r"`[^`]*`", "", re.sub(r"\]\([^)]*\)", "]", body))  # link targets and code spans
    body = re.sub(r"(?m)^(#+ )?\d+\. ", r"\1", body)  # ordinals of headings and numbered lists: positions, not figures
    return [(m, line[:80]) for line in body.splitlines()
            for m in re.findall(r"(?<![\w.])\d+(?:\.\d+)?", line) if round(float(m), 4) not in stated]
