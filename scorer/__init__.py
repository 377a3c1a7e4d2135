"""scorer: classical-ML scoring of a repository's merged pull requests."""

__version__ = "0.1.0"
