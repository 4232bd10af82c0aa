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

from clip import LOSS, LR, START, STEPS, arguments
from gdscenes.production.render import render, variant
from gdscenes.scenes import DescentScene

BenchClip = variant(
    DescentScene,
    loss=LOSS.name,
    optimizer="gd",
    lr=LR,
    start=START,
    steps=STEPS,
    tol=0.0,
    resolution=40,
    seconds_per_step=0.2,
    intro_seconds=0.6,
    hold_seconds=1.4,  # 0.6 + 30 * 0.2 + 1.4 = DURATION
)


def main() -> None:
    renderer = argparse.ArgumentParser(add_help=False)
    renderer.add_argument("--renderer", choices=("auto", "cairo", "opengl"), default="auto")
    args = arguments(__doc__, "gdscenes_clip.mp4", renderer)
    media = tempfile.mkdtemp(prefix="gdbench-")
    try:
        result = render(
            BenchClip, "bench", quality="h", media_dir=media, fps=args.fps, renderer=args.renderer,
            extra_config={"pixel_width": args.width, "pixel_height": args.height, "progress_bar": "none"},
        )
        args.out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(result.path), args.out)
    finally:
        shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    main()
