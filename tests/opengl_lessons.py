"""Child process of the OpenGL lesson tests (manim keeps one renderer per process).

``python -m tests.opengl_lessons MEDIA_DIR frames [--no-xray]`` renders every lesson
with its own steps (fast-paced, a few frames a second) and a few camera set-ups
where the surface covers balls (the ``dive`` preset, ``sin(x)*cos(y)``, a sweep
tile's camera that does not turn to keep the path in sight), and records for
every written frame each ball's projected pixel, its radius in pixels, colour
and opacity (and the update panel's box in pixels, where there is one); and, for
the lessons with a surface, where each ball rests at the end and whether it is
clearly in view there.
``--no-xray`` turns the x-ray silhouettes off (the test's control);
``--only=NAME,NAME`` renders only those clips.

``python -m tests.opengl_lessons MEDIA_DIR contours`` renders the contour floor
of ``x^2`` alone and prints the pixels of each contour line's two ends (and of the ball's shadow).
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from typing import Any

import numpy as np

from gdscenes.drawing.projection import pixels
from gdscenes.production.render import render, variant
from gdscenes.scenes.descent_1d import CurveScene
from gdscenes.scenes.registry import SCENES

#: Every lesson with its own steps, paced fast (the surface at its usual resolution, so it hides what it hides).
PACED = dict(seconds_per_step=0.1, intro_seconds=0.1, hold_seconds=0.4, max_roll_seconds=3.0, basin_samples=16)
WIDTH, HEIGHT = 854, 480


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


def resting_balls(s: Any) -> list[dict[str, Any]]:
    """Each ball of the rendered lesson ``s`` at its end: its pixel, colour, and whether it is clearly in
    view (rays from its visible outline to the eye clear the surface)."""
    e = eye(s.renderer.camera)
    rows = []
    for b in getattr(s, "balls", None) or [s.ball]:
        centre = b.ball.get_center()
        towards = (e - centre) / np.linalg.norm(e - centre)
        side = np.cross(towards, [0.0, 0.0, 1.0])
        side /= np.linalg.norm(side)
        up = np.cross(side, towards)
        outline = [centre + b.radius * 0.9 * towards + b.radius * 0.6 * w for w in (0 * up, side, -side, up, -up)]
        rows.append(dict(px=pixels(s, centre[None], WIDTH, HEIGHT)[0].tolist(), color=b.color, gone=bool(b.gone),
                         clear=not b.gone and all(in_view(s.view, p, e) for p in outline)))
    return rows


def frame_cases() -> dict[str, tuple[type, dict[str, Any]]]:
    """Name: (scene class, settings) of every clip whose frames are checked."""
    cases: dict[str, tuple[type, dict[str, Any]]] = {}
    for name, scene in SCENES.items():
        cases[name] = (scene, {k: v for k, v in PACED.items() if hasattr(scene, k)})
    descent = SCENES["descent"]
    paced = {k: v for k, v in PACED.items() if hasattr(descent, k)}
    cases["descent-dive"] = (descent, {**paced, "camera_preset": "dive"})
    cases["descent-follow"] = (descent, {**paced, "camera_preset": "follow"})
    cases["descent-sincos"] = (descent, {**paced, "loss": "sin(x)*cos(y)"})
    # A sweep tile: the lesson's camera as it is, not turned to keep this variant's path in sight.
    cases["descent-sweep-tile"] = (descent, {**paced, "orbit": replace(descent.orbit, keep_in_sight=False),
                                             "start": (0.5, 4.5)})
    return cases


def balls_of(scene: Any) -> list[Any]:
    """The rolling balls of a lesson (objects with ``.ball``, ``.radius`` and ``.color``)."""
    found = getattr(scene, "balls", None) or [getattr(scene, "ball", None)]
    return [b for b in found if b is not None and hasattr(b, "ball")]


def frames(media_dir: str, xray: bool = True, only: list[str] | None = None) -> None:
    """Render :func:`frame_cases` (those named in ``only``, if given) and print, per clip,
    per written frame, each ball's ``[column, row, radius_px, opacity]`` and the balls' colours."""
    from gdscenes.drawing.gl.readback import FileWriter
    from gdscenes.drawing.gl.renderer import LessonRenderer

    LessonRenderer.xray = xray
    state: dict[str, Any] = {"scene": None, "pending": [], "written": [], "panel": None}
    update, write = LessonRenderer.update_frame, FileWriter.write_frame

    def record(self: Any, scene: Any) -> None:
        update(self, scene)
        balls = balls_of(scene)
        row = []
        if balls:
            camera = self.camera
            right = np.asarray(camera.inverse_rotation_matrix)[0]
            centres = np.array([b.ball.get_center() for b in balls])
            px = pixels(scene, centres, WIDTH, HEIGHT)
            rims = pixels(scene, centres + np.array([b.radius for b in balls])[:, None] * right, WIDTH, HEIGHT)
            for b, p, r in zip(balls, px, rims):
                if "rgbas" in b.ball.data:
                    opacity = float(np.asarray(b.ball.data["rgbas"]).reshape(-1, 4)[0, 3])
                else:  # a flat ball (the 1D lessons): its disc's fill
                    opacity = float(np.max(b.ball.family_members_with_points()[0].get_fill_opacity()))
                row.append([float(p[0]), float(p[1]), float(np.hypot(*(r - p))), opacity])
        state["pending"].append(row)
        panel = getattr(scene, "panel", None)
        if panel is not None:  # its box in pixels (fixed in frame: frame units)
            from manim import config

            (x0, y0), (x1, y1) = panel.get_corner([-1, -1, 0])[:2], panel.get_corner([1, 1, 0])[:2]
            fw, fh = config.frame_width, config.frame_height
            state["panel"] = [(x0 / fw + 0.5) * WIDTH, (0.5 - y1 / fh) * HEIGHT,
                              (x1 / fw + 0.5) * WIDTH, (0.5 - y0 / fh) * HEIGHT]

    def written(self: Any, frame: Any, *, repeat: int = 1) -> None:
        row = state["pending"].pop(0) if state["pending"] else (state["written"][-1] if state["written"] else [])
        if not self.output_spec.is_video or self._current_encode_job is not None:  # (else manim drops the frame)
            state["written"].extend([row] * repeat)
        write(self, frame, repeat=repeat)

    LessonRenderer.update_frame = record  # type: ignore[method-assign]
    FileWriter.write_frame = written  # type: ignore[method-assign]
    out = {}
    for name, (scene, settings) in frame_cases().items():
        if only and name not in only:
            continue
        state["pending"], state["written"], state["panel"] = [], [], None
        s = render(variant(scene, **settings), name, quality="l", media_dir=media_dir, fps=4, renderer="opengl",
                   extra_config={"progress_bar": "none"}).scene
        out[name] = {"colors": [b.color for b in balls_of(s)], "frames": state["written"], "panel": state["panel"],
                     "end": None if isinstance(s, CurveScene) else resting_balls(s)}
    print(json.dumps(out))


def contours(media_dir: str) -> None:
    """Render ``x^2``'s contour floor alone, seen by the lesson's camera, held still;
    print the pixels of the two ends of each contour line."""
    from gdscenes.display.contours import contour_lines

    scene = variant(SCENES["descent"], loss="x^2 + 0*y", show_surface=False, steps=1, tol=None, seconds_per_step=0.1,
                    intro_seconds=0.1, hold_seconds=0.1, camera_preset="static")
    s = render(scene, "x2-floor", quality="l", media_dir=media_dir, fps=5, renderer="opengl",
               extra_config={"progress_bar": "none"}).scene
    ends = []
    for line in contour_lines(s.view, 14):
        points = s.view.floor_points(line.points[[0, -1], 0], line.points[[0, -1], 1])
        ends.append(pixels(s, points, WIDTH, HEIGHT).tolist())
    end = s.trajectory.points[-1, 0]
    shadow = pixels(s, s.view.floor_points(*end)[None], WIDTH, HEIGHT)[0].tolist()  # (it covers a line)
    print(json.dumps({"ends": ends, "shadow": shadow}))


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[2] == "frames":
        named = [a.split("=", 1)[1].split(",") for a in sys.argv if a.startswith("--only=")]
        frames(sys.argv[1], xray="--no-xray" not in sys.argv, only=named[0] if named else None)
    elif len(sys.argv) > 2 and sys.argv[2] == "contours":
        contours(sys.argv[1])
