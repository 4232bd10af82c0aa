"""gdscenes' contender in the benchmark: the 8-second Himmelblau clip.

    python bench/gdscenes_clip.py --width 1920 --height 1080 --fps 30 --out clip.mp4

Same content as ``naive_manim.py`` and ``matplotlib_clip.py``: a 40x40 surface,
the ball, its trail, the update rule with live numbers, a slow orbit; 0.6 s
intro + 30 steps of 0.2 s + 1.4 s hold = 8 s.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile

from gdscenes.render import render, variant
from gdscenes.scenes import DescentScene

BenchClip = variant(
    DescentScene,
    loss="himmelblau",
    optimizer="gd",
    lr=0.01,
    start=(-0.5, -4.5),
    steps=30,
    tol=0.0,
    resolution=40,
    seconds_per_step=0.2,
    intro_seconds=0.6,
    hold_seconds=1.4,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--fps", type=float, default=30)
    parser.add_argument("--out", required=True)
    parser.add_argument("--renderer", choices=("cairo", "opengl"), default="cairo")
    args = parser.parse_args()
    media = tempfile.mkdtemp(prefix="gdbench-")
    try:
        result = render(
            BenchClip, "bench", quality="h", media_dir=media, fps=args.fps, renderer=args.renderer,
            extra_config={"pixel_width": args.width, "pixel_height": args.height, "progress_bar": "none"},
        )
        shutil.move(str(result.path), args.out)
    finally:
        shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    main()
