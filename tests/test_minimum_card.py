"""A known minimum's value card ("f* = 0") covers no ball resting on its minimum.

Balls that end at a minimum rest on its star; a card lifted above the star sat
under (or over) them from some view. The card now stands beside the star on
screen, on a side clear of the balls' ends (:meth:`MinimaMarks.keep_clear`).

The test renders the last frame of learning-rate and race (default settings,
16:9 and 1:1; manim's last-frame render, ``-s``) under both renderers and
measures, in that frame: each ball's disc (its centre projected as the renderer
projects it, :func:`gdscenes.drawing.projection.pixels`; its radius as drawn)
and the card's box (its centre projected, its own layout kept on screen, as both
renderers draw a camera-facing label); they must not overlap, and the card must
really be drawn in that box (pixels read back: the plate and its glyphs).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import numpy as np
import pytest
from PIL import Image

from gdscenes.display.palette import DARK, hex_to_rgb
from tests.test_render_descent import render_elsewhere

pytestmark = pytest.mark.render

CASES = [("learning-rate", "16:9"), ("learning-rate", "1:1"), ("race", "16:9"), ("race", "1:1")]
#: Clips whose several cards must also keep off the axes' labels (himmelblau's four minima; in a square frame
#: the landscape is small and its tick labels crowd the stars at the floor's corners).
CROWDED = [("loss-curve", "1:1")]
#: Clips that draw the Hessian's ellipse around the resting ball: the card keeps off its outline.
ELLIPSE = [("curvature", "16:9")]
FPS = 5


def measure(media_dir: str, renderer: str) -> None:
    """Render the last frame of :data:`CASES` (child process: manim keeps one renderer per process) and print, per clip,
    the last frame's ball discs ``[column, row, radius]``, the last iterates' pixels and the cards' boxes
    ``[c0, r0, c1, r1]`` (pixels)."""
    from manim import config, tempconfig

    from gdscenes.drawing.projection import pixels
    from gdscenes.production.render import frame_config, variant
    from gdscenes.scenes.registry import SCENES
    from tests.opengl_lessons import balls_of

    def collect(scene: Any) -> dict[str, Any]:  # (in the scene's tear_down: manim's classes are converted back later)
        width, height = config.pixel_width, config.pixel_height
        per_px = np.array([width / config.frame_width, height / config.frame_height])
        balls, iterates = [], []
        for b in balls_of(scene):
            if b.gone:
                continue
            centre = b.ball.get_center()
            right = np.asarray(scene.renderer.camera.inverse_rotation_matrix)[0] if renderer == "opengl" else _cairo_right(scene)
            p, q = pixels(scene, np.array([centre, centre + b.radius * right]), width, height)
            # OpenGL: a sphere, as projected; Cairo: a disc kept facing the camera, its own size on screen.
            radius = float(np.hypot(*(q - p))) if renderer == "opengl" else float(b.ball.width / 2 * per_px[0])
            balls.append([float(p[0]), float(p[1]), radius])
            rows = [min(k * b.per_step, len(b.centres) - 1) for k in range(max(b.n_steps - 3, 0), b.n_steps + 1)]
            iterates += pixels(scene, b.centres[rows], width, height).tolist()
        cards = []
        for label in scene.marks.labels:
            plate = label.submobjects[0]
            # Drawn around its centre, projected; its own (x, y) layout kept on screen (frame units).
            centre = pixels(scene, label.get_center()[None], width, height)[0]
            low = (plate.get_corner([-1, -1, 0]) - label.get_center())[:2] * per_px
            high = (plate.get_corner([1, 1, 0]) - label.get_center())[:2] * per_px
            cards.append([float(centre[0] + low[0]), float(centre[1] - high[1]), float(centre[0] + high[0]),
                          float(centre[1] - low[1])])
        labels = []  # the axes' labels (ticks and names), camera-facing too: drawn around their centres
        for label in (m for group in scene.axes_parts[2:] for m in group.submobjects):
            centre = pixels(scene, label.get_center()[None], width, height)[0]
            half = np.array([label.width, label.height]) / 2 * per_px
            labels.append([float(centre[0] - half[0]), float(centre[1] - half[1]), float(centre[0] + half[0]),
                           float(centre[1] + half[1])])
        ellipse = getattr(scene, "ellipse", None)
        outline = pixels(scene, ellipse.outline.points, width, height).tolist() if ellipse is not None else []
        return {"balls": balls, "iterates": iterates, "cards": cards, "labels": labels, "outline": outline}

    out: dict[str, dict[str, Any]] = {}
    for name, aspect in [*CASES, *CROWDED, *ELLIPSE]:

        class Measured(variant(SCENES[name])):  # type: ignore[misc, valid-type]
            clip = f"{name}-{aspect.replace(':', 'x')}"

            def tear_down(self) -> None:
                super().tear_down()
                out[self.clip] = collect(self)

        # manim's last frame (-s): the animations are run to their ends, only the final frame is drawn.
        options = {**frame_config("l", aspect), "renderer": renderer, "save_last_frame": True, "write_to_movie": False,
                   "media_dir": media_dir, "disable_caching": True, "progress_bar": "none", "verbosity": "WARNING",
                   "frame_rate": FPS, "output_file": Measured.clip}
        with tempconfig(options):
            scene = Measured()
            scene.render()
            out[Measured.clip]["path"] = str(scene.renderer.file_writer.image_file_path)
    print(json.dumps(out))


def _cairo_right(scene: Any) -> np.ndarray:
    """The Cairo camera's screen-right direction in the scene."""
    theta = scene.renderer.camera.get_theta()
    return np.array([-np.sin(theta), np.cos(theta), 0.0])


def box_gap(box: list[float], column: float, row: float, radius: float) -> float:
    """Pixels between the disc and the box (negative: they overlap)."""
    c0, r0, c1, r1 = box
    dx, dy = max(c0 - column, 0.0, column - c1), max(r0 - row, 0.0, row - r1)
    if dx or dy:
        return float(np.hypot(dx, dy)) - radius
    return -radius - min(column - c0, c1 - column, row - r0, r1 - row)


@pytest.fixture(scope="module", params=["opengl", "cairo"])
def measured(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    media = tmp_path_factory.mktemp(f"cards-{request.param}")
    done = render_elsewhere(f"from tests.test_minimum_card import measure; measure({str(media)!r}, {request.param!r})")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("name, aspect", CASES)
def test_the_minimum_card_covers_no_ball_in_the_last_frame(measured: dict[str, Any], name: str, aspect: str) -> None:
    clip = measured[f"{name}-{aspect.replace(':', 'x')}"]
    (card,) = clip["cards"]  # (a quadratic bowl: one known minimum)
    assert clip["balls"], "no ball at rest"
    for column, row, radius in clip["balls"]:
        assert box_gap(card, column, row, radius) >= 1.0, (card, column, row, radius)
    for column, row in clip["iterates"]:  # the paths' last iterates (their dots) are not covered either
        assert box_gap(card, column, row, 0.0) >= 0.0, (card, column, row)
    # The card is drawn where it was measured: its plate (the panel colour) fills the box, and its glyphs,
    # lighter than the plate, are in it.
    frame = np.asarray(Image.open(clip["path"]).convert("RGB")).astype(float)
    c0, r0, c1, r1 = (int(round(v)) for v in card)
    inside = frame[max(r0 + 2, 0):r1 - 2, max(c0 + 2, 0):c1 - 2]
    assert inside.size, card
    plate = np.linalg.norm(inside - hex_to_rgb(DARK.panel) * 255, axis=-1) < 30
    lum = inside @ np.array([0.2126, 0.7152, 0.0722])
    glyphs = lum > np.median(lum) + 50
    assert plate.mean() > 0.6 and glyphs.mean() > 0.04, (plate.mean(), glyphs.mean())

if __name__ == "__main__":
    measure(sys.argv[1], sys.argv[2])


def box_overlap(a: list[float], b: list[float]) -> float:
    """Pixels by which two boxes overlap on the axis where they overlap least (0 or less: apart)."""
    return min(a[2] - b[0], b[2] - a[0], a[3] - b[1], b[3] - a[1])


@pytest.mark.parametrize("name, aspect", CROWDED)
def test_the_minimum_cards_cover_no_axis_label_and_no_ball(measured: dict[str, Any], name: str, aspect: str) -> None:
    clip = measured[f"{name}-{aspect.replace(':', 'x')}"]
    assert len(clip["cards"]) == 4 and len(clip["labels"]) >= 10, clip
    for card in clip["cards"]:
        for label in clip["labels"]:
            assert box_overlap(card, label) <= 0.0, (card, label)
        for column, row, radius in clip["balls"]:
            assert box_gap(card, column, row, radius) >= 1.0, (card, column, row, radius)


@pytest.mark.parametrize("name, aspect", ELLIPSE)
def test_the_minimum_card_keeps_off_the_curvature_ellipse(measured: dict[str, Any], name: str, aspect: str) -> None:
    clip = measured[f"{name}-{aspect.replace(':', 'x')}"]
    assert len(clip["outline"]) > 20 and len(clip["cards"]) == 4, clip
    for card in clip["cards"]:
        for column, row in clip["outline"]:
            assert box_gap(card, column, row, 0.0) >= 0.0, (card, column, row)
