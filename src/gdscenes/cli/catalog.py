"""What ``gdscenes losses`` and ``gdscenes list`` print, kept as a file so they start without sympy.

The library of losses, the optimizers' defaults, the schedules, the data models
and the bundled data sets are built by sympy and numpy, which take longer to
import than these two listings take to read. :func:`build` computes the listing
from the live modules; ``catalog.json`` beside this module is its snapshot, read
by :func:`load`. ``tests/test_cli.py`` checks that the two agree; after changing
one of those modules, write the snapshot again with::

    python -m gdscenes.cli.catalog
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).with_name("catalog.json")


def describe(loss: Any) -> dict[str, Any]:
    """The JSON record of a library loss (the ``losses --json`` contract)."""
    (x0, x1), (y0, y1) = loss.domain
    return {
        "name": loss.name,
        "expression": str(loss.expr),
        "latex": loss.latex,
        "domain": {"x": [x0, x1], "y": [y0, y1]},
        "start": list(loss.start),
        "minima": [{"x": m.x, "y": m.y, "f": m.f, "kind": m.kind} for m in loss.minima],
    }


def build() -> dict[str, Any]:
    """The listing, computed from the library, the optimizers, the schedules and the data models."""
    from gdscenes.core.data import DATASETS, MODELS
    from gdscenes.core.losses import LIBRARY
    from gdscenes.core.optimizers import OPTIMIZERS
    from gdscenes.core.schedules import SCHEDULES

    def data_set(name: str) -> str:
        data = DATASETS[name]()
        return f"{data.m} rows: {data.columns[0]}, {data.columns[1]}"

    return {
        "losses": [describe(loss) for loss in LIBRARY.values()],
        "optimizers": {name: ", ".join(f"{k}={v}" for k, v in opt.default_hyperparams().items())
                       for name, opt in OPTIMIZERS.items()},
        "schedules": {name: ", ".join([str(k) for k in s.required] + [f"{k}={v:.4g}" for k, v in s.defaults.items()])
                      or "(no options)" for name, s in SCHEDULES.items()},
        "models": {name: f"{m.description} (default data: {m.default_data})" for name, m in MODELS.items()},
        "data sets": {name: data_set(name) for name in DATASETS},
    }


def load() -> dict[str, Any]:
    """The snapshot (what :func:`build` gave when it was last written)."""
    return dict(json.loads(SNAPSHOT.read_text(encoding="utf-8")))


def write() -> Path:
    from gdscenes.atomic import write_text

    return write_text(SNAPSHOT, json.dumps(build(), indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    print(f"wrote {write()}")
