"""When the garbage collector runs. Scoring a week is bounded work whose objects (rows read as
Python lists, a history state of ~100k containers, the report's look-back) have no reference
cycles to speak of and are freed by reference counting; the collector's full passes over
everything the process holds (pandas, the loaded model) cost more than that work itself."""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def gc_paused():
    """No collections inside the block; the collector is as it was after it."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def skip_final_collection() -> None:
    """At the end of a command-line process: move every object to the collector's permanent
    generation, so the interpreter's shutdown does not walk them all once more (~80 ms after a
    week is scored). Objects are still finalized; only a process about to exit may call this."""
    gc.freeze()
