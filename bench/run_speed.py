"""Time runner.run on a basin-map-sized batch (the loop cost per step), best of 5.

    python bench/run_speed.py                          # this checkout
    PYTHONPATH=/path/to/other/src python bench/run_speed.py   # another checkout, same machine
"""

from __future__ import annotations

import time

import numpy as np

import gdscenes
from gdscenes.core.losses import get_loss
from gdscenes.core.runner import run


def best(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    loss = get_loss("himmelblau")
    (x0, x1), (y0, y1) = loss.domain
    xs, ys = np.meshgrid(np.linspace(x0, x1, 64), np.linspace(y0, y1, 64))
    starts = np.column_stack([xs.ravel(), ys.ravel()])
    print(gdscenes.__file__)
    for opt, lr in (("gd", 0.01), ("adam", 0.05)):
        s = best(lambda: run(loss, opt, start=starts, lr=lr, steps=300, tol=1e-4))  # noqa: B023
        print(f"{opt:5s} 4096 starts x 300 steps, tol 1e-4: {s * 1e3:7.1f} ms")
        s = best(lambda: run(loss, opt, start=(-0.5, -4.5), lr=lr, steps=2000))  # noqa: B023
        print(f"{opt:5s} 1 start x 2000 steps:              {s * 1e3:7.1f} ms")


if __name__ == "__main__":
    main()
