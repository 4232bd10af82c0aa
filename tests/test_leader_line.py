"""A value card set away from its star has a leader line to it; a card beside its star has none.

:meth:`MinimaMarks.keep_clear` moves a card out of the way of an outline drawn around its star (the curvature
lesson's ellipse around the resting ball), of the balls' last iterates, of other cards. Standing away from the star,
the card needs a line to say what it labels: from the card's border, at the point of it nearest the star, to the
star's rim (:func:`gdscenes.drawing.card.leader_ends`). The built mobjects are checked against the geometry worked
out here; the curvature lesson's last frame, under both renderers, is read back where the line runs.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import numpy as np
import pytest
from PIL import Image

from gdscenes.core.losses import get_loss
from gdscenes.display import vision
from gdscenes.display.palette import DARK, LIGHT, surround_contrast
from gdscenes.display.view import View
from gdscenes.drawing.camera import Shot
from gdscenes.drawing.card import leader_ends
from gdscenes.drawing.markers import CARD_GAP, MinimaMarks

FPS = 5


def box_of(mobject: Any) -> tuple[np.ndarray, np.ndarray]:
    """Centre (x, y) and half sizes of a mobject's box."""
    return np.asarray(mobject.get_center())[:2], np.array([mobject.width, mobject.height]) / 2


def border_points(centre: np.ndarray, half: np.ndarray, n: int = 400) -> np.ndarray:
    """Points all round a box's border (x, y)."""
    t = np.linspace(-1.0, 1.0, n)
    sides = [np.c_[t * half[0], np.full(n, s * half[1])] for s in (-1, 1)]
    sides += [np.c_[np.full(n, s * half[0]), t * half[1]] for s in (-1, 1)]
    return centre + np.vstack(sides)


def test_leader_ends_worked_out_by_hand() -> None:
    from manim import Rectangle

    box = Rectangle(width=2.0, height=1.0).move_to([1.0, 0.0, 0.0])  # x from 0 to 2, y from -0.5 to 0.5
    # A point right of the box, level with it: the line leaves the right side at the point's height and stops 0.5 short.
    start, end = leader_ends(box, np.array([5.0, 0.25, 0.0]), touch=0.1, mark=0.5)  # type: ignore[misc]
    assert start == pytest.approx([2.0, 0.25, 0.0]) and end == pytest.approx([4.5, 0.25, 0.0])
    # Beyond a corner: from the corner (2, 0.5) towards (5, 4.5), a 3-4-5 triangle; 1 short of it is (4.4, 3.7).
    start, end = leader_ends(box, np.array([5.0, 4.5, 0.0]), touch=0.1, mark=1.0)  # type: ignore[misc]
    assert start == pytest.approx([2.0, 0.5, 0.0]) and end == pytest.approx([4.4, 3.7, 0.0])
    # Within ``touch`` of the box (0.3 from its right side): no line.
    assert leader_ends(box, np.array([2.3, 0.0, 0.0]), touch=0.35, mark=0.1) is None


def test_the_leaders_colours_keep_3_to_1_against_the_surface_and_the_card() -> None:
    for theme in (DARK, LIGHT):
        assert surround_contrast(theme.text, theme.panel) >= 3.0, theme.name  # the line on its casing, on any colour
        assert vision.contrast(theme.text, theme.card) >= 3.0, theme.name


def pushed_marks() -> tuple[MinimaMarks, float]:
    """Himmelblau's four cards placed with an outline (radius 0.8) round the first star: that card is pushed past it."""
    loss = get_loss("himmelblau")
    view = View.fit(loss.value, loss.domain, f_min=0.0)
    marks = MinimaMarks(view, loss.minima, DARK)
    for label in marks.labels:  # made with the card: a camera-facing card keeps the members it had when added
        assert len(label.submobjects) == 4
    angles = np.linspace(0.0, 2 * np.pi, 73)
    ring = marks.points[0] + 0.8 * np.c_[np.cos(angles), np.sin(angles), np.zeros_like(angles)]
    marks.keep_clear([], Shot(phi=0.0, theta=-90.0, zoom=1.0, screen_offset=(0.0, 0.0)), outlines=[ring])
    return marks, 0.8


def test_a_card_pushed_away_from_its_star_has_a_line_from_its_border_to_the_star() -> None:
    marks, radius = pushed_marks()
    label = marks.labels[0]
    plate, leader = label.submobjects[0], label.submobjects[3]
    centre, half = box_of(plate)
    star = marks.anchor(label)[:2]
    # Seen from straight above, the card stands outside the ring: further than the ring's radius from the star.
    gap = float(np.linalg.norm(np.maximum(np.abs(star - centre) - half, 0.0)))
    assert gap > radius
    for line in leader.submobjects:
        assert line.get_stroke_opacity() == 1.0
    start, end = (np.asarray(p)[:2] for p in (leader[1].get_start(), leader[1].get_end()))
    # The start lies on the card's border ...
    inside = np.abs(start - centre) - half
    assert max(inside) == pytest.approx(0.0, abs=1e-6) and min(inside) <= 1e-6
    # ... at the border's point nearest the star,
    assert np.linalg.norm(start - star) <= np.min(np.linalg.norm(border_points(centre, half) - star, axis=1)) + 1e-6
    # and the end at the star: on the line from the start to it, the star's radius short of it.
    to_star = star - start
    assert np.linalg.norm(end - star) == pytest.approx(marks.star_radius, abs=1e-6)
    assert float((end - start)[0] * to_star[1] - (end - start)[1] * to_star[0]) == pytest.approx(0.0, abs=1e-6)
    assert 0.0 < float(np.dot(end - start, to_star)) < float(np.dot(to_star, to_star))
    assert leader[0].get_start() == pytest.approx(leader[1].get_start()) and leader[0].get_end() == pytest.approx(
        leader[1].get_end())  # (the casing under it, alike)


def test_a_card_beside_its_star_has_no_line() -> None:
    marks, _ = pushed_marks()
    for label in marks.labels[1:]:  # (no outline round these stars: beside them)
        centre, half = box_of(label.submobjects[0])
        star = marks.anchor(label)[:2]
        gap = float(np.linalg.norm(np.maximum(np.abs(star - centre) - half, 0.0)))
        assert gap <= marks.star_radius + 2 * CARD_GAP
        assert all(line.get_stroke_opacity() == 0.0 for line in label.submobjects[3].submobjects)


# -- drawn: the curvature lesson's last frame under both renderers ---------------------------------------------------
def measure(media_dir: str, renderer: str) -> None:
    """Render the curvature lesson's last frame (child process: manim keeps one renderer per process) and print each
    card's leader (visible or not, its ends in pixels) and the frame's path."""
    from manim import config, tempconfig

    from gdscenes.drawing.projection import pixels
    from gdscenes.production.render import frame_config, variant
    from gdscenes.scenes.registry import SCENES

    out: dict[str, Any] = {}

    class Measured(variant(SCENES["curvature"])):  # type: ignore[misc]
        def tear_down(self) -> None:
            super().tear_down()
            width, height = config.pixel_width, config.pixel_height
            per_px = np.array([width / config.frame_width, -height / config.frame_height])
            leaders = []
            for label in self.marks.labels:
                line = label.submobjects[3][1]
                # Drawn around the label's centre, projected; its own (x, y) layout kept on screen.
                centre = pixels(self, label.get_center()[None], width, height)[0]
                ends = [(centre + (np.asarray(p) - label.get_center())[:2] * per_px).tolist()
                        for p in (line.get_start(), line.get_end())]
                leaders.append({"shown": float(line.get_stroke_opacity()) > 0, "ends": ends})
            out["leaders"] = leaders

    options = {**frame_config("l", "16:9"), "renderer": renderer, "save_last_frame": True, "write_to_movie": False,
               "media_dir": media_dir, "disable_caching": True, "progress_bar": "none", "verbosity": "WARNING",
               "frame_rate": FPS, "output_file": f"curvature-{renderer}"}
    with tempconfig(options):
        scene = Measured()
        scene.render()
        out["path"] = str(scene.renderer.file_writer.image_file_path)
    print(json.dumps(out))


@pytest.mark.render
@pytest.mark.parametrize("renderer", ["opengl", "cairo"])
def test_the_curvature_lessons_card_is_drawn_with_its_leader(renderer: str, tmp_path: Any) -> None:
    """The card by the resting ball stands outside the ellipse: its leader is drawn, a light line on the surface's
    dark bowl, in the frame where the card's geometry puts it."""
    from tests.test_render_descent import render_elsewhere

    done = render_elsewhere(f"from tests.test_leader_line import measure; measure({str(tmp_path)!r}, {renderer!r})")
    clip = json.loads(done.stdout.strip().splitlines()[-1])
    shown = [leader for leader in clip["leaders"] if leader["shown"]]
    assert len(shown) == 1, clip["leaders"]  # (the card at the resting ball; the other three stand at their stars)
    frame = np.asarray(Image.open(clip["path"]).convert("RGB")).astype(float)
    lum = frame @ np.array([0.2126, 0.7152, 0.0722])
    (c0, r0), (c1, r1) = shown[0]["ends"]
    assert np.hypot(c1 - c0, r1 - r0) > 8, shown  # (long enough to read back)
    # Along the first part of the line (before the ellipse): the line's light colour in each 3x3 neighbourhood,
    # where the surface there (the bowl's dark violet) is dark.
    lit = []
    for t in np.linspace(0.1, 0.35, 6):
        c, r = int(round(c0 + t * (c1 - c0))), int(round(r0 + t * (r1 - r0)))
        lit.append(float(lum[r - 1 : r + 2, c - 1 : c + 2].max()))
    assert min(lit) > 150, lit


if __name__ == "__main__":
    measure(sys.argv[1], sys.argv[2])
