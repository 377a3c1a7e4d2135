"""A realistic PR history of a fictional inference engine, for the shipped sample and the demo.

The latent process (documented so users can judge what the demo's models can learn):

* each week ~70 PRs (Poisson), authors drawn from a Zipf-like pool (heavy-tailed activity);
* a PR has a module (weighted), a kind (fix, feature, model, performance, refactor, docs, ci),
  a size (log-normal lines per file by kind; file count 1 + Pareto), tests with a probability
  that grows with the author's experience, a title from module-specific vocabulary;
* about one week in six has a burst: a new model family that many PRs name that week;
* latent importance z = 0.55 log(1 + lines) + kind effect + 0.9 core + 1.2 burst + 0.6 new files
  + N(0, 0.7); the importance label is clip(round(3.5 + 1.5 (z - 3) + N(0, 0.8)), 0, 10);
* bug-inducing ~ Bernoulli(sigmoid(-3.3 + 0.42 log(1 + added) + 0.8 core - 0.7 tests + 0.5 first-PR
  - 0.12 log(1 + experience))), reverted ~ Bernoulli(sigmoid(-5.5 + 0.25 log(1 + added) + 1.6 bug));
  outcome labels of the last `open_weeks` weeks stay empty (their windows are still open).

API fields and activity (a second random stream, so the history above is the same with or without
them): a merged PR was opened hours_open ~ lognormal(log 18 + 0.25 log(1 + lines), 0.9) earlier;
its comments ~ Poisson(exp(0.2 + 0.45 (z - 3))) and reviews ~ 1 + Poisson(0.4 + 0.3 core) carry part
of the latent importance z (its noise term too, which no diff feature sees); review comments
~ Poisson(exp(-0.3 + 0.9 bug)) and changes requested ~ Bernoulli(sigmoid(-2.4 + 1.5 bug)) part of
the bug outcome. Each week also has ~9 PRs closed unmerged, ~4 still open (a third drafts) and
~30 issues (bug / feature / question, 60% closed within days), some by bots.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from .labels import save_labels
from .records import save_prs, to_frame
from .taxonomy import TAXONOMY_DIR

MODULES = {
    "core-scheduler": (0.10, "engine/core", ["scheduler", "engine", "request_queue", "kv_manager", "block_pool"]),
    "attention": (0.10, "engine/attention", ["backend", "flash_attn", "paged_attn", "mla", "sliding_window"]),
    "kernels": (0.10, "csrc", ["gemm", "layernorm", "rotary", "activation", "topk"]),
    "quantization": (0.09, "engine/quantization", ["fp8", "int4", "awq", "gptq", "nvfp4"]),
    "models": (0.20, "engine/models", ["llama", "mistral", "gemma", "phi", "qwen", "registry"]),
    "frontend": (0.13, "engine/entrypoints", ["api_server", "chat", "completions", "tool_parser", "cli"]),
    "platforms": (0.07, "engine/platforms", ["rocm", "cpu_backend", "tpu_runner", "cuda"]),
    "distributed": (0.06, "engine/distributed", ["parallel_state", "all_reduce", "pipeline", "expert_parallel"]),
    "ci": (0.08, ".github/workflows", ["ci", "release", "lint"]),
    "docs": (0.07, "docs", ["quickstart", "models", "serving", "faq"]),
}
KINDS = {  # (share, title prefix, lines per file median, importance effect)
    "fix": (0.34, "[Bugfix]", 12, 0.0), "feature": (0.20, "[Feature]", 60, 1.0), "model": (0.10, "[Model]", 120, 1.2),
    "performance": (0.10, "[Perf]", 40, 0.8), "refactor": (0.10, "[Refactor]", 50, 0.2),
    "docs": (0.08, "[Docs]", 20, -1.2), "ci": (0.08, "[CI]", 10, -1.0),
}
VERBS = {"fix": ["Fix", "Handle", "Correct", "Avoid"], "feature": ["Add", "Support", "Enable", "Introduce"],
         "model": ["Add support for", "Support", "Enable"], "performance": ["Speed up", "Optimize", "Fuse", "Cache"],
         "refactor": ["Refactor", "Simplify", "Clean up", "Move"], "docs": ["Document", "Update docs for", "Explain"],
         "ci": ["Pin", "Bump", "Retry", "Split"]}
OBJECTS = {"core-scheduler": ["preemption", "chunked prefill", "request priority", "prefix caching", "async output"],
           "attention": ["decode kernel", "sliding window", "MLA backend", "head size 256", "FP8 KV cache"],
           "kernels": ["GEMM tuning", "fused RMSNorm", "rotary embedding", "top-k sampling", "MoE align"],
           "quantization": ["FP8 scales", "INT4 weights", "AWQ loader", "NVFP4 GEMM", "GPTQ marlin"],
           "models": ["Llama tokenizer", "Mistral tool calls", "Gemma weights", "Phi vision tower", "Qwen rope"],
           "frontend": ["chat template", "streaming usage", "tool choice", "OpenAI schema", "CLI flags"],
           "platforms": ["ROCm build", "CPU backend", "TPU runner", "CUDA graphs"],
           "distributed": ["tensor parallel", "pipeline stages", "expert parallel", "NCCL init"],
           "ci": ["flaky test", "docker image", "wheel build", "lint job"],
           "docs": ["quickstart", "model list", "serving guide", "FAQ"]}
FAMILIES = ["Falcon5", "Orca3", "Nimbus2", "Kestrel", "Aurora4", "Zephyr3", "Titan2", "Lyra"]
TEST_DIRS = {"core-scheduler": "tests/core", "attention": "tests/attention", "kernels": "tests/kernels",
             "quantization": "tests/quantization", "models": "tests/models", "frontend": "tests/entrypoints",
             "platforms": "tests/platforms", "distributed": "tests/distributed"}


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


BOTS = ("dependabot[bot]", "github-actions[bot]")
ISSUE_TITLES = {"bug": ["Crash when serving {} with {}", "Segfault in {} under {}", "Wrong output from {} with {}",
                        "OOM when loading {} on {}", "Hang in {} after {}"],
                "feature": ["[Feature]: support {} in {}", "[RFC]: {} for {}"],
                "question": ["How to configure {} for {}?", "[Usage]: {} with {}"]}
KIND_LABELS = {"fix": ["bug"], "feature": ["feature"], "model": ["new-model"], "performance": ["performance"],
               "refactor": [], "docs": ["documentation"], "ci": ["ci/build"]}


def _stamp(t: pd.Timestamp) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def simulate(repo: str = "demo/engine", weeks: int = 60, seed: int = 7, start: str = "2025-06-02",
             prs_per_week: float = 70.0, open_weeks: int = 4, api: bool = True,
             activity: list | None = None, pairs: list | None = None, shift_week: int | None = None,
             shift_logit: float = 0.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The merged history and its labels; with `api`, the API fields too; rows of the activity
    table (issues and unmerged PRs included) are appended to `activity` when given, and the SZZ
    pairs that blame each bug-inducing PR (in the szz_pairs.csv format) to `pairs`. From week
    `shift_week` on, the bug process changes: `shift_logit` is added to every PR's bug logit
    (what `scorer monitor` must notice)."""
    rng = np.random.default_rng(seed)
    arng = np.random.default_rng([seed, 1])  # API fields and activity: their own stream
    frng = np.random.default_rng([seed, 2])  # when each bug's fix lands: its own stream too
    rows = activity if activity is not None else []  # always drawn, so numbering never depends on it
    authors = [f"dev{i:03d}" for i in range(220)]
    weights = 1.0 / np.arange(1, len(authors) + 1) ** 1.1
    weights /= weights.sum()
    mod_names = list(MODULES)
    mod_p = np.array([MODULES[m][0] for m in mod_names]); mod_p /= mod_p.sum()
    kind_names = list(KINDS)
    kind_p = np.array([KINDS[k][0] for k in kind_names]); kind_p /= kind_p.sum()
    exp: dict[str, int] = {}
    t0 = pd.Timestamp(start, tz="UTC")
    records, labels = [], []
    number = 1000
    family_iter = iter(FAMILIES * 3)
    end_week_open = weeks - open_weeks
    for w in range(weeks):
        burst = next(family_iter) if rng.random() < 0.17 else None
        n = int(rng.poisson(prs_per_week))
        times = np.sort(rng.uniform(0, 7 * 86400, n))
        for j in range(n):
            number += int(rng.integers(1, 4))
            author = authors[int(rng.choice(len(authors), p=weights))]
            in_burst = burst is not None and rng.random() < 0.12
            module = "models" if in_burst else mod_names[int(rng.choice(len(mod_names), p=mod_p))]
            kind = ("model" if rng.random() < 0.6 else "feature") if in_burst else kind_names[int(rng.choice(len(kind_names), p=kind_p))]
            if module == "docs":
                kind = "docs"
            if module == "ci":
                kind = "ci"
            base, sub, stems = MODULES[module]
            n_files = min(1 + int(rng.pareto(1.6)), 60)
            median = KINDS[kind][2]
            files, added_new = [], 0
            ext = ".cu" if module == "kernels" else (".md" if module == "docs" else (".yaml" if module == "ci" else ".py"))
            for k in range(n_files):
                stem = stems[int(rng.integers(len(stems)))]
                if in_burst and k == 0:
                    stem = burst.lower()
                name = f"{sub}/{stem}{'' if k < len(stems) else '_' + str(k)}{ext}"
                if any(f["filename"] == name for f in files):
                    continue
                status = "added" if (in_burst and k == 0) or rng.random() < 0.06 else "modified"
                added_new += status == "added"
                la = int(rng.lognormal(math.log(median), 1.0))
                ld = 0 if status == "added" else int(rng.lognormal(math.log(max(median / 3, 1)), 1.0))
                files.append({"filename": name, "status": status, "additions": la, "deletions": ld, "binary": False})
            experience = exp.get(author, 0)
            has_tests = module in TEST_DIRS and rng.random() < (0.25 + 0.5 * (1 - math.exp(-experience / 15)))
            if has_tests:
                files.append({"filename": f"{TEST_DIRS[module]}/test_{stems[0]}.py", "status": "modified",
                              "additions": int(rng.lognormal(math.log(25), 0.8)), "deletions": int(rng.integers(0, 10)),
                              "binary": False})
            if kind == "ci" and rng.random() < 0.3:
                files.append({"filename": "requirements/common.txt", "status": "modified", "additions": 1,
                              "deletions": 1, "binary": False})
            obj = f"{burst} model family" if in_burst else OBJECTS[module][int(rng.integers(len(OBJECTS[module])))]
            verb = VERBS[kind][int(rng.integers(len(VERBS[kind])))]
            title = f"{KINDS[kind][1]} {verb} {obj}"
            la_tot = sum(f["additions"] for f in files)
            ld_tot = sum(f["deletions"] for f in files)
            core = module == "core-scheduler" or any(f["filename"] in ("engine/attention/backend.py",
                                                                        "engine/distributed/parallel_state.py") for f in files)
            z = (0.55 * math.log1p(la_tot + ld_tot) + KINDS[kind][3] + 0.9 * core + 1.2 * in_burst
                 + 0.6 * (added_new > 0) + rng.normal(0, 0.7))
            importance = float(np.clip(round(3.5 + 1.5 * (z - 3.0) + rng.normal(0, 0.8)), 0, 10))
            shifted = shift_logit if shift_week is not None and w >= shift_week else 0.0
            bug = rng.random() < _sigmoid(-3.3 + 0.42 * math.log1p(la_tot) + 0.8 * core - 0.7 * has_tests
                                          + 0.5 * (experience == 0) - 0.12 * math.log1p(experience) + shifted)
            reverted = rng.random() < _sigmoid(-5.5 + 0.25 * math.log1p(la_tot) + 1.6 * bug)
            merged = t0 + pd.Timedelta(weeks=w) + pd.Timedelta(seconds=float(times[j]))
            stamp = merged.strftime("%Y-%m-%dT%H:%M:%SZ")
            rec = {"repo": repo, "number": number, "title": title, "body": "", "author": author,
                   "merged_at": stamp, "authored_at": stamp, "merge_commit_sha": f"{number:040x}",
                   "co_authors": [], "signed_off_by": [author], "additions": la_tot, "deletions": ld_tot,
                   "changed_files": len(files), "line_counts_known": True, "files": files}
            hours = float(arng.lognormal(math.log(18) + 0.25 * math.log1p(la_tot + ld_tot), 0.9))
            created = merged - pd.Timedelta(hours=hours)
            n_reviews = 1 + int(arng.poisson(0.4 + 0.3 * core))
            changes = int(arng.random() < _sigmoid(-2.4 + 1.5 * bug))
            api_fields = {
                "labels": list(KIND_LABELS[kind]), "created_at": _stamp(created), "closed_at": stamp, "state": "merged",
                "comments": int(arng.poisson(math.exp(0.2 + 0.45 * (z - 3.0)))),
                "review_comments": int(arng.poisson(math.exp(-0.3 + 0.9 * bug))), "reviews": n_reviews,
                "approvals": max(n_reviews - changes - int(arng.random() < 0.3), 1), "changes_requested": changes,
                "requested_reviewers": [], "draft": False}
            gain, says_gain = int(arng.integers(5, 60)), arng.random() < 0.5
            if api:
                rec.update(api_fields)
                if kind == "performance" and says_gain:
                    rec["body"] = f"Speeds up {obj} by {gain}% on the benchmark."
            records.append(rec)
            if bug and pairs is not None:  # the fix that blames it lands days to weeks later, within the window
                fixed = merged + pd.Timedelta(days=float(np.clip(frng.lognormal(math.log(14), 0.9), 0.5, 89)))
                pairs.append({"fix_pr": 10_000_000 + number, "fix_merged_at": _stamp(fixed), "inducing_pr": number,
                              "inducing_merged_at": stamp, "file": files[0]["filename"],
                              "lines_blamed": 1 + int(frng.poisson(3))})
            rows.append({"repo": repo, "kind": "pr", "number": number, "title": title,
                         "labels": api_fields["labels"], "author": author, "created_at": api_fields["created_at"],
                         "closed_at": stamp, "merged_at": stamp, "state": "merged", "draft": False,
                         "comments": api_fields["comments"], "review_comments": api_fields["review_comments"],
                         "url": f"https://github.com/{repo}/pull/{number}"})
            open_window = w >= end_week_open
            labels.append({"repo": repo, "number": number, "importance": importance,
                           "tag:bug-inducing": pd.NA if open_window else int(bug),
                           "tag:reverted": pd.NA if open_window else int(reverted), "source": "simulated"})
            exp[author] = experience + 1
        number = _week_activity(arng, rows, repo, t0 + pd.Timedelta(weeks=w), number, authors, weights)
    prs = to_frame(records)
    lab = pd.DataFrame(labels)
    for c in ("tag:bug-inducing", "tag:reverted"):
        lab[c] = lab[c].astype("Int8")
    return prs, lab.sort_values("number").reset_index(drop=True)


def _week_activity(rng: np.random.Generator, rows: list, repo: str, week: pd.Timestamp, number: int,
                   authors: list[str], weights: np.ndarray) -> int:
    """One week's unmerged PRs and issues (numbers continue the PRs' sequence, as on GitHub)."""
    def who() -> str:
        return BOTS[int(rng.integers(len(BOTS)))] if rng.random() < 0.08 else authors[int(rng.choice(len(authors), p=weights))]

    def when() -> pd.Timestamp:
        return week + pd.Timedelta(seconds=float(rng.uniform(0, 7 * 86400)))

    mods = list(MODULES)
    for fate, n in (("closed", int(rng.poisson(9))), ("open", int(rng.poisson(4)))):
        for _ in range(n):
            number += 1
            module = mods[int(rng.integers(len(mods)))]
            kind = list(KINDS)[int(rng.integers(len(KINDS)))]
            created = when()
            closed = created + pd.Timedelta(hours=float(rng.lognormal(math.log(30), 1.0))) if fate == "closed" else None
            title = f"{KINDS[kind][1]} {VERBS[kind][int(rng.integers(len(VERBS[kind])))]} " \
                    f"{OBJECTS[module][int(rng.integers(len(OBJECTS[module])))]}"
            rows.append({"repo": repo, "kind": "pr", "number": number, "title": title, "labels": list(KIND_LABELS[kind]),
                         "author": who(), "created_at": _stamp(created), "closed_at": _stamp(closed) if closed else None,
                         "merged_at": None, "state": fate, "draft": fate == "open" and rng.random() < 0.33,
                         "comments": int(rng.poisson(2.5)), "review_comments": int(rng.poisson(1.0)),
                         "url": f"https://github.com/{repo}/pull/{number}"})
    for _ in range(int(rng.poisson(30))):
        number += 1
        label = ["bug", "feature", "question"][int(rng.choice(3, p=[0.5, 0.25, 0.25]))]
        module = mods[int(rng.integers(len(mods)))]
        a, b = OBJECTS[module][int(rng.integers(len(OBJECTS[module])))], ["ROCm", "H100", "TPU", "CPU", "MI300X"][int(rng.integers(5))]
        templates = ISSUE_TITLES[label]
        created = when()
        closed = created + pd.Timedelta(hours=float(rng.lognormal(math.log(40), 1.2))) if rng.random() < 0.6 else None
        labels = [label] + (["rocm"] if b in ("ROCm", "MI300X") and rng.random() < 0.7 else [])
        rows.append({"repo": repo, "kind": "issue", "number": number,
                     "title": templates[int(rng.integers(len(templates)))].format(a, b), "labels": labels,
                     "author": who(), "created_at": _stamp(created), "closed_at": _stamp(closed) if closed else None,
                     "merged_at": None, "state": "closed" if closed else "open", "draft": False,
                     "comments": int(rng.poisson(6 if label == "bug" else 3)), "review_comments": 0,
                     "url": f"https://github.com/{repo}/issues/{number}"})
    return number


PAIR_COLUMNS = ["fix_pr", "fix_merged_at", "inducing_pr", "inducing_merged_at", "file", "lines_blamed"]


def write_pairs(pairs: list[dict], path: Path) -> None:
    from .fileio import atomic_path

    df = pd.DataFrame(pairs, columns=PAIR_COLUMNS).sort_values(["fix_merged_at", "fix_pr"], kind="mergesort")
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False)


def write_sample(out_dir: str | Path, **kw) -> dict[str, Path]:
    from .ingest.github import ACTIVITY_COLUMNS, save_activity

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    activity: list[dict] = []
    pairs: list[dict] = []
    prs, labels = simulate(activity=activity, pairs=pairs, **kw)
    paths = {"prs": out_dir / "history.jsonl.gz", "labels": out_dir / "labels.csv", "taxonomy": out_dir / "taxonomy.yaml",
             "activity": out_dir / "activity.jsonl.gz", "szz_pairs": out_dir / "szz_pairs.csv"}
    save_prs(prs, paths["prs"])
    save_labels(labels, paths["labels"])
    write_pairs(pairs, paths["szz_pairs"])
    act = pd.DataFrame(activity, columns=ACTIVITY_COLUMNS).sort_values(["kind", "number"], kind="mergesort")
    save_activity(act.reset_index(drop=True), paths["activity"])
    shutil.copyfile(TAXONOMY_DIR / "demo-engine.yaml", paths["taxonomy"])
    return paths
