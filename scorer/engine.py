"""Where independent pieces of work run: in this process (`local`, the default) or on a Dask
cluster (`dask`: the scheduler at --scheduler, or a LocalCluster started here). Stage functions
hand over a function and its argument tuples; the engine returns the results in the same order,
so a run gives the same output on either engine.

Dask (not multiprocessing or Ray): the same code runs on a laptop's LocalCluster and on a real
cluster's scheduler, and `lightgbm.dask` trains on it. It is an optional extra
(`pip install -e ".[dask]"`); the workers need scorer installed too.
"""

from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator

from .errors import ScorerError

ENGINES = ("local", "dask")


@contextlib.contextmanager
def dask_client(scheduler: str | None = None, workers: int = 2) -> Iterator[Any]:
    """A client of the scheduler at `scheduler`, or of a LocalCluster of `workers` processes
    (one thread each: the work is Python, which threads would serialise) closed on exit."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise ScorerError("--engine dask needs the dask extra: pip install -e '.[dask]'") from None
    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise ScorerError(f"cannot reach the Dask scheduler at {scheduler} ({exc.__class__.__name__})") from None
        with client:
            yield client
        return
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        yield client


def run_all(fn: Callable, tasks: list[tuple], engine: str = "local", scheduler: str | None = None,
            client: Any = None) -> list:
    """fn(*task) for every task, results in task order. With engine "dask" the tasks run on the
    cluster (an open `client`, else one from dask_client for this call)."""
    if engine not in ENGINES:
        raise ScorerError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
    if engine == "local":
        return [fn(*t) for t in tasks]
    if client is not None:
        return _gather(client, fn, tasks)
    with dask_client(scheduler) as c:
        return _gather(c, fn, tasks)


def _gather(client: Any, fn: Callable, tasks: list[tuple]) -> list:
    futures = [client.submit(fn, *t, pure=False) for t in tasks]
    try:
        return client.gather(futures)  # a task's ScorerError is raised here, as in the local engine
    finally:
        for f in futures:
            f.release()
