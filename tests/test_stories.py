"""Stories, facts and per-PR summaries of the weekly report."""

import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from scorer.cli import main
from scorer.prtext import extract_facts, read_gains
from scorer.report.stories import (acronym_aliases, assign_stories, display_names, model_vocabulary,
                                   pr_entities, summary_title, tokens)
from scorer.taxonomy import load_taxonomy

DATA = Path(os.environ.get("SCORER_BENCH_DATA", Path(__file__).parents[1].parent / "shared" / "data"))
ROOT = Path(__file__).parents[1]


def _files(*names, added=()):
    return [{"filename": n, "status": "added" if n in added else "modified", "additions": 1, "deletions": 0} for n in names]


ZOO = [f"vllm/model_executor/models/{m}.py" for m in
       "deepseek_v2 deepseek_v4 deepseek_v4_mtp qwen3 qwen3_next gemma4 llama mistral opt cohere_moe registry".split()]


def test_tokens_split_case_digits_and_acronyms():
    assert tokens("DeepseekV4DecoderLayer") == ["Deepseek", "V4", "Decoder", "Layer"]
    assert tokens("[DSV4] MLAPrefill for Qwen3.5") == ["DSV4", "MLA", "Prefill", "for", "Qwen3.5"]


def test_aliases_fold_spellings_of_one_family():
    hist = pd.DataFrame({"files": [_files(*ZOO)] * 2})
    vocab = model_vocabulary(hist)
    assert vocab["deepseekv4mtp"] == "deepseekv4" and vocab["qwen3next"] == "qwen3"
    assert "opt" not in vocab and "registry" not in vocab  # too short / plumbing
    aliases = acronym_aliases(["[Feat] DeepSeek V4 Rebased"], vocab)
    assert aliases["dsv4"] == "deepseekv4"
    tax = load_taxonomy("default")
    plats = set()
    for title in ("[DSV4] Add knob", "[DSv4] Use cvt PTX", "Fix Deepseek-V4 import", "[Bugfix] fix dtype for deepseek_v4"):
        assert ("model", "deepseekv4") in pr_entities(title, [], vocab, aliases, plats), title
    # A path names the family when the PR touches one or two families only.
    assert pr_entities("Fix typo in log message", _files("vllm/model_executor/layers/deepseek_v4_attention.py"),
                       vocab, aliases, plats) == [("model", "deepseekv4")]
    assert pr_entities("Optimize the scheduler", [], vocab, aliases, plats) == []  # "opt" is no model here
    assert display_names(["DeepSeek V4 Rebased", "fix deepseek-v4", "[DSV4] x"], {"deepseekv4"}, vocab) == \
        {"deepseekv4": "DeepSeek V4"}
    del tax


def test_every_pr_gets_exactly_one_story():
    rows = pd.DataFrame({"number": [1, 2, 3, 4, 5], "importance": [5.0, 4, 3, 2, 1],
                         "module": ["models", "models", "attention", "attention", "frontend"]})
    ents = {1: [("model", "a")], 2: [("model", "a")], 3: [("model", "a"), ("platform", "rocm")], 4: [], 5: []}
    got = assign_stories(rows, ents, {})
    assert got == {1: ("model", "a"), 2: ("model", "a"), 3: ("model", "a"), 4: ("module", "attention"),
                   5: ("module", "frontend")}
    # Below three PRs a named thing is no story of its own.
    assert assign_stories(rows, {1: [("model", "a")], 2: [("model", "a")]}, {})[1] == ("module", "models")


def test_facts_from_titles_and_bodies():
    tax = load_taxonomy("vllm")
    f = extract_facts("[Perf] Optimize MoE on MI300X, throughput +13%", "Kernel is 5-58x faster; 1.2x speedup on H100.",
                      _files("requirements/rocm.txt", "vllm/platforms/rocm.py"), tax)
    assert [g["text"] for g in f["gains"]] == ["13%", "5-58x", "1.2x"]
    assert [(g["metric"], g["direction"], g["scope"], g["source"]) for g in f["gains"]] == [
        ("throughput", "up", "e2e", "title"), ("speedup", "up", "unstated", "body"), ("speedup", "up", "unstated", "body")]
    assert f["hardware"] == ["MI300X", "H100"]
    assert f["dep_files"] == ["requirements/rocm.txt"] and f["platforms"] == ["rocm"]
    assert extract_facts("Update flashinfer to 0.6.8", "", [], tax)["deps"] == [{"name": "flashinfer", "version": "0.6.8"}]
    assert extract_facts("[CI Bugfix] Pin `openai<1.100`", "", [], tax)["deps"] == [{"name": "openai", "version": "<1.100"}]
    assert [(g["text"], g["metric"], g["direction"]) for g in extract_facts("Use 2x less memory in tests of TP=2", "", [], tax)["gains"]] == [("2x", "memory", "down")]
    assert extract_facts("Add H100 configs", "", [], tax)["gains"] == []


def test_gains_keep_their_meaning():
    """The cases a reader caught: a batch shape, a latency reduction, benchmark noise in a bugfix,
    a micro-benchmark of one function."""
    assert read_gains("[Perf] Batch prefill", "Tested with batch 4 × 2048 tokens, throughput improved.") == []
    assert read_gains("Tune kernel", "Shapes 4x2048 and 128x128: throughput up") == []
    lat = read_gains("Overlap the allreduce", "E2E latency: -6.19% on 910B.")
    assert [(g["text"], g["metric"], g["direction"]) for g in lat] == [("6.19%", "latency", "down")]
    assert read_gains("[Bugfix] Fix hang", "Throughput +0.46% (noise)") == []
    assert read_gains("Make it slower", "Throughput -12% on H100") == []  # a regression is not a gain
    micro = read_gains("[Perf] Optimize `AllPool.forward` by slicing first, 51% faster in the method level benchmark", "")
    assert [(g["text"], g["scope"]) for g in micro] == [("51%", "component")]
    op = read_gains("[Ops] Add fused_gdn_gating AscendC custom operator", "AscendC avg latency vs Triton: 1.80x speedup.")
    assert [(g["text"], g["scope"]) for g in op] == [("1.8x", "component")]  # one kernel against another
    assert read_gains("Enable CUDA graphs", "Throughput +20% vs eager mode.")[0]["scope"] == "e2e"
    assert read_gains("Speed up sampling", "Output token throughput 1,234 tok/s") == []  # a level, not a change


def test_dependency_versions_and_hardware_read_as_written():
    """A version constraint is a dependency's only in a title that changes one, under the
    package's name, and with a real version; hardware reads as its makers spell it."""
    from scorer.prtext import read_hardware, spec_deps

    assert spec_deps("[Bugfix] Relax tiktoken to >= 0.6.0") == [{"name": "tiktoken", "version": ">=0.6.0"}]
    assert spec_deps("[Build] Require setuptools >= 77.0.3 for PEP 639") == [{"name": "setuptools", "version": ">=77.0.3"}]
    assert spec_deps("[bugfix] Fix auto thread-binding when world_size > 1 in CPU backend") == []
    assert spec_deps("[Attention] Support DCP with query length > 1 with FA3") == []
    assert spec_deps("[Kernel][Bugfix] Fixup some warnings when CUDA < 12.8") == []  # a condition, no change
    assert read_hardware("[310p] Fix the layernorm op on 310p and Ascend 910b") == ["310P", "Ascend 910B"]


def test_summary_title_drops_prefix_noise():
    assert summary_title("[Bugfix][Core] fix: crash on empty batch") == "Crash on empty batch"
    assert summary_title("feat(cpu): add CPU support for draft models") == "Add CPU support for draft models"
    assert summary_title("[Models] Cohere MoE") == "Cohere MoE"


def test_zh_summaries_by_rule():
    from scorer.report.render import report_env as _env

    tpl = _env("zh").get_template("pr_summary.j2")
    facts = {"gains": [{"text": "13%", "metric": "throughput", "direction": "up", "scope": "e2e"}], "hardware": ["MI300X"], "deps": [], "dep_files": [],
             "platforms": []}
    none = {"gains": [], "hardware": [], "deps": [], "dep_files": [], "platforms": []}
    # The title in Chinese (zhtitle.rewrite), with a gain its description states and its title does not.
    assert tpl.render(kind="model", title="Add Cohere MoE", area="模型支持", entity="Cohere MoE", facts=none,
                      zh_title="新增 Cohere MoE") == "新增 Cohere MoE"
    assert tpl.render(kind="performance", title="Fuse the MoE kernels", area="MoE 与专家并行", entity="", facts=facts,
                      zh_title="融合 MoE kernel") == "融合 MoE kernel（吞吐提升 13%）"
    assert tpl.render(kind="performance", title="13% faster MoE", area="MoE 与专家并行", entity="", facts=facts,
                      zh_title="MoE 提速 13%") == "MoE 提速 13%"
    # No rule reads the title: a new model by its name, else the area beside the English title, never the area alone.
    assert tpl.render(kind="model", title="Cohere MoE", area="模型支持", entity="Cohere MoE", facts=none,
                      zh_title=None) == "新增 Cohere MoE 模型支持"
    assert tpl.render(kind="dependency", title="flashinfer 0.6.8 pls", area="CI", entity="", facts=none,
                      zh_title=None) == "CI：flashinfer 0.6.8 pls"


@pytest.mark.skipif(not (DATA / "vllm" / "prs.jsonl.gz").exists(), reason=f"shared vLLM table not found under {DATA}")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_vllm_w18_groups_deepseek_v4_in_one_story(tmp_path, lang):
    """All of 2026-W18's DeepSeek V4 PRs (a title naming it in any spelling, or only DeepSeek V4
    model files touched) sit in one story; every number of the report is in report.json."""
    from scorer.records import load_prs
    from test_report import assert_markdown_numbers_in_json

    prs_path = DATA / "vllm" / "prs.jsonl.gz"
    res = CliRunner().invoke(main, ["score", "--prs", str(prs_path), "--model", str(ROOT / "models" / "generic-importance"),
                                    "--week", "2026-W18", "--tz", "Asia/Shanghai", "--lang", lang, "-o", str(tmp_path)])
    assert res.exit_code == 0, res.output
    out = tmp_path / "vllm" / "2026-W18" / lang
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    stories = [t for t in data["themes"] if t["kind"] == "model" and t["key"] == "deepseekv4"]
    assert len(stories) == 1 and stories[0]["name"] == "DeepSeek V4"
    prs = load_prs(prs_path)
    start = pd.Timestamp("2026-04-27", tz="Asia/Shanghai")
    week = prs[(prs["merged_at"] >= start) & (prs["merged_at"] < start + pd.Timedelta(days=7))]
    spelled = re.compile(r"(?i)\bd(eep)?s(eek)?[ _-]?v4\b|\bdpsk v4\b")
    zoo = re.compile(r"/models/\w+\.py$")
    want = {int(r.number) for r in week.itertuples()
            if spelled.search(r.title) or (any(zoo.search(f["filename"]) for f in r.files)
                                           and all("deepseek_v4" in f["filename"] for f in r.files if zoo.search(f["filename"])))}
    assert len(want) >= 15
    assert want <= set(stories[0]["numbers"]), sorted(want - set(stories[0]["numbers"]))
    others = {n for t in data["themes"] if t is not stories[0] for n in t["numbers"]}
    assert not want & others
    md = (out / "report.md").read_text(encoding="utf-8")
    assert assert_markdown_numbers_in_json(md, data) > 200
    if lang == "zh":
        assert not re.search(r"\| (feat|fix|chore)(\(\w+\))?: ", md)  # no prefix noise in the table
