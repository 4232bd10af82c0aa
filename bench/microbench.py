"""A/B timings of the parts of one OpenGL frame, steadier than whole renders on a busy machine.

    python bench/microbench.py --width 1920 --height 1080 [--repeat 40]

Renders the benchmark clip at 1 fps (the scene is built exactly as in the
benchmark), then, on its last frame, draws each part ``--repeat`` times,
interleaved, with ``ctx.finish()`` around it, and prints the median wall
milliseconds and the CPU milliseconds (``time.process_time``: every thread,
llvmpipe's included) per draw. The encoder is idle by then, so CPU time is the
part's own.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time

import moderngl

os.environ["GDSCENES_RENDERER"] = "opengl"

from gdscenes_clip import BenchClip  # noqa: E402
from gdscenes.drawing.gl import renderer as lesson_renderer  # noqa: E402
from gdscenes.production.render import render  # noqa: E402

PARTS: dict[str, list[tuple[float, float]]] = {}


def measure(ctx, name: str, draw) -> None:
    ctx.finish()
    wall, cpu = time.perf_counter(), time.process_time()
    draw()
    ctx.finish()
    PARTS.setdefault(name, []).append((time.perf_counter() - wall, time.process_time() - cpu))


class Probe(BenchClip):
    repeat = 40

    def tear_down(self) -> None:
        r = self.renderer
        ctx = r.context
        r.update_frame(self)  # bakes what is baked
        shown = [m for m in self.mobjects if m.should_render]
        items = lesson_renderer.in_layer_order(shown)
        baked = r._baked
        for _ in range(self.repeat):
            measure(ctx, "whole frame (update_frame)", lambda: r.update_frame(self))
            measure(ctx, "read back (get_frame)", r.get_frame)
            for mob in items:
                if getattr(mob, "is_fixed_in_frame", False) or getattr(mob, "gd_bake", False) \
                        or getattr(mob, "gd_billboards", False):
                    continue
                measure(ctx, f"draw {type(mob).__name__}", lambda m=mob: r.render_mobject(m))
                if getattr(mob, "gd_static", False):
                    measure(ctx, f"draw {type(mob).__name__} uncached",
                            lambda m=mob: lesson_renderer.OpenGLRenderer.render_mobject(r, m))
            for key, (_, layer) in baked.items():
                textures = [layer.texture]
                variants = [(1.0, "trilinear"), (2.0, "trilinear"), (16.0, "trilinear"), (1.0, "nearest mip")]
                for aniso, kind in variants if key == "floor" else [(None, "")]:
                    if aniso:
                        for t in textures:
                            t.anisotropy = min(aniso, ctx.max_anisotropy)
                            t.filter = (moderngl.LINEAR_MIPMAP_LINEAR if kind == "trilinear" else moderngl.LINEAR_MIPMAP_NEAREST,
                                        moderngl.LINEAR)
                    label = f"{key.split()[0]} texture" + (f" {kind} aniso {aniso:g}" if aniso else "")
                    measure(ctx, label, lambda lay=layer: lay.draw(r.perspective_uniforms))
            floor = [m for m in shown if getattr(m, "gd_bake", False)]
            measure(ctx, "floor as vectors (manim)", lambda: [lesson_renderer.OpenGLRenderer.render_mobject(r, m) for m in floor])
            measure(ctx, "floor fingerprint", lambda: lesson_renderer.fingerprint(floor))
            overlay = [m for m in shown if getattr(m, "is_fixed_in_frame", False)]
            measure(ctx, "overlay composite", lambda: r._draw_overlay([(layer, None) for layer in r._overlays.values()]))
            measure(ctx, "overlay fingerprint", lambda: lesson_renderer.fingerprint(overlay))
            width, height = r.get_pixel_shape()
            box = lesson_renderer.overlay_pixels(overlay, width, height)
            measure(ctx, "overlay repaint (once a step)", lambda: lesson_renderer.paint_region(overlay, width, height, box))
        super().tear_down()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    Probe.repeat = args.repeat
    media = tempfile.mkdtemp(prefix="gdmicro-")
    try:
        render(Probe, "micro", quality="h", media_dir=media, fps=1, renderer="opengl",
               extra_config={"pixel_width": args.width, "pixel_height": args.height, "progress_bar": "none"})
    finally:
        shutil.rmtree(media, ignore_errors=True)
    print(f"{args.width}x{args.height}, median of {args.repeat} draws each:")
    print("| part | wall ms | CPU ms |\n|---|---|---|")
    for name, samples in PARTS.items():
        wall = statistics.median(s[0] for s in samples) * 1000
        cpu = statistics.median(s[1] for s in samples) * 1000
        print(f"| {name} | {wall:.2f} | {cpu:.2f} |")


if __name__ == "__main__":
    main()
