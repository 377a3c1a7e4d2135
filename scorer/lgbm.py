"""LightGBM's prediction through its C library, without importing the `lightgbm` package.

Importing `lightgbm` imports scikit-learn and SciPy (lightgbm.compat probes them), which costs a
fresh `scorer score` process over a second before any work. Scoring needs three calls of the
library LightGBM ships (load a model from text, count its features, predict on a dense matrix),
the same C functions `lightgbm.Booster` calls with the same arguments, so the numbers are the
library's own: identical to `Booster.predict`, raw scores and SHAP contributions alike.

The library is found where the installed `lightgbm` package keeps it (`importlib.util.find_spec`
locates the package without running it). Training still uses the `lightgbm` package.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import platform
import threading
from pathlib import Path

import numpy as np

PREDICT_NORMAL, PREDICT_RAW, PREDICT_CONTRIB = 0, 1, 3
_DTYPE_FLOAT32, _DTYPE_FLOAT64 = 0, 1
_ROW_MAJOR = 1
# Threads a prediction runs on, whatever the bundle's training recorded ([num_threads] in its
# tree text, 1 by default since training measured fastest on one). Rows are predicted
# independently, so the values are the same for any count; the SHAP contributions of a report's
# top rows (300 deep trees) take 0.05 s on 2 threads against 0.10 s on 1.
PREDICT_THREADS = min(os.cpu_count() or 1, 4)
_lib: ctypes.CDLL | None = None
_lock = threading.Lock()


class LightGBMLibraryError(RuntimeError):
    """The C library refused a call (its own message)."""


def _library() -> ctypes.CDLL:
    global _lib
    with _lock:
        if _lib is None:
            spec = importlib.util.find_spec("lightgbm")
            if spec is None or not spec.submodule_search_locations:
                raise LightGBMLibraryError("the lightgbm package is not installed")
            pkg = Path(list(spec.submodule_search_locations)[0])
            name = {"Windows": "lib_lightgbm.dll", "Darwin": "lib_lightgbm.dylib"}.get(platform.system(),
                                                                                      "lib_lightgbm.so")
            # The places lightgbm.libpath looks, in its order.
            for candidate in (pkg.parent / name, pkg / "bin" / name, pkg / "lib" / name):
                if candidate.is_file():
                    lib = ctypes.cdll.LoadLibrary(str(candidate))
                    lib.LGBM_GetLastError.restype = ctypes.c_char_p
                    _lib = lib
                    break
            else:
                raise LightGBMLibraryError(f"no {name} in the lightgbm package at {pkg}")
        return _lib


def _check(ret: int) -> None:
    if ret != 0:
        raise LightGBMLibraryError(_library().LGBM_GetLastError().decode("utf-8", "replace"))


class Booster:
    """A loaded LightGBM model: `predict` as `lightgbm.Booster.predict` on a dense 2-D array."""

    def __init__(self, model_str: str) -> None:
        lib = _library()
        self._handle = ctypes.c_void_p()
        iterations = ctypes.c_int(0)
        _check(lib.LGBM_BoosterLoadModelFromString(ctypes.c_char_p(model_str.encode("utf-8")),
                                                   ctypes.byref(iterations), ctypes.byref(self._handle)))
        n = ctypes.c_int(0)
        _check(lib.LGBM_BoosterGetNumFeature(self._handle, ctypes.byref(n)))
        self._num_feature = n.value

    def num_feature(self) -> int:
        return self._num_feature

    def predict(self, X, raw_score: bool = False, pred_contrib: bool = False) -> np.ndarray:
        """What `lightgbm.Booster.predict(X, raw_score=..., pred_contrib=...)` returns for a dense
        float array: one value per row, or (rows, features + 1) contributions."""
        X = np.asarray(X)
        if X.ndim != 2 or X.shape[1] != self._num_feature:
            raise ValueError(f"expected a 2-D array of {self._num_feature} columns, got shape {X.shape}")
        dtype = X.dtype if X.dtype in (np.float32, np.float64) else np.float32
        data = np.ascontiguousarray(X, dtype=dtype)  # lightgbm passes C order as row-major
        kind = PREDICT_CONTRIB if pred_contrib else PREDICT_RAW if raw_score else PREDICT_NORMAL
        lib = _library()
        nrow = data.shape[0]
        if nrow == 0:
            return np.empty((0, self._num_feature + 1) if pred_contrib else 0)
        n_preds = ctypes.c_int64(0)
        _check(lib.LGBM_BoosterCalcNumPredict(self._handle, ctypes.c_int(nrow), ctypes.c_int(kind), ctypes.c_int(0),
                                              ctypes.c_int(-1), ctypes.byref(n_preds)))
        out = np.empty(n_preds.value, dtype=np.float64)
        got = ctypes.c_int64(0)
        _check(lib.LGBM_BoosterPredictForMat(
            self._handle, data.ctypes.data_as(ctypes.c_void_p),
            ctypes.c_int(_DTYPE_FLOAT32 if dtype == np.float32 else _DTYPE_FLOAT64),
            ctypes.c_int32(nrow), ctypes.c_int32(data.shape[1]), ctypes.c_int(_ROW_MAJOR), ctypes.c_int(kind),
            ctypes.c_int(0), ctypes.c_int(-1), ctypes.c_char_p(f"num_threads={PREDICT_THREADS}".encode()),
            ctypes.byref(got),
            out.ctypes.data_as(ctypes.POINTER(ctypes.c_double))))
        if got.value != n_preds.value:
            raise LightGBMLibraryError("wrong number of predictions")
        return out.reshape(nrow, -1) if pred_contrib else out

    def model_to_string(self) -> str:
        """The model's text as `lightgbm.Booster.model_to_string()` gives it."""
        lib = _library()
        size = 1 << 20
        for _ in range(2):
            buf = ctypes.create_string_buffer(size)
            need = ctypes.c_int64(0)
            _check(lib.LGBM_BoosterSaveModelToString(self._handle, ctypes.c_int(0), ctypes.c_int(-1), ctypes.c_int(0),
                                                     ctypes.c_int64(size), ctypes.byref(need),
                                                     ctypes.c_char_p(ctypes.addressof(buf))))
            if need.value <= size:
                # lightgbm's Python package appends its pandas categories (none for scorer's models)
                return buf.value.decode("utf-8") + "\npandas_categorical:null\n"
            size = need.value
        raise LightGBMLibraryError("the model text kept growing")

    def __del__(self) -> None:
        handle = getattr(self, "_handle", None)
        if handle is not None and handle.value is not None and _lib is not None:
            _lib.LGBM_BoosterFree(handle)
            self._handle = None
