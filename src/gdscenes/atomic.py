"""Files written whole or not at all: a temporary file in the same folder, then renamed."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def replace_into(target: Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(temp_path)``, then move the temp file onto ``target`` (its folder made if needed).

    A failure leaves ``target`` as it was and no temporary file behind."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.stem}.partial-{os.getpid()}{target.suffix}")
    try:
        write(temp)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    return target


def write_text(target: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8, line endings as given) to ``target`` whole or not at all."""
    return replace_into(Path(target), lambda temp: temp.write_text(text, encoding="utf-8", newline=""))
