"""Generate a synthetic squash-merge history with `git fast-import` (fast, deterministic)."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path


def generate_repo(path: Path, n_commits: int, seed: int = 0, n_files: int = 2000) -> Path:
    rng = random.Random(seed)
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    dirs = [f"pkg/mod{d}/sub{s}" for d in range(40) for s in range(5)]
    names = [f"{rng.choice(dirs)}/file_{i}.py" for i in range(n_files)]
    contents: dict[str, list[str]] = {}
    out: list[bytes] = []
    t = 1_700_000_000
    for c in range(1, n_commits + 1):
        t += rng.randint(60, 3600)
        k = min(int(rng.paretovariate(1.3)), 40)
        touched = rng.sample(names, k)
        ops = []
        for name in touched:
            lines = contents.setdefault(name, [])
            for _ in range(rng.randint(1, 30)):
                pos = rng.randint(0, len(lines))
                lines.insert(pos, f"x_{c}_{rng.random():.6f} = {pos}\n")
            if len(lines) > 20 and rng.random() < 0.5:
                del lines[rng.randrange(len(lines))]
            data = "".join(lines).encode()
            ops.append(b"M 100644 inline " + name.encode() + b"\ndata %d\n" % len(data) + data + b"\n")
        msg = f"[Feature] change number {c} in {touched[0].split('/')[1]} (#{c})\n".encode()
        author = f"Dev {int(rng.paretovariate(1.1)) % 500}"
        out.append(b"commit refs/heads/main\n")
        out.append(f"author {author} <d@x.org> {t} +0000\ncommitter Bot <b@x.org> {t} +0000\n".encode())
        out.append(b"data %d\n" % len(msg) + msg)
        out.extend(ops)
        out.append(b"\n")
    subprocess.run(["git", "-C", str(path), "fast-import", "--quiet"], input=b"".join(out), check=True)
    subprocess.run(["git", "-C", str(path), "reset", "-q", "--hard", "main"], check=True)
    return path
