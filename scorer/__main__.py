"""`python -m scorer` runs the CLI."""

from .cli import run

if __name__ == "__main__":
    run()
