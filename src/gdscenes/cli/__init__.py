"""The ``gdscenes`` command line; :func:`main` is the console script's entry point."""

from gdscenes.cli.main import main

__all__ = ["main"]
