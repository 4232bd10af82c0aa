"""Child process of the OpenGL lesson test: renders every lesson under OpenGL and
prints, as JSON, where each ball was drawn and whether it is clearly in view.

Run as ``python -m tests.opengl_lessons MEDIA_DIR`` (manim keeps one renderer per process).
"""

from __future__ import annotations

import json
import sys

import numpy as np

from gdscenes.drawing.projection import pixels
from gdscenes.production.render import render, variant
from gdscenes.scenes.registry import SCENES

TINY = dict(steps=3, tol=None, seconds_per_step=0.1, intro_seconds=0.1, hold_seconds=0.1, resolution=8, basin_samples=16)


def eye(camera: object) -> np.ndarray:
    """The perspective eye of manim's OpenGL camera, in scene coordinates."""
    rotation = np.asarray(camera.inverse_rotation_matrix)  # type: ignore[attr-defined]
    return camera.get_center() + rotation.T @ np.array([0.0, 0.0, camera.get_focal_distance()])  # type: ignore[attr-defined]


def in_view(view: object, point: np.ndarray, eye_at: np.ndarray, samples: int = 200) -> bool:
    """Whether the segment from ``point`` to the eye stays above the drawn surface (independent
    of :mod:`gdscenes.display.visibility`, which approximates the perspective by parallel rays)."""
    t = np.linspace(0.02, 1.0, samples)[:, None]
    ray = point + t * (eye_at - point)
    (x0, x1), (y0, y1) = view.domain  # type: ignore[attr-defined]
    inside = (np.abs(ray[:, 0]) <= view.width / 2) & (np.abs(ray[:, 1]) <= view.depth / 2)  # type: ignore[attr-defined]
    x = x0 + (ray[:, 0] / view.width + 0.5) * (x1 - x0)  # type: ignore[attr-defined]
    y = y0 + (ray[:, 1] / view.depth + 0.5) * (y1 - y0)  # type: ignore[attr-defined]
    return not np.any(inside & (ray[:, 2] < view.z_of(x, y)))  # type: ignore[attr-defined]


def main(media_dir: str) -> None:
    out = {}
    for name, scene in SCENES.items():
        tiny = {k: v for k, v in TINY.items() if hasattr(scene, k)}
        s = render(variant(scene, **tiny), name, quality="l", media_dir=media_dir, fps=5, renderer="opengl",
                   extra_config={"progress_bar": "none"}).scene
        e = eye(s.renderer.camera)
        rows = []
        for b in getattr(s, "balls", None) or [s.ball]:
            centre = b.ball.get_center()
            towards = (e - centre) / np.linalg.norm(e - centre)
            side = np.cross(towards, [0.0, 0.0, 1.0])
            side /= np.linalg.norm(side)
            up = np.cross(side, towards)
            outline = [centre + b.radius * 0.9 * towards + b.radius * 0.6 * w for w in (0 * up, side, -side, up, -up)]
            rows.append(dict(px=pixels(s, centre[None], 854, 480)[0].tolist(), color=b.color,
                             clear=not b.gone and all(in_view(s.view, p, e) for p in outline)))
        out[name] = rows
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
