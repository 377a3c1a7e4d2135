"""Model bundles: model.json (every parameter as data) + LightGBM text models + model_card.json
+ manifest.json (sha256 of every file, optionally signed).

Nothing in a bundle is code: loading parses JSON and LightGBM's text format and rebuilds the
models from those numbers (scorer.modelio), so a bundle whose files were swapped can at worst
give wrong scores, never run anything. The manifest still catches accidents (a truncated or
edited file); with $SCORER_BUNDLE_KEY set, bundles are signed on save (HMAC-SHA256 of the
manifest) and unsigned or wrongly signed bundles are refused on load.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import platform
import re
from pathlib import Path
from typing import Any

from . import __version__
from .errors import ScorerError
from .fileio import atomic_dir, recover_dir, sha256_file

FORMAT = 2
KEY_ENV = "SCORER_BUNDLE_KEY"
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,100}$")  # plain file names, inside the bundle
MAX_JSON_BYTES = 64 * 1024 * 1024


def library_versions() -> dict[str, str]:
    import lightgbm
    import numpy
    import pandas
    import sklearn

    return {"scorer": __version__, "python": platform.python_version(), "lightgbm": lightgbm.__version__,
            "scikit-learn": sklearn.__version__, "pandas": pandas.__version__, "numpy": numpy.__version__}


def _signature(manifest: dict, key: str) -> str:
    body = json.dumps({k: v for k, v in manifest.items() if k != "signature"}, sort_keys=True).encode()
    return hmac.new(key.encode(), body, hashlib.sha256).hexdigest()


def save_bundle(model: Any, card: dict, target: str | Path, extra: dict[str, str] | None = None) -> Path:
    """Write the bundle into a temporary directory and swap it in whole; `extra` (file name ->
    text) are files the bundle carries with the model (its own taxonomy), hashed like the rest."""
    from .modelio import DOC_FILE, dumps, to_document

    target = Path(target)
    with atomic_dir(target) as tmp:
        doc = to_document(model, lambda name, text: (tmp / name).write_text(text, encoding="utf-8"))
        (tmp / DOC_FILE).write_text(dumps(doc), encoding="utf-8")
        (tmp / "model_card.json").write_text(json.dumps(card, indent=2, ensure_ascii=False, default=str) + "\n",
                                             encoding="utf-8")
        for name, text in (extra or {}).items():
            (tmp / name).write_text(text, encoding="utf-8")
        files = {p.name: sha256_file(p) for p in sorted(tmp.iterdir()) if p.is_file()}
        manifest: dict = {"format": FORMAT, "scorer": __version__, "files": files}
        key = os.environ.get(KEY_ENV)
        if key:
            manifest["signature"] = _signature(manifest, key)
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return target


def _read_json(path: Path, what: str) -> Any:
    try:
        if path.is_symlink() or not path.is_file():
            raise ScorerError(f"{what} is missing or not a regular file", path=str(path))
        if path.stat().st_size > MAX_JSON_BYTES:
            raise ScorerError(f"{what} is larger than {MAX_JSON_BYTES >> 20} MB", path=str(path))
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScorerError(f"cannot read {what}: {exc.strerror or exc}", path=str(path)) from None
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        raise ScorerError(f"{what} is not valid JSON", path=str(path)) from None


def verify_bundle(path: str | Path) -> dict:
    """Check the manifest: every listed file is a plain file inside the bundle with its hash,
    and (with $SCORER_BUNDLE_KEY) the signature. Returns the manifest."""
    from .modelio import DOC_FILE

    path = Path(path)
    recover_dir(path)
    if not path.is_dir():
        raise ScorerError("no model bundle here (expected a directory with manifest.json)", path=str(path))
    mpath = path / "manifest.json"
    if not (mpath.exists() or mpath.is_symlink()):
        raise ScorerError("bundle has no manifest.json", path=str(path))
    manifest = _read_json(mpath, "manifest.json")
    if not isinstance(manifest, dict):
        raise ScorerError("manifest.json must be a JSON object", path=str(mpath))
    if manifest.get("format") == 1:
        raise ScorerError("this bundle uses the old pickled format, which is no longer loaded (it could run "
                          "code); retrain it with this version of scorer", path=str(path))
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise ScorerError(f"unsupported bundle format {manifest.get('format')!r}", path=str(mpath))
    for name in (DOC_FILE, "model_card.json"):
        if name not in manifest["files"]:
            raise ScorerError(f"manifest does not list {name}", path=str(mpath))
    key = os.environ.get(KEY_ENV)
    if key:
        sig = manifest.get("signature")
        if not isinstance(sig, str) or not hmac.compare_digest(sig, _signature(manifest, key)):
            raise ScorerError(f"bundle is {'unsigned' if sig is None else 'not signed with the key in $' + KEY_ENV}; "
                              "refusing to load it", path=str(path))
    for name, digest in manifest["files"].items():
        if not isinstance(name, str) or not NAME_RE.match(name) or not isinstance(digest, str):
            raise ScorerError(f"manifest lists {str(name)[:80]!r}, which is not a file name inside the bundle",
                              path=str(mpath))
        f = path / name
        try:
            if f.is_symlink() or not f.is_file():
                raise ScorerError(f"bundle file {name} is missing or not a regular file", path=str(path))
            actual = sha256_file(f)
        except OSError as exc:
            raise ScorerError(f"cannot read bundle file {name}: {exc.strerror or exc}", path=str(path)) from None
        if actual != digest:
            raise ScorerError(f"bundle file {name} does not match its manifest hash (modified or corrupt); "
                              "refusing to load it", path=str(path))
    return manifest


def manifest_hash(path: str | Path) -> str:
    """A bundle's identity: the sha256 of its manifest, which hashes every file (so it changes
    with any of them). The service's model id, the ledger's bundle hash and a check run's bundle
    are all this hash."""
    path = Path(path)
    try:
        return hashlib.sha256((path / "manifest.json").read_bytes()).hexdigest()
    except OSError as exc:
        raise ScorerError(f"cannot read the bundle's manifest ({exc.strerror or exc})", path=str(path)) from None


def _card(path: Path) -> dict:
    card = _read_json(path / "model_card.json", "model_card.json")
    if not isinstance(card, dict):
        raise ScorerError("model_card.json must be a JSON object", path=str(path / "model_card.json"))
    return card


def load_card(path: str | Path) -> dict:
    """A verified bundle's model card, without rebuilding its models (what it promised, its
    training window): the manifest is checked as load_bundle checks it."""
    path = Path(path)
    verify_bundle(path)
    return _card(path)


def load_bundle(path: str | Path) -> tuple[Any, dict]:
    """Verify, then rebuild the model from data; returns (model, model card)."""
    from .modelio import DOC_FILE, from_document

    path = Path(path)
    manifest = verify_bundle(path)
    card = _card(path)
    doc = _read_json(path / DOC_FILE, DOC_FILE)
    listed = set(manifest["files"])
    for name in _tree_files(doc):  # every file the document reads was hashed by the manifest
        if name not in listed:
            raise ScorerError(f"{name} is not listed in the manifest", path=str(path))
    return from_document(doc, path, str(path / DOC_FILE)), card


def _tree_files(doc: Any) -> list[str]:
    """The bundle files a model document reads: its trees and (when it carries one) its taxonomy."""
    from .taxonomy import BUNDLED

    out = []
    if isinstance(doc, dict):
        params = doc.get("params")
        if isinstance(params, dict) and params.get("taxonomy") == BUNDLED:
            out.append(BUNDLED)
        if isinstance(doc.get("importance"), str):
            out.append(doc["importance"])
        tags = doc.get("tags")
        for t in (tags.values() if isinstance(tags, dict) else []):
            if isinstance(t, dict) and isinstance(t.get("trees"), str):
                out.append(t["trees"])
        out += _tree_files(doc.get("generic"))
    return out
