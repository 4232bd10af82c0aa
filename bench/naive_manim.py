"""Benchmark baseline: the descent clip written the way a typical manim user would.

Plain manim Community Edition (Cairo renderer): ``ThreeDAxes`` + ``Surface``
coloured with ``set_fill_by_value``, a ``Sphere`` moved with ``MoveAlongPath``
step by step, the trail drawn with ``Create``, ``MathTex`` fixed in frame and an
ambient camera rotation.  Gradient descent on Himmelblau's function, lr 0.01,
start (-0.5, -4.5), 30 steps, 8 s.  Not optimised on purpose: this is the
baseline that gdscenes' renderer is compared against.

    .venv/bin/python bench/naive_manim.py --width 1920 --height 1080 --fps 30 --out naive.mp4
"""

from __future__ import annotations

import shutil
import sys
import tempfile

import av
from manim import (DEGREES, DOWN, IN, LEFT, OUT, UL, Create, Line, MathTex, MoveAlongPath, Sphere, Surface,
                   ThreeDAxes, ThreeDScene, linear, tempconfig)

from clip import DURATION, STEPS, arguments, height, himmelblau, path, sci

VIRIDIS = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"]


class NaiveDescent(ThreeDScene):
    def construct(self):
        pts = path()

        axes = ThreeDAxes(x_range=[-5, 5, 1], y_range=[-5, 5, 1], z_range=[0, 5, 1],
                          x_length=6.5, y_length=6.5, z_length=2.5).shift(1.5 * IN)
        surface = Surface(lambda u, v: axes.c2p(u, v, height(u, v)),
                          u_range=[-5, 5], v_range=[-5, 5], resolution=(40, 40),
                          fill_opacity=0.9, stroke_width=0.3)
        surface.set_fill_by_value(axes=axes, axis=2,
                                  colorscale=[(c, 5 * i / 4) for i, c in enumerate(VIRIDIS)])
        self.set_camera_orientation(phi=60 * DEGREES, theta=-150 * DEGREES)
        self.add(axes, surface)

        on_surface = [axes.c2p(x, y, height(x, y) + 0.05) for x, y in pts]
        ball = Sphere(radius=0.12).set_color("#ff5555").move_to(on_surface[0] + 0.12 * OUT)
        self.add(ball)

        rule = MathTex(r"\theta_{k+1} = \theta_k - \eta\,\nabla f(\theta_k)")
        rule.to_corner(UL)
        self.add_fixed_in_frame_mobjects(rule)

        def readout(k):
            tex = MathTex(rf"k = {k} \quad f(\theta_k) = {sci(himmelblau(*pts[k]))}")
            return tex.scale(0.8).next_to(rule, DOWN, aligned_edge=LEFT)

        loss = readout(0)
        self.add_fixed_in_frame_mobjects(loss)

        self.begin_ambient_camera_rotation(rate=20 * DEGREES / DURATION)
        for k in range(STEPS):
            self.remove(loss)
            loss = readout(k)
            self.add_fixed_in_frame_mobjects(loss)
            segment = Line(on_surface[k], on_surface[k + 1], color="#ff5555", stroke_width=4)
            self.play(MoveAlongPath(ball, segment.copy().shift(0.12 * OUT)), Create(segment),
                      run_time=DURATION / STEPS, rate_func=linear)


def main() -> int:
    args = arguments(__doc__, "naive_manim.mp4")

    with tempfile.TemporaryDirectory() as media_dir:
        with tempconfig({"pixel_width": args.width, "pixel_height": args.height,
                         "frame_rate": args.fps, "disable_caching": True, "media_dir": media_dir,
                         "output_file": "naive_descent", "verbosity": "WARNING",
                         "progress_bar": "none"}):
            scene = NaiveDescent()
            scene.render()
            args.out.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(scene.renderer.file_writer.movie_file_path, args.out)

    with av.open(str(args.out)) as container:
        frames = sum(1 for _ in container.decode(video=0))
    expected = round(DURATION * args.fps)
    if abs(frames - expected) > 1:
        print(f"error: {args.out} has {frames} frames, expected {expected}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
