"""Rendering a report's context: the Jinja environment and its filters, Chinese typesetting, the
small Markdown-to-HTML step, the page's charts, and writing the formats atomically. Every figure
is already in the context (report.json); this module only turns it into text.
"""

from __future__ import annotations

import functools
import json
import math
import re
from pathlib import Path

import numpy as np
from jinja2 import Environment

from ..fileio import atomic_dir, json_safe
from .jinja_env import environment

SECTIONS = ["header", "summary", "themes", "trends", "risks", "top", "notice", "track", "recommendations"]
OPTIONAL = frozenset({"track"})  # sections a report has only when it has their data (the ledger's track record)

CJK = "\u3400-\u4dbf\u4e00-\u9fff"

CJK_PUNCT = "，。、；：！？（）「」『』《》"

def cjk_spacing(text: str) -> str:
    """Chinese typesetting: a space between CJK and Latin letters, digits or `#`, none after CJK
    punctuation. Code spans and link targets are left as they are."""
    parts = re.split(r"(`[^`\n]*`|\]\([^)\s]*\))", text)
    for i in range(0, len(parts), 2):
        t = parts[i]
        t = re.sub(rf"([{CJK}])([A-Za-z0-9#\[`])", r"\1 \2", t)
        t = re.sub(rf"([A-Za-z0-9%\)\]`])([{CJK}])", r"\1 \2", t)
        t = re.sub(rf"([{CJK_PUNCT}]) +", r"\1", t)
        parts[i] = t
    out = "".join(parts)
    # A code span or a link next to CJK text gets its space too.
    out = re.sub(rf"([{CJK}])(`[^`\n]*`)", r"\1 \2", out)
    return re.sub(rf"(`[^`\n]*`|\]\([^)\s]*\))([{CJK}])", r"\1 \2", out)


@functools.lru_cache(maxsize=4)
def report_env(lang: str, precompiled: bool = True) -> Environment:
    """One Jinja environment per language: templates compile once per process, or not at all
    when the package's precompiled modules match them (compiling a report's dozen templates took
    60 ms of every fresh `scorer score`; see scorer.report.jinja_env)."""
    # A paragraph written over several template lines, joined into one (no space between
    # Chinese sentences, one space between English ones); English plurals: {{ n | plural("PR") }}
    # gives "1 PR", "3 PRs".
    filters = {
        "signed": lambda v: f"{v:+g}" if isinstance(v, (int, float)) else str(v),
        "plain": lambda text: str(text).replace("\\<", "<"),  # Markdown's escaped `<`, for HTML
        "prlist": lambda nums: ", ".join(f"#{n}" for n in nums),
        "oneline": lambda text: re.sub(r" {2,}", " ", ("" if lang == "zh" else " ").join(
            line.strip() for line in str(text).splitlines() if line.strip())),
        "plural": lambda n, word, many=None: f"{n} {word if n == 1 else (many or word + 's')}",
        "gain": lambda g: say_gain(g, lang),
    }
    return environment(lang, filters, precompiled)


GAIN_WORDS = {"throughput": ("吞吐", "throughput"), "ttft": ("TTFT", "TTFT"), "tpot": ("TPOT", "TPOT"),
              "itl": ("ITL", "ITL"), "latency": ("延迟", "latency"), "memory": ("内存占用", "memory"),
              "speedup": ("速度", "speed"), "e2e": ("端到端性能", "end-to-end performance")}

def say_gain(g: dict, lang: str) -> str:
    """A measured gain with its metric, direction and unit: 吞吐提升 13%, latency down 6.19%."""
    zh, en = GAIN_WORDS.get(g.get("metric", ""), ("性能", "performance"))
    up = g.get("direction", "up") == "up"
    part = g.get("scope") == "component"
    if lang == "zh":
        return f"{zh}{'提升' if up else '降低'} {g['text']}" + (" (组件级基准)" if part else "")
    return f"{en} {'up' if up else 'down'} {g['text']}" + (" (component benchmark)" if part else "")


def render_sections(ctx: dict) -> list[tuple[str, str]]:
    """(section name, its Markdown) in the report's order."""
    env = report_env(ctx["lang"])
    names = ["header", "empty"] if ctx["empty"] else SECTIONS
    out = [(s, env.get_template(f"{s}.md.j2").render(**ctx).rstrip("\n") + "\n") for s in names
           if s not in OPTIONAL or ctx.get(s)]
    if ctx["lang"] == "zh":
        out = [(s, cjk_spacing(md)) for s, md in out]
    return out


def render_markdown(ctx: dict) -> str:
    return "\n".join(md for _, md in render_sections(ctx))


# Which chart sits beside which section of the page.
CHART_OF = {"themes": "themes", "top": "importance", "risks": "risks"}


def chart_geometry(ctx: dict) -> dict[str, dict]:
    """Geometry of the page's three SVG charts; the templates draw them and write their captions."""
    out: dict[str, dict] = {}
    for key in ("themes", "risks"):
        data = ctx["charts"][key]
        top = max((c for _, c in data), default=0) or 1
        label_w, bar_w = 170, 200
        out[key] = {"kind": "bar", "caption": f"{key}_chart", "width": label_w + bar_w + 40,
                    "height": 24 * max(len(data), 1) + 6, "label_w": label_w,
                    "bars": [{"label": name if len(name) <= 24 else name[:23] + "…", "value": c,
                              "y": 3 + 24 * i, "w": round(bar_w * c / top, 1)} for i, (name, c) in enumerate(data)]}
    counts, edges = np.histogram(ctx["charts"]["importance"], bins=20, range=(0, 10))
    width, height, left, top_y, base = 420, 200, 40, 10, 166
    step = (width - left - 10) / len(counts)
    peak = int(counts.max()) if len(counts) and counts.max() > 0 else 1
    ystep = max(1, math.ceil(peak / 4))
    out["importance"] = {
        "kind": "hist", "caption": "importance_chart", "width": width, "height": height,
        "base": base, "top": top_y, "left": left, "max": peak,
        "bars": [{"x": round(left + i * step + 1, 1), "w": round(step - 2, 1),
                  "h": round((base - top_y) * c / peak, 1), "y": round(base - (base - top_y) * c / peak, 1),
                  "value": int(c), "label": f"{edges[i]:g}-{edges[i + 1]:g}"} for i, c in enumerate(counts)],
        "ticks": [{"x": round(left + i * 2 * step, 1), "label": str(i)} for i in range(0, 11)],
        "yticks": [{"y": round(base - (base - top_y) * v / peak, 1), "label": str(v)} for v in range(0, peak + 1, ystep)],
    }
    return out


def render_html(ctx: dict, sections: list[tuple[str, str]] | None = None) -> str:
    """The reader's page: headline cards, each section with its chart beside it, the top table
    with tag chips and each PR's reasons on demand. Same figures as report.md and report.json."""
    env = report_env(ctx["lang"])
    charts = chart_geometry(ctx) if not ctx["empty"] else {}
    parts = []
    for name, md in sections or render_sections(ctx):
        html = (env.get_template("top.html.j2").render(ctx=ctx, heading=md_to_html(md.split("\n", 1)[0]))
                if name == "top" else md_to_html(md))
        if name == "trends":
            html = _full_paths_on_hover(html, ctx)
        parts.append({"name": name, "html": html, "chart": charts.get(CHART_OF.get(name, ""))})
    return env.get_template("report.html.j2").render(ctx=ctx, sections=parts)


def _full_paths_on_hover(html: str, ctx: dict) -> str:
    """The trends name files by their short names (`chat_utils.py`); the page shows each one's
    full path when hovered."""
    import html as h

    full = {}
    for m in ctx.get("trends", []):
        for short, path in zip(m.get("hot_short", []), m.get("hot_files", [])):
            full.setdefault(short, path)
    for short, path in full.items():
        html = html.replace(f"<code>{h.escape(short, quote=False)}</code>",
                            f'<code title="{h.escape(path)}">{h.escape(short, quote=False)}</code>')
    return html


def md_to_html(md: str) -> str:
    """The small Markdown subset the templates emit: headings, paragraphs, lists, tables, links, code."""
    import html as h

    def inline(s: str) -> str:
        s = h.escape(s.replace("\\<", "<"), quote=False)
        s = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r'<a href="\2">\1</a>', s)
        s = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", s)
        return re.sub(r"`([^`]+)`", r"<code>\1</code>", s)

    out, lines, i = [], md.splitlines(), 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        m = re.match(r"^(#{1,6})\s+(.*)", line)
        if m:
            lvl = len(m.group(1))
            out.append(f"<h{lvl}>{inline(m.group(2))}</h{lvl}>")
            i += 1
        elif line.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                rows.append([c.strip() for c in lines[i].strip().strip("|").split("|")])
                i += 1
            body = [r for r in rows[1:] if not set("".join(r)) <= set("-: ")]
            out.append("<table><thead><tr>" + "".join(f"<th>{inline(c)}</th>" for c in rows[0]) + "</tr></thead><tbody>"
                       + "".join("<tr>" + "".join(f"<td>{inline(c)}</td>" for c in r) + "</tr>" for r in body)
                       + "</tbody></table>")
        elif re.match(r"^(\d+\.|-)\s", line):
            tag = "ol" if line[0].isdigit() else "ul"
            items = []
            while i < len(lines) and re.match(r"^(\d+\.|-)\s", lines[i]):
                items.append(re.sub(r"^(\d+\.|-)\s+", "", lines[i]))
                i += 1
            out.append(f"<{tag}>" + "".join(f"<li>{inline(x)}</li>" for x in items) + f"</{tag}>")
        else:
            para = []
            while i < len(lines) and lines[i].strip() and not re.match(r"^(#|\||-\s|\d+\.\s)", lines[i]):
                para.append(lines[i])
                i += 1
            out.append(f"<p>{inline(' '.join(para))}</p>")
    return "\n".join(out)


def write_report(ctx: dict, scores_writer, out_dir: Path, formats: list[str]) -> list[Path]:
    """Write scores.csv and the requested formats into `out_dir`, all or nothing."""
    sections = render_sections(ctx)
    md = "\n".join(text for _, text in sections)
    with atomic_dir(out_dir) as tmp:
        scores_writer(tmp / "scores.csv")
        return [out_dir / "scores.csv"] + write_formats(tmp, out_dir, ctx, md, lambda: render_html(ctx, sections), formats)


def write_formats(tmp: Path, out_dir: Path, ctx: dict, md: str, html, formats: list[str]) -> list[Path]:
    """report.md / report.html / report.json of one report into `tmp` (the directory being built
    for `out_dir`); `html` renders the page only when it is asked for. Returns the final paths."""
    texts = {"md": lambda: md, "html": html,
             "json": lambda: json.dumps(json_safe(ctx, 6), indent=2, ensure_ascii=False) + "\n"}
    written = []
    for fmt in ("md", "html", "json"):
        if fmt in formats:
            (tmp / f"report.{fmt}").write_text(texts[fmt](), encoding="utf-8")
            written.append(out_dir / f"report.{fmt}")
    return written
