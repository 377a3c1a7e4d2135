"""Atomic output: write to a temporary sibling, then rename, so a failed run never leaves half a file."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import glob
import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

from .errors import ScorerError


def require_input(path: str | os.PathLike) -> Path:
    """An input file as scorer reads it: it exists and is a regular file. A FIFO blocks the read
    forever, /dev/zero never ends, a directory fails deep in a parser: each is one clear line."""
    import stat

    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise ScorerError("no such file", path=str(path)) from None
    except OSError as exc:
        raise ScorerError(f"cannot read ({exc.strerror or exc.__class__.__name__})", path=str(path)) from None
    if not stat.S_ISREG(st.st_mode):
        kind = "a directory" if stat.S_ISDIR(st.st_mode) else "a FIFO, a device or a socket"
        raise ScorerError(f"not a regular file ({kind})", path=str(path))
    return path


_UMASK = os.umask(0)
os.umask(_UMASK)


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path next to `target`; rename it over `target` only if the block succeeds."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        sweep_temporaries(target.parent, target.name)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise ScorerError(f"cannot write here ({exc.strerror or exc.__class__.__name__})", path=str(target)) from None
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs get the usual permissions
        os.replace(tmp_path, target)
    except OSError as exc:  # full disk, read-only filesystem, a directory in the way...
        raise ScorerError(f"cannot write ({exc.strerror or exc.__class__.__name__}); nothing was changed",
                          path=str(target)) from None
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


STALE_TEMP_S = 3600.0  # writing one file takes seconds; a temporary this old was left by a killed run
QUIET_TEMP_S = 60.0    # of a dead pid and unchanged this long: killed (a pid seen from another container
                       # sharing the directory may look dead; a live writer still touches its file)


def sweep_temporaries(directory: str | os.PathLike, name: str | None = None, now: float | None = None) -> int:
    """Remove the temporary files killed runs left in `directory` (of output `name`, or of any
    output): `.NAME.<pid>.*.tmp` of a process no longer alive and unchanged for QUIET_TEMP_S, and
    any `.NAME.*.tmp` unchanged for STALE_TEMP_S (written before temporaries carried a pid, or
    by a pid this host cannot see). Best effort: returns how many went. Temporary directories
    are `recover_dir`'s."""
    pattern = re.compile(rf"\.{re.escape(name) if name else '.+?'}\.(?P<pid>\d{{1,9}})\.[^.]+\.tmp")
    return _sweep(Path(directory).glob(f".{glob.escape(name)}.*.tmp" if name else ".*.tmp"), pattern,
                  Path.is_file, Path.unlink, STALE_TEMP_S, now)


def sweep_run_dirs(parent: str | os.PathLike, prefix: str, now: float | None = None) -> int:
    """Remove `<prefix><pid>-*` scratch directories of processes no longer alive and quiet for
    QUIET_TEMP_S (a server killed mid-render leaves one in the temp dir). Best effort."""
    pattern = re.compile(rf"{re.escape(prefix)}(?P<pid>\d{{1,9}})-[^/]+")
    return _sweep(Path(parent).glob(f"{glob.escape(prefix)}*-*"), pattern, Path.is_dir,
                  lambda p: shutil.rmtree(p, ignore_errors=True), None, now)


def _dead_writer(pid: int | None) -> bool:
    """Whether the process that named a temporary after itself is gone (never this one)."""
    return pid is not None and pid != os.getpid() and not _pid_alive(pid)


def _sweep(paths, pattern: re.Pattern, kind, remove, stale_s: float | None, now: float | None) -> int:
    """Remove each of `paths` of the right `kind` (not a symlink) left by a killed run: its name's
    `pid` (per `pattern`) is dead and it has been quiet for QUIET_TEMP_S, or (with `stale_s`)
    it has been quiet that long whatever its name says. Returns how many went."""
    import time

    now = time.time() if now is None else now
    removed = 0
    try:
        for p in paths:
            try:
                m = pattern.fullmatch(p.name)
                limit = QUIET_TEMP_S if _dead_writer(int(m.group("pid")) if m else None) else stale_s
                if limit is not None and kind(p) and not p.is_symlink() and now - p.lstat().st_mtime > limit:
                    remove(p)
                    removed += 1
            except OSError:
                continue
    except OSError:
        pass
    return removed


def atomic_write_text(target: str | os.PathLike, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def atomic_write_bytes(target: str | os.PathLike, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if fn(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.EPERM):
        return False  # old kernel or a filesystem without exchange: fall back to two renames
    raise OSError(err, os.strerror(err), str(b))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover_dir(target: str | os.PathLike) -> None:
    """Undo what a killed swap left: restore `.X.old` when X is gone, and remove the temporary
    `.X.<pid>.*.tmp` / `.X.old` directories of runs that are no longer alive."""
    target = Path(target)
    old = target.with_name(f".{target.name}.old")
    try:
        if old.is_dir() and not target.exists() and not target.is_symlink():
            os.replace(old, target)
        if not target.parent.is_dir():
            return
        for p in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
            m = re.fullmatch(rf"\.{re.escape(target.name)}\.(\d+)\.[^.]+\.tmp", p.name)
            if m and _dead_writer(int(m.group(1))):
                shutil.rmtree(p, ignore_errors=True)
        if old.is_dir() and target.exists():
            shutil.rmtree(old, ignore_errors=True)
    except OSError:
        pass  # recovery is best effort; the caller's own read or write reports real problems


@contextlib.contextmanager
def atomic_dir(target: str | os.PathLike) -> Iterator[Path]:
    """Build a directory in a temporary sibling and swap it in whole. The target path always
    holds a complete directory: the old one until the new one replaces it in a single exchange
    (two renames, with recovery on the next start, where the filesystem cannot exchange). A
    concurrent writer that finishes later wins; stale temporaries of killed runs are removed."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        recover_dir(target)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent))
    except OSError as exc:
        raise ScorerError(f"cannot write here ({exc.strerror or exc.__class__.__name__})", path=str(target)) from None
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~_UMASK)
        for _ in range(3):
            if not target.exists() and not target.is_symlink():
                try:
                    os.replace(tmp, target)
                    break
                except OSError as exc:  # another writer created it meanwhile: exchange instead
                    if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST, errno.EISDIR):
                        raise
            if target.is_dir() and not target.is_symlink() and _exchange(tmp, target):
                shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the previous version
                break
            if target.exists() or target.is_symlink():
                old = target.with_name(f".{target.name}.old")
                if old.exists():
                    shutil.rmtree(old)
                os.replace(target, old)
                os.replace(tmp, target)
                shutil.rmtree(old, ignore_errors=True)
                break
    except OSError as exc:
        raise ScorerError(f"cannot write ({exc.strerror or exc.__class__.__name__}); the previous version is kept",
                          path=str(target)) from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def sha256_file(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def json_safe(obj, digits: int | None = None):
    """Plain JSON types: NaN becomes null, numpy scalars become Python numbers."""
    import math

    import numpy as np

    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        obj = float(obj)
        return None if math.isnan(obj) else (round(obj, digits) if digits is not None else obj)
    if isinstance(obj, dict):
        return {str(k): json_safe(v, digits) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_safe(v, digits) for v in obj]
    return obj
