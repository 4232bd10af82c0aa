"""Where gdscenes keeps what it can reuse between runs (typeset LaTeX, the GL probe's answer)."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/gdscenes``, else ``~/.cache/gdscenes``."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "gdscenes"
