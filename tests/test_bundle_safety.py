"""A bundle is data: loading it never runs code, reads nothing outside it, and a killed save
never leaves the target path without a complete bundle."""

from __future__ import annotations

import json
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from scorer.bundle import KEY_ENV, load_bundle, save_bundle
from scorer.cli import main
from scorer.errors import ScorerError
from scorer.fileio import atomic_dir, recover_dir, sha256_file

ROOT = Path(__file__).parents[1]
SHIPPED = ROOT / "models" / "generic-importance"


class Payload:
    """Unpickling this writes a marker file: the proof that a load ran code."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _copy(src: Path, dst: Path) -> Path:
    import shutil

    shutil.copytree(src, dst)
    return dst


def _remanifest(bundle: Path, **extra) -> None:
    """What an attacker who can write the bundle does: recompute every hash."""
    m = json.loads((bundle / "manifest.json").read_text())
    m["files"] = {p.name: sha256_file(p) for p in sorted(bundle.iterdir()) if p.is_file() and p.name != "manifest.json"}
    m.update(extra)
    (bundle / "manifest.json").write_text(json.dumps(m))


def test_planted_pickle_never_runs(tmp_path):
    marker = tmp_path / "ran"
    for fmt in (1, 2):
        b = _copy(SHIPPED, tmp_path / f"b{fmt}")
        (b / "model.joblib").write_bytes(pickle.dumps(Payload(str(marker))))
        _remanifest(b, format=fmt)
        if fmt == 1:
            with pytest.raises(ScorerError, match="old pickled format"):
                load_bundle(b)
        else:
            load_bundle(b)  # listed and hashed, but never read: a v2 bundle has no pickle to load
        # The same through the CLI.
        res = CliRunner().invoke(main, ["predict", "--prs", str(tmp_path / "none.jsonl"), "--model", str(b),
                                        "-o", str(tmp_path / "o.csv")])
        assert "Traceback" not in res.output
    assert not marker.exists()


@pytest.mark.parametrize("name", ["../../etc/passwd", "/proc/self/status", "sub/file.txt", ".."])
def test_manifest_paths_stay_inside_the_bundle(tmp_path, name):
    b = _copy(SHIPPED, tmp_path / "b")
    m = json.loads((b / "manifest.json").read_text())
    m["files"][name] = "0" * 64
    (b / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(ScorerError, match="not a file name inside the bundle"):
        load_bundle(b)


def test_document_cannot_name_files_outside_or_unlisted(tmp_path):
    b = _copy(SHIPPED, tmp_path / "b")
    doc = json.loads((b / "model.json").read_text())
    doc["importance"] = "../../../etc/passwd"
    (b / "model.json").write_text(json.dumps(doc))
    _remanifest(b)
    with pytest.raises(ScorerError):
        load_bundle(b)
    doc["importance"] = "other.txt"
    (b / "other.txt").write_text((b / "importance.txt").read_text())
    (b / "model.json").write_text(json.dumps(doc))
    m = json.loads((b / "manifest.json").read_text())
    m["files"]["model.json"] = sha256_file(b / "model.json")
    (b / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(ScorerError, match="not listed in the manifest"):
        load_bundle(b)


@pytest.mark.parametrize("change", [
    lambda d: d.update({"class": "os.system"}),
    lambda d: d["params"].update({"__class__": "x"}),
    lambda d: d["preprocessor"]["texts"].append({"name": "x", "column": "title", "type": "count",
                                                 "params": {"analyzer": "char", "dtype": "int64"}, "vocabulary": {}}),
    lambda d: d["params"].update({"seed": "0; import os"}),
    lambda d: d.update({"generic": {"class": "PRScorer", "params": {}, "tags": {}, "generic": {
        "class": "PRScorer", "params": {}, "tags": {}, "generic": {"class": "PRScorer", "params": {}, "tags": {}}}}}),
])
def test_crafted_documents_are_one_line_errors(tmp_path, change):
    b = _copy(SHIPPED, tmp_path / "b")
    doc = json.loads((b / "model.json").read_text())
    change(doc)
    (b / "model.json").write_text(json.dumps(doc))
    _remanifest(b)
    with pytest.raises(ScorerError):
        load_bundle(b)


@pytest.mark.parametrize("manifest", ["[]", '"x"', "{", '{"format": 2, "files": []}'])
def test_bad_manifests(tmp_path, manifest):
    b = _copy(SHIPPED, tmp_path / "b")
    (b / "manifest.json").write_text(manifest)
    with pytest.raises(ScorerError):
        load_bundle(b)


def test_manifest_or_card_that_is_a_directory(tmp_path):
    for name in ("manifest.json", "model_card.json"):
        b = _copy(SHIPPED, tmp_path / name)
        (b / name).unlink()
        (b / name).mkdir()
        res = CliRunner().invoke(main, ["predict", "--prs", "x", "--model", str(b), "-o", str(tmp_path / "o.csv")])
        assert res.exit_code == 2 and "Traceback" not in res.output and len(res.output.strip().splitlines()) == 1


def test_signed_bundles(tmp_path, monkeypatch):
    model, card = load_bundle(SHIPPED)
    monkeypatch.setenv(KEY_ENV, "k1")
    save_bundle(model, card, tmp_path / "signed")
    load_bundle(tmp_path / "signed")
    monkeypatch.setenv(KEY_ENV, "k2")
    with pytest.raises(ScorerError, match="not signed with the key"):
        load_bundle(tmp_path / "signed")
    monkeypatch.delenv(KEY_ENV)
    save_bundle(model, card, tmp_path / "plain")
    load_bundle(tmp_path / "plain")
    monkeypatch.setenv(KEY_ENV, "k1")
    with pytest.raises(ScorerError, match="unsigned"):
        load_bundle(tmp_path / "plain")


def test_round_trip_predicts_identically(tmp_path):
    """Save -> load -> save gives the same files, and the loaded model the same numbers."""
    import pandas as pd

    model, card = load_bundle(SHIPPED)
    save_bundle(model, card, tmp_path / "again")
    for p in SHIPPED.iterdir():
        assert (tmp_path / "again" / p.name).read_bytes() == p.read_bytes(), p.name
    again, _ = load_bundle(tmp_path / "again")
    from scorer.features import GENERIC_FEATURES
    rng = np.random.default_rng(0)
    f = pd.DataFrame(rng.random((50, len(GENERIC_FEATURES))) * 5, columns=GENERIC_FEATURES)
    assert np.array_equal(model.predict_importance(f), again.predict_importance(f))


WRITER = r"""
import sys, time
from pathlib import Path
from scorer.fileio import atomic_dir
target = Path(sys.argv[1]); i = 0
while True:
    i += 1
    with atomic_dir(target) as tmp:
        (tmp / "a").write_text(str(i))
        time.sleep(0.001)
        (tmp / "b").write_text(str(i))
"""


def test_killed_saves_always_leave_a_complete_target(tmp_path):
    target = tmp_path / "bundle"
    with atomic_dir(target) as tmp:
        (tmp / "a").write_text("0")
        (tmp / "b").write_text("0")
    rng = np.random.default_rng(1)
    for _ in range(15):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], cwd=ROOT)
        time.sleep(0.3 + float(rng.random()) * 0.3)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        recover_dir(target)  # what the next load or save does first
        a, b = (target / "a").read_text(), (target / "b").read_text()
        assert a == b, (a, b)
    with atomic_dir(target) as tmp:
        (tmp / "a").write_text("last")
        (tmp / "b").write_text("last")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle"]  # no stale .tmp/.old left


def test_recovery_restores_old_when_killed_between_renames(tmp_path):
    target = tmp_path / "r"
    old = tmp_path / ".r.old"
    old.mkdir()
    (old / "f").write_text("complete")
    recover_dir(target)
    assert (target / "f").read_text() == "complete" and not old.exists()


def test_full_model_predicts_identically_after_save_and_load(tmp_path):
    """Importance, every tag's calibrated probability and the contributions, on a trained demo
    model with text columns, isotonic and sigmoid calibration: the same numbers, bit for bit."""
    from scorer.features import compute_features
    from scorer.labels import load_labels
    from scorer.records import load_prs
    from scorer.simulate import write_sample
    from scorer.taxonomy import load_taxonomy
    from scorer.train import PRScorer

    paths = write_sample(tmp_path / "s", weeks=30, seed=3, prs_per_week=60)
    prs = load_prs(paths["prs"])
    feats = compute_features(prs, load_taxonomy("demo-engine"))
    model = PRScorer(taxonomy="demo-engine", repo="demo/engine").fit(
        feats, load_labels(paths["labels"]).drop(columns=["repo"]), prs["merged_at"])
    assert model.tags_ and model.importance_ is not None
    save_bundle(model, {"library_versions": {}}, tmp_path / "b")
    loaded, _ = load_bundle(tmp_path / "b")
    a_imp, a_tags = model.predict_all(feats)
    b_imp, b_tags = loaded.predict_all(feats)
    assert np.array_equal(a_imp, b_imp)
    assert a_tags.keys() == b_tags.keys() and all(np.array_equal(a_tags[t], b_tags[t]) for t in a_tags)
    assert {m.method for m in model.tags_.values()} <= {"isotonic", "sigmoid"}
    ca, na = model.contributions(feats.head(50))
    cb, nb = loaded.contributions(feats.head(50))
    assert np.array_equal(ca, cb) and list(na) == list(nb)
    assert not any(p.suffix in (".joblib", ".pkl") for p in (tmp_path / "b").iterdir())
    # Feature rows (the service's single-PR path) give the frame's matrix, dense, and its numbers.
    rows = feats.head(40).to_dict("records")
    X_rows, X_frame = loaded.transform(rows), loaded.transform(feats.head(40))
    assert isinstance(X_rows, np.ndarray) and X_rows.dtype == np.float32
    assert np.array_equal(X_rows, X_frame)
    # The loaded (scikit-learn-free) preprocessor gives the fitted ColumnTransformer's numbers, every row.
    assert "sklearn" not in type(loaded.preprocessor_).__module__
    assert np.array_equal(loaded.transform(feats), model.transform(feats).toarray())
    r_imp, r_tags = loaded.predict_all(rows, X_rows)
    assert np.array_equal(r_imp, b_imp[:40]) and all(np.array_equal(r_tags[t], b_tags[t][:40]) for t in b_tags)
    assert np.array_equal(loaded.contributions(rows, X_rows)[0], cb[:40])
    for one in rows[:5]:  # one row at a time, as a request scores it
        i = rows.index(one)
        assert np.array_equal(loaded.predict_all([one])[0], b_imp[i:i + 1])


def _tree_edit(text: str, what: str) -> str:
    lines = text.split("\n")
    i = next(k for k, line in enumerate(lines) if line.startswith("tree_sizes="))
    j = next(k for k, line in enumerate(lines) if line.startswith("left_child="))
    if what == "tree_sizes":
        lines[i] = "tree_sizes=" + " ".join(["17"] * len(lines[i].split(" ")))
    elif what == "child out of range":
        lines[j] = "left_child=" + " ".join(["999999"] + lines[j].split("=")[1].split(" ")[1:])
    elif what == "cycle":
        kids = lines[j].split("=")[1].split(" ")
        lines[j] = "left_child=" + " ".join(["0"] + kids[1:])
    elif what == "short array":
        k = next(k for k, line in enumerate(lines) if line.startswith("leaf_value="))
        lines[k] = lines[k].rsplit(" ", 1)[0]
    elif what == "feature index":
        k = next(k for k, line in enumerate(lines) if line.startswith("split_feature="))
        lines[k] = "split_feature=" + " ".join(["4000"] + lines[k].split("=")[1].split(" ")[1:])
    elif what == "truncated":
        return text[: len(text) // 3]
    return "\n".join(lines)


@pytest.mark.parametrize("what", ["tree_sizes", "child out of range", "cycle", "short array", "feature index",
                                  "truncated"])
def test_tampered_trees_are_refused_not_crashing(tmp_path, what):
    """LightGBM's own parser aborts the whole process (SIGABRT) on some damaged tree files; a
    bundle's trees are checked before LightGBM sees them. Run in a child process so that a
    regression shows as a failure here rather than killing the test run."""
    b = _copy(SHIPPED, tmp_path / "m")
    tree = b / "importance.txt"
    tree.write_text(_tree_edit(tree.read_text(), what))
    _remanifest(b)
    code = ("import sys\nfrom scorer.bundle import load_bundle\nfrom scorer.errors import ScorerError\n"
            f"try:\n    load_bundle({str(b)!r})\nexcept ScorerError as e:\n    print(e)\n    sys.exit(2)\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    if what == "tree_sizes":  # never trusted: recomputed from the checked trees, so the model loads intact
        assert res.returncode == 0, (res.returncode, res.stderr[-500:])
        return
    assert res.returncode == 2, (res.returncode, res.stderr[-500:])
    assert "importance.txt" in res.stdout and "not a valid LightGBM model" in res.stdout


def test_concurrent_writers_leave_one_complete_version(tmp_path):
    """Two processes replacing the same directory 25 times each: both succeed, the target
    always ends as one writer's complete version, and no temporary is left behind."""
    code = """
import sys
from pathlib import Path
from scorer.fileio import atomic_dir
me, target = sys.argv[1], Path(sys.argv[2])
for i in range(25):
    with atomic_dir(target) as tmp:
        for name in "abcd":
            (tmp / name).write_text(f"{me}-{i}")
"""
    target = tmp_path / "out"
    procs = [subprocess.Popen([sys.executable, "-c", code, w, str(target)], stderr=subprocess.PIPE, text=True)
             for w in ("p", "q")]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0 and "Traceback" not in err, err[-800:]
    values = {(target / n).read_text() for n in "abcd"}
    assert len(values) == 1 and values.pop() in {"p-24", "q-24"}
    assert sorted(x.name for x in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("name", ["/etc/passwd", "../../../tmp/evil", "../default", "/dev/zero", "default.yaml"])
def test_bundle_names_no_taxonomy_outside_itself(tmp_path, name):
    """model.json's taxonomy is a shipped taxonomy's name or the bundle's own copy: a path (even
    with the manifest recomputed) is refused with one line, before anything is read from it."""
    b = _copy(SHIPPED, tmp_path / "b")
    doc = json.loads((b / "model.json").read_text())
    doc["params"]["taxonomy"] = name
    (b / "model.json").write_text(json.dumps(doc))
    _remanifest(b)
    with pytest.raises(ScorerError, match="params.taxonomy must name a shipped taxonomy"):
        load_bundle(b)


def test_a_users_taxonomy_travels_inside_the_bundle(tmp_path):
    """Trained with --taxonomy FILE, the bundle carries its own copy (hashed by the manifest) and
    scores with it after the file is gone; an edited copy is refused; a FIFO or /dev/zero given
    as a taxonomy is refused without reading it."""
    from scorer.score import load_model, taxonomy_for
    from scorer.taxonomy import load_taxonomy

    demo = ROOT / "training_data" / "demo"
    own = tmp_path / "mine.yaml"
    own.write_text((demo / "taxonomy.yaml").read_text(encoding="utf-8").replace("display_name: Demo Engine",
                                                                                 "display_name: Acme Engine"))
    res = CliRunner().invoke(main, ["train", "--prs", str(demo / "history.jsonl.gz"), "--labels", str(demo / "labels.csv"),
                                    "--taxonomy", str(own), "--until", "2026-06-30", "-o", str(tmp_path / "m")])
    assert res.exit_code == 0, res.output
    manifest = json.loads((tmp_path / "m" / "manifest.json").read_text())
    assert "taxonomy.yaml" in manifest["files"]
    assert json.loads((tmp_path / "m" / "model.json").read_text())["params"]["taxonomy"] == "taxonomy.yaml"
    own.unlink()
    model, _ = load_model(tmp_path / "m")
    assert taxonomy_for(model, ["demo/engine"]).display_name == "Acme Engine"
    copy = tmp_path / "m" / "taxonomy.yaml"
    copy.write_text(copy.read_text().replace("Acme Engine", "Evil Engine"))
    with pytest.raises(ScorerError, match="does not match its manifest hash"):
        load_model(tmp_path / "m")
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        with pytest.raises(ScorerError, match="not a regular file"):
            load_taxonomy(str(path))


def test_a_tail_of_repeated_section_headers_loads_in_one_pass(tmp_path):
    """A tree text whose tail repeats "\\n\\nparameters:\\n" 200k times (manifest recomputed) froze
    the loader (a backtracking pattern: 3k repeats 0.55 s, 6k 2.3 s): it is refused or loaded, in
    a child process that must finish well within the test's timeout."""
    b = _copy(SHIPPED, tmp_path / "m")
    tree = b / "importance.txt"
    text = tree.read_text()
    head = text[: text.index("\nfeature_importances:")]
    tree.write_text(head + "\nfeature_importances:\n" + "\n\nparameters:\n" * 200_000
                    + "\n\nend of parameters\n\npandas_categorical:null\n")
    _remanifest(b)
    code = ("import sys\nfrom scorer.bundle import load_bundle\nfrom scorer.errors import ScorerError\n"
            f"try:\n    load_bundle({str(b)!r})\nexcept ScorerError as e:\n    print(e)\n    sys.exit(2)\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode in (0, 2), res.stderr[-500:]


FILE_WRITER = r"""
import sys
from pathlib import Path
from scorer.fileio import atomic_path
target = Path(sys.argv[1])
with atomic_path(target) as tmp:
    with open(tmp, "wb") as fh:
        fh.write(b"half a table")
        fh.flush()
        print("writing", flush=True)
        sys.stdin.read()  # killed here, mid-write
"""


def test_temporaries_of_killed_runs_are_removed_by_the_next_run(tmp_path):
    """A SIGKILL mid-write leaves `.NAME.<pid>.*.tmp` beside the output (ingest, the service's
    history, cache entries). The next run writing that output removes it once its writer is dead
    and it has been quiet a minute; a live writer's temporary, another output's and a user's own
    files are kept. The service removes render directories of killed servers on start."""
    from scorer.fileio import QUIET_TEMP_S, sweep_run_dirs

    out = tmp_path / "prs.parquet"
    proc = subprocess.Popen([sys.executable, "-c", FILE_WRITER, str(out)], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert proc.stdout.readline() == b"writing\n"
    live = next(tmp_path.glob(".prs.parquet.*.tmp"))
    old = time.time() - QUIET_TEMP_S - 30
    os.utime(live, (old, old))
    res = CliRunner().invoke(main, ["ingest", "file", str(ROOT / "training_data" / "demo" / "history.jsonl.gz"),
                                    "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert live.exists()  # its writer is alive: kept however quiet
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    fresh = tmp_path / ".prs.parquet.999999999.abcd.tmp"  # no such pid, but written just now
    fresh.write_bytes(b"x")
    other = tmp_path / ".other.parquet.999999999.abcd.tmp"
    other.write_bytes(b"x")
    os.utime(other, (old, old))
    mine = tmp_path / ".prs.parquet.notes.tmp"  # not a temporary of scorer's shape, and recent
    mine.write_bytes(b"x")
    res = CliRunner().invoke(main, ["ingest", "file", str(ROOT / "training_data" / "demo" / "history.jsonl.gz"),
                                    "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert not live.exists() and fresh.exists() and other.exists() and mine.exists()
    assert out.stat().st_size > 1000

    scratch = tmp_path / "tmpdir"
    dead, alive, young = (scratch / "scorer-serve-999999999-x1", scratch / f"scorer-serve-{os.getppid()}-x2",
                          scratch / "scorer-serve-999999998-x3")
    for d in (dead, alive, young):
        (d / "2026-W30").mkdir(parents=True)
        (d / "2026-W30" / "report.md").write_text("half")
    for d in (dead, alive):
        os.utime(d, (old, old))
    assert sweep_run_dirs(scratch, "scorer-serve-") == 1
    assert not dead.exists() and alive.exists() and young.exists()
