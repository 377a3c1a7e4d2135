"""What a PR's own text states: measured gains, hardware, dependency versions.

This is the reading of a PR's text that a report's sentences quote. It sits below the report
(and, as the title work moves here, below the features), so a sentence's facts come from one
place. A fact is quoted only when the text states it as a measurement of this PR:

- a gain is a percentage or a multiplier in the title or in one sentence of the description
  that also names what was measured (throughput, latency, TTFT, memory, "faster"...);
- a shape is not a gain: `4 x 2048`, `4x2048`, `128x128` are sizes;
- below the noise floor it is not quoted: under NOISE_PCT percent, or a multiplier under
  MIN_TIMES (a 0.46% change is run-to-run noise of the benchmarks PRs quote);
- a pasted log line is not read, and a percentage with neither a sign nor a word for a change
  ("KV cache usage: 100%") is a level, not a gain;
- its direction is read from the sign and the words around it, and it is quoted only when it
  is an improvement: up for throughput and speed, down for latency and memory. A "-6.19%
  latency" is a 6.19% latency reduction and is said that way, never as a bare negative;
- its scope: a sentence about one function, kernel or op ("method level benchmark",
  "microbenchmark", "kernel-level") is a component figure and says so; a figure of a named
  end-to-end metric (throughput, latency, TTFT, TPOT, ITL, memory) is end-to-end; a bare
  "faster" is unstated. Only end-to-end figures lead the week's summary.
"""

from __future__ import annotations

import re

from .features import raw_prefix_tags
from .taxonomy import Taxonomy

MAX_TEXT = 200  # characters a title may contribute to a report
MAX_BODY = 20_000  # characters of a PR description read for facts
NOISE_PCT = 2.0  # a percentage change below this is not quoted
MIN_TIMES = 1.1  # nor a multiplier below this

RANGE_X_RE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*[-–~]\s*(\d+(?:\.\d+)?)\s*[x×](?![\w])(?!\s*\d)")
X_RE = re.compile(r"(?<![\w.×*])(\d+(?:\.\d+)?)\s*[x×](?![\w])(?!\s*[\d(])")
PCT_RE = re.compile(r"(?<![\w.])([+-]?\d+(?:\.\d+)?)\s*%")
GAIN_CONTEXT_RE = re.compile(r"speed ?up|faster|throughput|latency|improv\w*|perf\w*|tpot|ttft|itl|e2e|tok(ens)?/s|"
                             r"reduc\w*|gain|boost|less memory|memory", re.I)
# What was measured, and which way is better.
METRICS = (
    ("throughput", r"throughput|tok(?:en)?s?/s|qps|req(?:uest)?s?/s|bandwidth", "up"),
    ("ttft", r"ttft|time to first token", "down"),
    ("tpot", r"tpot|time per output token", "down"),
    ("itl", r"itl|inter-token latency", "down"),
    ("latency", r"latency|latencies|e2el|step time|wall time", "down"),
    ("memory", r"memory|vram|footprint", "down"),
    ("speedup", r"speed ?-?ups?|faster|accelerat\w*", "up"),
    ("e2e", r"e2e|end-to-end", "up"),
)
METRIC_RES = [(name, re.compile(rf"\b(?:{pat})", re.I)) for name, pat, _ in METRICS]  # most specific first
BETTER = {name: way for name, _, way in METRICS}
END_TO_END = frozenset({"throughput", "ttft", "tpot", "itl", "latency", "e2e", "memory"})
COMPONENT_RE = re.compile(r"micro-?bench\w*|method[- ]level|op[- ]level|kernel[- ]level|function[- ]level|unit[- ]bench\w*"
                          r"|in isolation|(?:this|the) (?:function|method|op|kernel)\b", re.I)
DOWN_WORDS_RE = re.compile(r"reduc\w*|less|lower\w*|drop\w*|decreas\w*|sav(?:e|es|ed|ing)|cut\w*|shorter|fewer", re.I)
UP_WORDS_RE = re.compile(r"improv\w*|increas\w*|higher|more|faster|boost\w*|gain\w*|speed ?-?ups?|up\b", re.I)
HARDWARE_RE = re.compile(
    r"\b(GB[23]00|[HB][12]00|H20|A100|A10G?|L40S?|L4|MI\d{3}X?|MI3xx|Gaudi\s?\d?|Ascend\s?\d{3}\w*|910[BC]|310P"
    r"|SM\s?_?\d{2,3}[a-z]?|gfx\d{3,4}\w*|Hopper|Blackwell|Ampere|Jetson \w+|RISC-V|Trainium\d?|Inferentia\d?|TPU\s?v\d\w*)\b",
    re.I)
DEP_BUMP_RE = re.compile(r"\b(?:bump|update|upgrade|pin|downgrade|require)\s+`?([A-Za-z][\w.+-]*)`?(?:\s+version)?"
                         r"(?:\s+from\s+\S+)?\s+(?:to\s+)?v?`?(\d+(?:\.\d+)+[\w.+-]*)", re.I)
DEP_SPEC_RE = re.compile(r"`?([A-Za-z][\w-]*)\s*(==|>=|<=|~=|<|>)\s*(\d[\w.]*)`?")
LOG_LINE_RE = re.compile(r"\b(?:INFO|WARNING|DEBUG|ERROR)\b.{0,80}\[[\w./-]+\.py:\d+\]|\bpid=\d+|^\s*\(\w+ pid=")
SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?;])\s+|\n")


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


TOKEN_SPLIT_RE = re.compile(r"[\s/,:;()\[\]{}]+")


def names_key(title: str, key: str) -> bool:
    """Whether a title names a topic key (normalized: lower case, letters and digits): some word
    of it starts with the key, so `qwen3` is named by "Qwen3.5" and "Qwen3-Next", `rope` is not
    by "Europe"."""
    return bool(key) and any(_key(tok).startswith(key) for tok in TOKEN_SPLIT_RE.split(title))


def names_a_topic(name: str, titles: list[str], min_tagged: int) -> bool:
    """Whether a word the week's titles share can name a story: it is spelled as a name (a digit,
    inner capitals or an acronym: MXFP4, FlashInfer, Qwen3), names hardware, or opens at least
    `min_tagged` of the titles as a `[Tag]`. A plain word ("Match", "Atlas") is none of these."""
    if sum(_key(name) in {_key(t) for t in raw_prefix_tags(title)} for title in titles) >= min_tagged:
        return True
    return bool(HARDWARE_RE.fullmatch(name) or re.search(r"\d", name) or re.search(r"[a-z][A-Z]", name)
                or re.fullmatch(r"[A-Z]{2,}[\w.-]*", name))


def _num(x: str) -> str:
    return x.rstrip("0").rstrip(".") if "." in x else x


def sentences(title: str, body: str | None) -> list[tuple[str, str]]:
    """(source, sentence) of the title and of the head of the description, in order."""
    out = [("title", title[:4 * MAX_TEXT])]
    out += [("body", s) for s in SENTENCE_SPLIT_RE.split((body or "")[:MAX_BODY]) if s.strip()]
    return out


def _metric(sentence: str) -> str:
    """The most specific metric a sentence names ("E2E latency" is latency)."""
    return next((name for name, pat in METRIC_RES if pat.search(sentence)), "")


def read_gains(title: str, body: str | None) -> list[dict]:
    """The measured improvements a PR states, first stated first, each once (see the module's
    docstring for what counts): value, unit (% or x), metric, direction (up/down), scope
    (e2e/component) and source (title/body)."""
    gains: list[dict] = []
    for source, sentence in sentences(title, body):
        if not GAIN_CONTEXT_RE.search(sentence) or LOG_LINE_RE.search(sentence):
            continue  # nothing measured, or a pasted log line (its figures are levels of one run)
        metric = _metric(sentence)
        if not metric:
            continue  # a number with nothing measured beside it
        scope = "component" if COMPONENT_RE.search(sentence) else "e2e" if metric in END_TO_END else "unstated"
        found = []
        ranges = list(RANGE_X_RE.finditer(sentence))
        for m in ranges:
            lo, hi = float(m.group(1)), float(m.group(2))
            if MIN_TIMES <= lo < hi <= 1000:
                found.append({"text": f"{_num(m.group(1))}-{_num(m.group(2))}x", "value": hi, "unit": "x"})
        covered = [m.span() for m in ranges]
        for m in X_RE.finditer(sentence):
            if any(a <= m.start() < b for a, b in covered):
                continue
            if MIN_TIMES <= float(m.group(1)) <= 1000:
                found.append({"text": f"{_num(m.group(1))}x", "value": float(m.group(1)), "unit": "x"})
        for m in PCT_RE.finditer(sentence):
            v = float(m.group(1))
            if not NOISE_PCT <= abs(v) <= 1000:
                continue
            near = sentence[max(0, m.start() - 40):m.end() + 40]
            if m.group(1).startswith("-"):
                way = "down"
            elif m.group(1).startswith("+"):
                way = "up"
            elif DOWN_WORDS_RE.search(near):
                way = "down"
            elif UP_WORDS_RE.search(near):
                way = "up"
            else:
                continue  # a level ("cache usage: 100%"), or a change with no word for its direction
            if way != BETTER[metric]:
                continue  # a regression, or a figure whose direction the text does not make an improvement
            found.append({"text": f"{_num(m.group(1).lstrip('+-'))}%", "value": abs(v), "unit": "%", "direction": way})
        for g in found:
            g.setdefault("direction", BETTER[metric])  # "2x faster", "2x less memory": a multiplier is the gain
            g.update(metric=metric, scope=scope, source=source)
            gains.append(g)
    seen, uniq = set(), []
    for g in gains:
        if g["text"] not in seen:
            seen.add(g["text"])
            uniq.append(g)
    return uniq


def read_hardware(text: str) -> list[str]:
    hardware: list[str] = []
    for m in HARDWARE_RE.finditer(text):
        h = re.sub(r"\s+", " ", m.group(1))
        if re.match(r"(?i)sm", h):
            h = "SM" + re.sub(r"[^0-9a-z]", "", h[2:])
        h = h.upper() if re.fullmatch(r"(gb|h|b|a|l|mi|sm|gfx)[\s_\d\w]*", h, re.I) and not re.search(r"[a-z]{3}", h) else h
        h = h[0].upper() + h[1:] if h.isalpha() else h
        if h.lower() not in {x.lower() for x in hardware}:
            hardware.append(h)
    return hardware


def extract_facts(title: str, body: str, files: list[dict], tax: Taxonomy) -> dict:
    """Measured gains, hardware, dependency versions and requirement files, from a PR.
    Only the head of a long title or body is read: the facts a reader needs sit there, and a
    50 MB title must not cost minutes of regex scanning."""
    title = title[:4 * MAX_TEXT]
    text = f"{title}\n{(body or '')[:MAX_BODY]}"
    hardware = read_hardware(text)
    deps = [{"name": m.group(1).strip("`"), "version": m.group(2).strip("`")} for m in DEP_BUMP_RE.finditer(title)]
    deps += [{"name": m.group(1), "version": m.group(2) + m.group(3)} for m in DEP_SPEC_RE.finditer(title)
             if m.group(1).lower() not in {d["name"].lower() for d in deps}]
    dep_files = sorted({f["filename"] for f in files if tax.info(f["filename"]).dependency})
    platforms = sorted({p for f in files if (p := tax.platform_of(f["filename"]))})
    return {"gains": read_gains(title, body)[:3], "hardware": hardware[:4], "deps": deps[:3], "dep_files": dep_files[:5],
            "platforms": platforms}
