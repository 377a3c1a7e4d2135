"""Cache entries that prove scorer wrote them.

Everything under the cache directory (history snapshots, derived documents, the working copies
of tables, the GitHub ETag store) changes what a run computes, and anyone who can write the
directory could change it. So each entry is sealed: an HMAC-SHA256 of its bytes, bound to the
entry's name, under a secret kept in the cache directory itself (`key`, 32 random bytes, created
with 0600 permissions, never logged). An entry whose tag does not verify (edited, truncated,
copied from another cache, written by an older scorer) is a miss: it is made again, with one
warning per cache directory. What unseals is still read as data, within bounds: gzip is
inflated with a byte limit, JSON is type-checked by its reader.

Why not a digest next to the file: the digest would sit in the same writable directory, so an
edit could update both; the key is what an editor without it cannot reproduce.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
import warnings
import zlib
from pathlib import Path

from .errors import CacheWarning
from .fileio import atomic_write_bytes, sweep_temporaries

KEY_FILE = "key"
TAG_LEN = 32
MAGIC = b"scorer-sealed-1\n"
_KEYS: dict[Path, bytes] = {}
_WARNED: set[Path] = set()


def cache_secret(root: Path) -> bytes | None:
    """The cache directory's secret, created on first use (0600, exclusive create, so two
    processes agree on one); None when it cannot be read or made (then nothing is trusted or
    kept: every entry is a miss)."""
    root = Path(root)
    if root in _KEYS:
        return _KEYS[root]
    path = root / KEY_FILE
    try:
        root.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(os.urandom(32))
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode) or st.st_mode & 0o077:
                return None  # readable by others, or not a file: not a secret
            key = fh.read(64)
    except OSError:
        return None
    if len(key) != 32:
        return None  # a torn key from a killed first run: entries stay misses until it is removed
    _KEYS[root] = key
    return key


def _tag(key: bytes, name: str, data: bytes) -> bytes:
    return hmac.new(key, name.encode("utf-8") + b"\0" + data, hashlib.sha256).digest()


def seal(root: Path, name: str, data: bytes) -> bytes | None:
    """The bytes to store for entry `name` (its path relative to the cache root); None when the
    cache has no usable secret (then the entry is not kept)."""
    key = cache_secret(root)
    return None if key is None else MAGIC + _tag(key, name, data) + data


def unseal(root: Path, name: str, blob: bytes) -> bytes | None:
    """The entry's bytes when its tag verifies, else None (and one warning per cache root)."""
    key = cache_secret(root)
    head = len(MAGIC) + TAG_LEN
    if key is not None and blob[:len(MAGIC)] == MAGIC and len(blob) >= head:
        data = blob[head:]
        if hmac.compare_digest(blob[len(MAGIC):head], _tag(key, name, data)):
            return data
    distrust(root, name)
    return None


def distrust(root: Path, name: str) -> None:
    if Path(root) not in _WARNED:
        _WARNED.add(Path(root))
        warnings.warn(f"{root}: cache entry {name} was not written by scorer with this cache's key (edited, "
                      "damaged or from an older version); it is ignored and made again", CacheWarning, stacklevel=3)


def _entry_name(root: Path, path: Path) -> str:
    """What a tag binds an entry to: its path under the cache root."""
    return Path(path).relative_to(root).as_posix()


def read_sealed(root: Path, path: Path, limit: int) -> bytes | None:
    """The bytes scorer sealed into the cache entry at `path`, read with a byte bound; None when
    it is absent, larger than `limit` or not sealed by this cache (a miss)."""
    try:
        with open(path, "rb") as fh:
            blob = fh.read(limit + 1)
    except OSError:
        return None
    return unseal(root, _entry_name(root, path), blob) if len(blob) <= limit else None


def write_sealed(root: Path, path: Path, data: bytes) -> bool:
    """Seal `data` and write it atomically at `path`, sweeping the temporaries killed runs left
    beside it; False when the cache has no usable secret (nothing is kept). An OSError is the
    caller's: each cache has its own policy for an unwritable directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sweep_temporaries(path.parent)
    blob = seal(root, _entry_name(root, path), data)
    if blob is None:
        return False
    atomic_write_bytes(path, blob)
    return True


def _file_tag(key: bytes, name: str, path: Path) -> bytes:
    h = hmac.new(key, name.encode("utf-8") + b"\0", hashlib.sha256)
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.digest()


def sealed_file_ok(root: Path, path: Path, sidecar: Path) -> bool:
    """Whether a large cache file (a table's working copy) is the one scorer wrote: its sidecar
    holds the tag of its bytes. Reading the file to check it costs ~5 ms for vLLM's 2.7 MB table."""
    key, name = cache_secret(root), _entry_name(root, path)
    try:
        with open(sidecar, "rb") as fh:
            tag = fh.read(TAG_LEN + 1)
        ok = key is not None and len(tag) == TAG_LEN and hmac.compare_digest(tag, _file_tag(key, name, path))
    except OSError:
        ok = False
    if not ok:
        distrust(root, name)
    return ok


def seal_file(root: Path, path: Path) -> bytes | None:
    """The sidecar tag of a large cache file, or None without a usable secret."""
    key = cache_secret(root)
    return None if key is None else _file_tag(key, _entry_name(root, path), path)


def gunzip_bounded(data: bytes, limit: int) -> bytes | None:
    """Inflate gzip data to at most `limit` bytes; None when it would be more (a bomb) or is not
    gzip: a cache entry is small, and a 1.5 MB file must not become gigabytes."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(data, limit + 1)
    except zlib.error:
        return None
    if len(out) > limit or d.unconsumed_tail or not d.eof:
        return None
    return out
