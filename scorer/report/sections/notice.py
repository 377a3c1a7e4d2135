"""Section 6, what users will notice: every PR of the week that flips a default, deprecates or
removes something users hold, adds, renames or removes an option or environment variable, or
moves a framework or platform to a new version (prtext.notice_kind reads which), each with the
sentence that says what changes for a user. The list is complete by construction: every PR of
the week the rule reads is in it, and the claims check recounts it from the table."""

from __future__ import annotations

from ...prtext import NOTICE_KINDS, framework_versions, notice_kind
from ..week import WeekData, pr_ref

NOTICE_NAMES = {"default": ("默认行为变更", "Defaults changed"), "deprecation": ("弃用", "Deprecations"),
                "removal": ("移除", "Removals"), "option": ("选项与环境变量", "Options and environment variables"),
                "dependency": ("依赖与平台版本", "Dependency and platform versions")}


def pr_notice(title: str, kind: str, files: list[dict], tax) -> str | None:
    """The notice kind of one PR, from its title, change kind and the paths it touches."""
    infos = [tax.info(f["filename"]) for f in files]
    return notice_kind(title, kind, any(i.interface for i in infos), any(i.dependency for i in infos))


def build(w: WeekData, repo: str) -> list[dict]:
    """The week's user-visible changes, grouped by kind in NOTICE_KINDS order, most important
    first within a kind."""
    groups: dict[str, list[dict]] = {k: [] for k in NOTICE_KINDS}
    for num, r in w.records.items():  # ranked order: most important first
        kind = pr_notice(r["title"], r["kind_id"], w.files_of.get(num, []), w.tax)
        if kind is None:
            continue
        groups[kind].append({**pr_ref(r), "title": r["title_clean"], "url": f"https://github.com/{repo}/pull/{num}",
                             "versions": framework_versions(r["title"]) if kind == "dependency" else []})
    return [{"kind": k, "name": NOTICE_NAMES[k][w.li], "prs": items} for k, items in groups.items() if items]
