"""The title-to-Chinese rewriter (scorer/report/zhtitle.py) and the Chinese top table it feeds."""

from __future__ import annotations

import gzip
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, bench_file, examples
from scorer.prtext import clean_title
from scorer.report.zhtitle import is_identifier, rewrite


@pytest.mark.parametrize("title, zh", [
    # The examples, word for word.
    ("Add `defer_loading` and `tool_reference` support for Anthropic and OpenAI APIs",
     "为 Anthropic 与 OpenAI API 新增 `defer_loading` 与 `tool_reference` 支持"),
    ("Enable FlashInfer top-k/top-p sampler by default", "默认启用 FlashInfer top-k/top-p 采样器"),
    ("Faster per-token fp8 group quant packed kernel for blackwell", "Blackwell 上更快的逐 token fp8 分组量化打包 kernel"),
    # The frame's other rules.
    ("[Bugfix] Fix persistent_topk inter-CTA init race on RadixRowState",
     "修复 RadixRowState 上的 persistent_topk inter-CTA 初始化竞争"),
    ("[Model] Add support for moonshotai/Kimi-Audio-7B-Instruct", "新增 moonshotai/Kimi-Audio-7B-Instruct 支持"),
    ("[Attention][MLA] Re-enable FA4 as default MLA prefill backend", "重新启用 FA4 作为默认 MLA prefill 后端"),
    ("Update to transformers v5", "更新到 Transformers v5"),
    ("[WideEP] Remove naive all2all. Use allgather_reducescatter instead", "移除朴素 All2All，并改用 allgather_reducescatter"),
    ("[Build] Switch default CUDA to 13.0, update CUDA architecture lists, clean up stale build-args",
     "将默认 CUDA 切换为 13.0，更新 CUDA 架构列表，并清理过时的构建参数"),
    ("GLM4 tool parser: fix streaming mode", "GLM4 工具调用解析器：修复流式模式"),
    ("[ROCm] Fix crash in the scheduler", "ROCm 上修复调度器中的崩溃"),
    ("[Models] Allow converting Qwen3-VL into Reranker model", "允许将 Qwen3-VL 转换为 Reranker 模型"),
    ("[MM] Align the prefix of MMEncoderAttention with Attention", "将 MMEncoderAttention 的前缀与 Attention 对齐"),
    ("[Docs] Document NVFP4 GEMM", "为 NVFP4 GEMM 补充文档"),
    ("Document multi-proc method selection for profiling", "为性能剖析补充 multi-proc 方法选择的文档"),
    ("[Doc]Add the user_guide doc file regarding fine-grained TP.", "新增关于细粒度 TP 的 user_guide 文档文件"),
    ("[Bugfix] Properly set distributed_executor_backend in ParallelConfig",
     "在 ParallelConfig 中正确地设置 distributed_executor_backend"),
    ("[CI] Nightly test for releases/v0.18.0", "面向 releases/v0.18.0 的 nightly 测试"),
    ("[MoE Refactoring][Bugfix]Wrap WNA16 Triton kernel into mk and change compressed tensor kernel selection",
     "在 mk 中封装 WNA16 Triton kernel，并修改压缩张量 kernel 选择"),
    ("[CI][Tracing] Fix race condition by adding server readiness check", "通过新增服务 readiness 检查修复竞态条件"),
    ("[CI] Temporarily skip DeepSeek V4 test due to PR conflicts", "因 PR 冲突临时跳过 DeepSeek V4 测试"),
    ("[Bugfix] Fix pooling crash due to a stale cache", "修复由过时的缓存导致的池化崩溃"),
    ("[CI] Added the nightly test case DeepSeek-V4-Flash-W8A8-A3 and fixed the failed weekly test case.",
     "新增 nightly 测试用例 DeepSeek-V4-Flash-W8A8-A3，并修复失败的每周测试用例"),
    ("[Misc] Install numactl in Docker images", "在 Docker 镜像中安装 numactl"),
    ("[Feature] Verify and support Qwen3-ASR-1.7B", "验证并支持 Qwen3-ASR-1.7B"),
])
def test_rewrites_titles_the_chinese_way(title, zh):
    r = rewrite(title)
    assert r.fitted and r.text == zh, r


@pytest.mark.parametrize("title", [
    "[Feat] DeepSeek V4 Rebased",  # nothing to translate: the English title beside the area
    "[Misc] Make it simpler to replace out-of-tree layer classes with related LoRA layers.",
    "[Misc] fix this log format not space",
    "[Bugfix] Fix `RuntimeError: Already borrowed` that degrades VLM serving throughput under concurrent load.",
    # "and <a verb that is a noun too>" with nothing to decide it: either reading may be wrong
    "[BugFix] Add sleep to fix tight loop and release GIL",
    "[CI] Add multi-hardware wheel build and release workflow",
    "[Frontend] Gracefully handle missing chat template and fix CI failure",  # an adverb the glossary lacks
    "Properly check if all fused layers are in the list of targets",  # "check if": whether, not when
    "Document how to use X",
    "[Bugfix][MRV2]Skip D2H copy and synchronize when spec decode is not active",  # the condition's scope
    "[CI]Upgrade Mooncake to 0.3.9 and Image Misc",  # where the destination ends
    "[BugFix]Get mamba cached block failed",  # a failure stated, not an object
    "fix wrong using getattr to get dict value",  # an adjective without its noun
])
def test_titles_no_rule_reads_are_not_forced(title):
    r = rewrite(title)
    assert not r.fitted and r.text == re.sub(r"\s*\(#\d+\)$", "", clean_title(title)).rstrip(" ."), r


def test_a_taxonomy_glossary_extends_the_field_words(tmp_path):
    from scorer.taxonomy import load_taxonomy

    assert not rewrite("Fix torchair graph warmup").fitted or "torchair" in rewrite("Fix torchair graph warmup").text
    text = (ROOT / "scorer" / "taxonomies" / "default.yaml").read_text() + "\nglossary:\n  torchair graph: TorchAir 图模式\n"
    (tmp_path / "t.yaml").write_text(text)
    tax = load_taxonomy(str(tmp_path / "t.yaml"))
    assert rewrite("Fix torchair graph warmup", tax.glossary).text == "修复 TorchAir 图模式预热"
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("TorchAir 图模式", "[1, 2]"))
    from scorer.errors import ScorerError
    with pytest.raises(ScorerError, match="glossary"):
        load_taxonomy(str(bad))


def identifiers(title: str) -> list[str]:
    """The tokens a Chinese summary must keep as written: code, names with capitals or digits,
    numbers and versions (a sentence's plain English words are what gets translated)."""
    # A series marker opening or closing the title ("2/N", "[3/N]") may go: it is not content.
    text = re.sub(r"^[\[(]?\d+\s*/\s*(\d+|n)[\])]?[\s:.-]*|\s*[\[(]\d+\s*/\s*(\d+|n)[\])]\s*$", " ",
                  clean_title(title).strip(), flags=re.I)
    toks = re.findall(r"`[^`]+`|[\w][\w.+/-]*[\w+]|\w", text)
    return [t for t in toks if is_identifier(t) and (t.startswith("`") or any(c.isdigit() for c in t)
                                                     or any(c.isupper() for c in t[1:]) or "_" in t)]


def kept(title: str, summary: str) -> tuple[int, int]:
    ids = identifiers(title)
    low = summary.lower()
    return sum(t.lower() in low or (t.endswith("s") and t[:-1].lower() in low) for t in ids), len(ids)


@given(st.lists(st.sampled_from(list("abcXYZ019_`[]()/.,:;- ") + [
    "Add ", "Fix ", "support ", "for ", "on ", "ROCm ", "by default ", "to ", "and ", "with ", "`x_y` ", "v2 ",
    "kernel ", "the ", "Qwen3 ", "Enable ", "[Bugfix] ", "instead", "as default ", "2/N "]), max_size=30).map("".join))
@settings(max_examples=examples(300))
def test_rewrite_is_total_and_keeps_identifiers(title):
    """Any text: no exception, the same answer twice, never cut, and a rewrite keeps every
    identifier the title has."""
    r = rewrite(title)
    assert r == rewrite(title)
    assert len(r.text) <= max(200, len(title))
    if r.fitted:
        got, total = kept(title, r.text)
        assert got == total, (title, r.text)


def test_vllm_2026_titles_keep_their_identifiers_and_mostly_fit():
    """Over every vLLM PR merged in 2026 (the titles the rules were built on): at least 95% of the
    identifiers, names and numbers are kept in the Chinese summaries, and most titles fit a rule."""
    path = bench_file("vllm", "prs.jsonl.gz")
    titles = [json.loads(line)["title"] for line in gzip.open(path, "rt")]
    titles = [t for t, line in zip(titles, gzip.open(path, "rt")) if json.loads(line)["merged_at"] >= "2026"]
    rs = [rewrite(t) for t in titles]
    got = total = 0
    for t, r in zip(titles, rs):
        g, n = kept(t, r.text)
        got, total = got + g, total + n
    assert total > 3000 and got / total >= 0.95, got / total
    assert sum(r.fitted for r in rs) / len(rs) >= 0.65


@pytest.mark.parametrize("week", ["2026-W17", "2026-W18"])
def test_vllm_zh_top_tables_say_what_each_pr_does(tmp_path, week):
    """vLLM's zh top tables: no two rows share a summary, no summary is only an area and a kind,
    and each keeps the identifiers, names and numbers of its title."""
    from click.testing import CliRunner

    from scorer.cli import main

    prs = bench_file("vllm", "prs.jsonl.gz")
    res = CliRunner().invoke(main, ["score", "--prs", str(prs), "--model", str(ROOT / "models" / "generic-importance"),
                                    "--week", week, "--lang", "zh", "--format", "json", "-o", str(tmp_path)])
    assert res.exit_code == 0, res.output
    top = json.loads((tmp_path / "vllm" / week / "zh" / "report.json").read_text(encoding="utf-8"))["top"]
    summaries = [p["summary"] for p in top]
    assert len(top) >= 10 and len(set(summaries)) == len(summaries), summaries
    for p in top:
        assert p["summary"] not in (p["area"], f"{p['area']}{p['kind']}", f"{p['area']} {p['kind']}"), p
        assert p["summary"].strip("：: ") != p["area"]
        got, total = kept(p["title"], p["summary"])
        assert got == total, (p["title"], p["summary"])


# Samples of 150 vllm-ascend and 50 demo titles the rules were not built on, graded by
# tests/fixtures/zh_titles_rubric.md (`grade`; `grade_first` is the first grading, before the bugs
# it found were fixed; the second and third samples were each drawn and graded once, with the rules
# frozen after the previous sample's fixes: their grades are the held-out measure, wrong ones kept;
# the fourth is drawn from vllm-ascend titles merged in 2026, after the ones its taxonomy glossary
# was built from).
HELDOUT = {"zh_titles_heldout.jsonl": 0.64, "zh_titles_heldout2.jsonl": 0.62, "zh_titles_heldout3.jsonl": 0.60,
           "zh_titles_heldout4.jsonl": 0.69, "zh_titles_heldout5.jsonl": 0.69, "zh_titles_heldout6.jsonl": 0.67,
           "zh_titles_heldout7.jsonl": 0.72}


def _ascend_titles() -> dict[int, str]:
    """The vllm-ascend titles the samples name by PR number (the shared data stays in ../shared)."""
    with gzip.open(bench_file("vllm-ascend", "prs.jsonl.gz"), "rt", encoding="utf-8") as fh:
        return {d["number"]: d["title"] for d in map(json.loads, fh)}


@pytest.mark.parametrize("name", list(HELDOUT))
def test_heldout_titles_do_not_regress(name):
    """Every summary graded faithful and fluent must stay as graded, and none graded wrong may
    come back: a rule change that moves them needs a new grading. A vllm-ascend row names its PR
    by number; its title is read from the shared table."""
    from scorer.taxonomy import load_taxonomy

    rows = [json.loads(line) for line in (ROOT / "tests" / "fixtures" / name).read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 200 and {r["source"] for r in rows} == {"ascend", "demo"}
    titles = _ascend_titles()
    for r in rows:
        if r["source"] == "ascend":
            r["title"] = titles[r["number"]]
    glossary = load_taxonomy("vllm-ascend").glossary
    moved = []
    for r in rows:
        got = rewrite(r["title"], glossary if r["source"] == "ascend" else None)
        now = got.text if got.fitted else None
        if r["grade"] == "A" and now != r["summary"]:
            moved.append((r["title"], r["summary"], now))
        assert not (r["grade"] == "D" and now == r["summary"]), r
        assert not (r["grade_first"] == "D" and now == r["summary_first"]), r  # the first grading's wrong ones
    assert not moved, moved[:5]
    share = sum(r["grade"] == "A" for r in rows) / len(rows)
    assert share >= HELDOUT[name]
