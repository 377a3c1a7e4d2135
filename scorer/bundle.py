"""Model bundles: joblib model + manifest.json (sha256 of every file) + model_card.json.

A bundle is checked against its manifest before anything is unpickled, because a
joblib file is code: a bundle that was edited, truncated or swapped is refused.
"""

from __future__ import annotations

import json
import platform
from pathlib import Path
from typing import Any

import joblib

from . import __version__
from .errors import ScorerError
from .fileio import atomic_dir, sha256_file

MODEL_FILE = "model.joblib"
FORMAT = 1


def library_versions() -> dict[str, str]:
    import lightgbm
    import numpy
    import pandas
    import sklearn

    return {"scorer": __version__, "python": platform.python_version(), "lightgbm": lightgbm.__version__,
            "scikit-learn": sklearn.__version__, "pandas": pandas.__version__, "numpy": numpy.__version__,
            "joblib": joblib.__version__}


def save_bundle(model: Any, card: dict, target: str | Path) -> Path:
    """Write the bundle into a temporary directory and swap it in whole."""
    target = Path(target)
    with atomic_dir(target) as tmp:
        joblib.dump(model, tmp / MODEL_FILE, compress=3)
        (tmp / "model_card.json").write_text(json.dumps(card, indent=2, ensure_ascii=False, default=str) + "\n",
                                             encoding="utf-8")
        files = {p.name: sha256_file(p) for p in sorted(tmp.iterdir()) if p.is_file()}
        manifest = {"format": FORMAT, "scorer": __version__, "files": files}
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return target


def verify_bundle(path: str | Path) -> dict:
    path = Path(path)
    if not path.is_dir():
        raise ScorerError("no model bundle here (expected a directory with manifest.json)", path=str(path))
    mpath = path / "manifest.json"
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScorerError("bundle has no manifest.json", path=str(path)) from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ScorerError("manifest.json is not valid JSON", path=str(mpath)) from None
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise ScorerError(f"unsupported bundle format {manifest.get('format')!r}", path=str(mpath))
    for name in (MODEL_FILE, "model_card.json"):
        if name not in manifest["files"]:
            raise ScorerError(f"manifest does not list {name}", path=str(mpath))
    for name, digest in manifest["files"].items():
        f = path / name
        if not f.is_file():
            raise ScorerError(f"bundle file {name} is missing", path=str(path))
        if sha256_file(f) != digest:
            raise ScorerError(f"bundle file {name} does not match its manifest hash (modified or corrupt); "
                              "refusing to load it", path=str(path))
    return manifest


def load_bundle(path: str | Path) -> tuple[Any, dict]:
    """Verify hashes, then unpickle; returns (model, model card)."""
    verify_bundle(path)
    path = Path(path)
    card = json.loads((path / "model_card.json").read_text(encoding="utf-8"))
    try:
        model = joblib.load(path / MODEL_FILE)
    except Exception as exc:  # version skew in pickled classes
        raise ScorerError(f"cannot load the model ({exc.__class__.__name__}: {exc}); trained with "
                          f"{card.get('library_versions')}", path=str(path)) from None
    return model, card
