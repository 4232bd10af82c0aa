"""Where a frame's time goes under OpenGL: milliseconds per frame per part.

    python bench/profile_frames.py --width 1920 --height 1080 --fps 30

Renders the benchmark clip (``gdscenes_clip.py``'s scene) with the OpenGL
renderer and wraps its steps with timers that call ``ctx.finish()``, so
llvmpipe's rasterisation is charged to the part that queued it: each
mobject's draw (by class name), the overlay, the read-back of the frame, the
scene's updaters (``Scene.update_mobjects``), and what is left. CPU time
(``time.process_time``, all threads, llvmpipe's and the encoder's included)
is printed too: on a shared machine it is steadier than wall time.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import sys
import tempfile
import time

os.environ["GDSCENES_RENDERER"] = "opengl"

from gdscenes_clip import BenchClip  # noqa: E402
from gdscenes.drawing.gl.renderer import LessonRenderer  # noqa: E402
from gdscenes.production.render import render  # noqa: E402
from manim.scene.scene import Scene  # noqa: E402

TIMES: dict[str, float] = collections.defaultdict(float)
FRAMES = [0]


def timed(owner: type, name: str, label=None) -> None:
    original = getattr(owner, name)

    def wrapper(self, *args, **kwargs):
        ctx = getattr(self, "context", None) or getattr(getattr(self, "renderer", None), "context", None)
        if ctx is not None:
            ctx.finish()
        began = time.perf_counter()
        result = original(self, *args, **kwargs)
        if ctx is not None:
            ctx.finish()
        key = label(self, *args) if label else name
        TIMES[key] += time.perf_counter() - began
        return result

    setattr(owner, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--fps", type=int, default=30)
    parser.add_argument("--json", help="write the numbers here too")
    args = parser.parse_args()

    timed(LessonRenderer, "render_mobject", lambda self, mob: f"draw {type(mob).__name__}")
    for name in ("_draw_overlay", "get_frame", "_draw_baked"):
        if hasattr(LessonRenderer, name):
            timed(LessonRenderer, name)
    timed(Scene, "update_mobjects")
    original_update = LessonRenderer.update_frame

    def counted(self, scene):
        FRAMES[0] += 1
        original_update(self, scene)

    LessonRenderer.update_frame = counted
    timed(LessonRenderer, "update_frame", lambda self, scene: "update_frame (all draws)")

    media = tempfile.mkdtemp(prefix="gdprofile-")
    cpu, wall = time.process_time(), time.perf_counter()
    try:
        result = render(
            BenchClip, "profile", quality="h", media_dir=media, fps=args.fps, renderer="opengl",
            extra_config={"pixel_width": args.width, "pixel_height": args.height, "progress_bar": "none"},
        )
    finally:
        shutil.rmtree(media, ignore_errors=True)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    frames = FRAMES[0]
    rows = {k: 1000 * v / frames for k, v in sorted(TIMES.items(), key=lambda kv: -kv[1])}
    print(f"{args.width}x{args.height}@{args.fps}: {frames} frames, render {result.seconds:.1f} s wall, "
          f"{cpu:.1f} s CPU ({1000 * cpu / frames:.1f} ms CPU a frame)", file=sys.stderr)
    for key, ms in rows.items():
        print(f"  {key:32s} {ms:7.2f} ms/frame", file=sys.stderr)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"frames": frames, "wall": wall, "cpu": cpu, "ms": rows}, f, indent=1)


if __name__ == "__main__":
    main()
