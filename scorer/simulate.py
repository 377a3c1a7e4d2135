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


def simulate(repo: str = "demo/engine", weeks: int = 60, seed: int = 7, start: str = "2025-06-02",
             prs_per_week: float = 70.0, open_weeks: int = 4) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
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
            bug = rng.random() < _sigmoid(-3.3 + 0.42 * math.log1p(la_tot) + 0.8 * core - 0.7 * has_tests
                                          + 0.5 * (experience == 0) - 0.12 * math.log1p(experience))
            reverted = rng.random() < _sigmoid(-5.5 + 0.25 * math.log1p(la_tot) + 1.6 * bug)
            merged = t0 + pd.Timedelta(weeks=w) + pd.Timedelta(seconds=float(times[j]))
            stamp = merged.strftime("%Y-%m-%dT%H:%M:%SZ")
            records.append({"repo": repo, "number": number, "title": title, "body": "", "author": author,
                            "merged_at": stamp, "authored_at": stamp, "merge_commit_sha": f"{number:040x}",
                            "co_authors": [], "signed_off_by": [author], "additions": la_tot, "deletions": ld_tot,
                            "changed_files": len(files), "line_counts_known": True, "files": files})
            open_window = w >= end_week_open
            labels.append({"repo": repo, "number": number, "importance": importance,
                           "tag:bug-inducing": pd.NA if open_window else int(bug),
                           "tag:reverted": pd.NA if open_window else int(reverted), "source": "simulated"})
            exp[author] = experience + 1
    prs = to_frame(records)
    lab = pd.DataFrame(labels)
    for c in ("tag:bug-inducing", "tag:reverted"):
        lab[c] = lab[c].astype("Int8")
    return prs, lab.sort_values("number").reset_index(drop=True)


def write_sample(out_dir: str | Path, **kw) -> dict[str, Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    prs, labels = simulate(**kw)
    paths = {"prs": out_dir / "history.jsonl.gz", "labels": out_dir / "labels.csv", "taxonomy": out_dir / "taxonomy.yaml"}
    save_prs(prs, paths["prs"])
    save_labels(labels, paths["labels"])
    shutil.copyfile(TAXONOMY_DIR / "demo-engine.yaml", paths["taxonomy"])
    return paths
