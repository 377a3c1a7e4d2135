"""scorer: classical-ML scoring of a repository's merged pull requests."""

import os

__version__ = "0.1.0"

# LightGBM's OpenMP threads wait for work passively (sleep) instead of spinning. On 2 shared
# cores, spinning threads fight whatever else runs: one vLLM training run (to 2026-03-22, 2
# threads) took 11.8 s on a quiet machine but 49 s and 249 s beside one busy process, against
# 12.5 s quiet and 14.7-16.4 s busy when passive. The trees are the same either way. Read once,
# when the OpenMP runtime loads, so it must be set before lightgbm is imported; a value the user
# set is kept.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
