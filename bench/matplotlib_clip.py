"""Benchmark contender: the descent clip drawn with matplotlib's mplot3d.

``plot_surface`` of Himmelblau's function (40x40 quads, viridis), the ball as a
scatter point, the trail as a 3D line, the update rule and the live loss as
mathtext ``fig.text``, the camera turned with ``view_init`` every frame, all
written by ``FuncAnimation`` through ``FFMpegWriter`` (libx264, yuv420p).  Same
clip as ``bench/naive_manim.py``: gradient descent, lr 0.01, start (-0.5, -4.5),
30 steps, 8 s.

    .venv/bin/python bench/matplotlib_clip.py --width 1920 --height 1080 --fps 30 --out mpl.mp4
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.animation import FFMpegWriter, FuncAnimation  # noqa: E402

from clip import DURATION, STEPS, arguments, height, himmelblau, path, sci  # noqa: E402

PHI, THETA, TURN = 60.0, -150.0, 20.0  # camera as in naive_manim.py, degrees


def main() -> None:
    args = arguments(__doc__, "matplotlib_clip.mp4")
    pts = path()
    n_frames = round(DURATION * args.fps)
    scale = args.height / 1080  # text sizes follow the frame height

    plt.style.use("dark_background")
    fig = plt.figure(figsize=(args.width / 100, args.height / 100), dpi=100)
    ax = fig.add_axes([0, 0, 1, 1], projection="3d", computed_zorder=False)
    ax.set_box_aspect((6.5, 6.5, 2.5), zoom=1.1)
    ax.set_proj_type("persp", focal_length=5)
    ax.set_zlim(0, 5)

    grid = np.linspace(-5, 5, 41)  # 41 x 41 vertices = 40 x 40 quads
    X, Y = np.meshgrid(grid, grid)
    ax.plot_surface(X, Y, height(X, Y), rstride=1, cstride=1, cmap="viridis",
                    vmin=0, vmax=5, alpha=0.9, zorder=1)
    trail, = ax.plot3D([], [], [], color="#ff5555", linewidth=3 * scale, zorder=2)
    ball = ax.scatter([], [], [], color="#ff5555", s=500 * scale**2, depthshade=False, zorder=3)

    fig.text(0.02, 0.93, r"$\theta_{k+1} = \theta_k - \eta\,\nabla f(\theta_k)$",
             fontsize=40 * scale, va="center")
    loss = fig.text(0.02, 0.85, "", fontsize=30 * scale, va="center")

    def update(i):
        s = i * STEPS / n_frames
        k = min(int(s), STEPS - 1)
        x, y = pts[k] + (s - k) * (pts[k + 1] - pts[k])
        path = np.vstack([pts[: k + 1], [x, y]])
        z = height(path[:, 0], path[:, 1]) + 0.05
        trail.set_data_3d(path[:, 0], path[:, 1], z)
        ball._offsets3d = ([x], [y], [z[-1] + 0.12])
        loss.set_text(rf"$k = {k} \quad f(\theta_k) = {sci(himmelblau(*pts[k]))}$")
        ax.view_init(elev=90 - PHI, azim=THETA + TURN * i / n_frames)
        return trail, ball, loss

    anim = FuncAnimation(fig, update, frames=n_frames, blit=False)
    writer = FFMpegWriter(fps=args.fps, codec="libx264", extra_args=["-pix_fmt", "yuv420p"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    anim.save(str(args.out), writer=writer, dpi=100)


if __name__ == "__main__":
    main()
