"""Label stage: every way a user gets labels, into one labels table.

The labels table has one row per PR: ``repo, number``, an optional ``importance``
(0-10), one ``tag:<name>`` column per tag (1, 0, or empty = unlabeled; never 0 for
"unknown"), an optional ``mentioned`` flag and ``source``. Several tables merge on
``(repo, number)``; two sources giving different values for one cell is a conflict.
"""

from .table import (KEY, NON_RISK_TAGS, RULE_TAGS, TAG_NAMES, load_labels, merge_labels, save_labels,
                    summarize_labels, tag_columns, tag_name)
from .outcomes import check_pairs_match, find_reverts, load_szz_pairs, outcome_labels
from .release_notes import (DEFAULT_NOTE_SCORES, NOTE_COLUMNS, load_release_notes, parse_changelog,
                            release_note_labels, release_windows)
from .reports import parse_report, report_labels
from .rules import rule_flags, rule_labels

__all__ = ["KEY", "NON_RISK_TAGS", "RULE_TAGS", "TAG_NAMES", "DEFAULT_NOTE_SCORES", "NOTE_COLUMNS",
           "check_pairs_match", "find_reverts", "load_labels", "load_release_notes", "load_szz_pairs",
           "merge_labels", "outcome_labels", "parse_changelog", "parse_report", "release_note_labels",
           "release_windows", "report_labels", "rule_flags", "rule_labels", "save_labels", "summarize_labels",
           "tag_columns", "tag_name"]
