"""Square (1:1) frames: the height axis' tick labels stand clear of the surface.

A square frame shows the landscape at a smaller zoom than a wide one, while the
labels keep their size on screen: placed as in a wide frame (a fixed distance in
display units from the axis), they came within a few pixels of the surface's edge.
Checked through the camera itself (manim's perspective projection of the surface's
points and of each label's centre, the label's box its size on screen) over the
camera's move; wide and tall frames keep their labels where they were.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from manim import tempconfig

from gdscenes.drawing import type_scale
from gdscenes.drawing import landscape
from gdscenes.drawing.landscape import height_ticks
from gdscenes.drawing.projection import frame_coordinates
from gdscenes.production.render import frame_config
from gdscenes.scenes.lesson import LessonScene
from gdscenes.scenes.registry import SCENES




class Framed(Exception):
    """Raised once the lesson has framed its clip: its axes are made for the camera it keeps."""


def framed(name: str, aspect: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Lesson ``name`` built in an ``aspect`` frame as it renders until it has chosen its camera (the orbit turned to
    keep the paths in sight) and made its axes for the clip's camera move
    (:meth:`~gdscenes.scenes.lesson.LessonScene.roll`); the scene, with ``camera_seconds``: how long its camera moves
    (the steps and the hold)."""
    seen: dict[str, Any] = {}
    add_axes = LessonScene.add_axes

    def stop(self: Any, view: Any, orbit: Any, move: Any = None) -> None:
        add_axes(self, view, orbit, move)
        if move is not None:
            seen["scene"], self.camera_seconds = self, float(move.end)
            raise Framed

    monkeypatch.setattr(LessonScene, "add_axes", stop)
    with tempconfig({**frame_config("l", aspect), "write_to_movie": False, "disable_caching": True}):
        scene = SCENES[name]()
        scene.setup()
        with pytest.raises(Framed):
            scene.construct()
    return seen["scene"]


def tick_labels(scene: Any) -> list[Any]:
    """The height axis' tick labels as the lesson placed them (the last of its labels, before the axis' name)."""
    group = scene.axes_parts[3] if len(scene.axes_parts) > 3 else scene.axes_parts[2]
    count = len(height_ticks(scene.view))
    # (a label drawn over the surface, inward, stands on a plate: its number is the group's last member)
    labels = [label if hasattr(label, "tex_strings") else label[-1] for label in list(group)[-(count + 1):-1]]
    for label in labels:  # (numbers: 0, 100, ...)
        assert "".join(label.tex_strings).replace(".", "").replace("-", "").isdigit(), label.tex_strings
    return labels


def aim_at(scene: Any, seconds: float) -> None:
    """Point the (Cairo) camera as the lesson's orbit is ``seconds`` in (twice: the camera places the landscape's pivot
    with the rotation it had, which it updates only when asked)."""
    for _ in range(2):
        scene.lesson_orbit.apply(scene, seconds)
        scene.renderer.camera.reset_rotation_matrix()


def surface_gap(scene: Any, aspect: str, seconds: float) -> float:
    """The least distance on screen (frame units) between a tick label's box and a point of the surface,
    ``seconds`` into the lesson's orbit."""
    view = scene.view
    (x0, x1), (y0, y1) = view.domain
    u, v = np.meshgrid(np.linspace(x0, x1, 121), np.linspace(y0, y1, 121), indexing="ij")
    points = view.surface_points(u.ravel(), v.ravel())
    with tempconfig(frame_config("l", aspect)):
        aim_at(scene, seconds)
        seen = frame_coordinates(scene, points)
        gaps = []
        for label in tick_labels(scene):
            centre = frame_coordinates(scene, label.get_center()[None])[0]
            dx = np.maximum(np.abs(seen[:, 0] - centre[0]) - label.width / 2, 0.0)
            dy = np.maximum(np.abs(seen[:, 1] - centre[1]) - label.height / 2, 0.0)
            gaps.append(float(np.hypot(dx, dy).min()))
    return min(gaps)


@pytest.mark.parametrize(("name", "aspect", "need"),
                         [("local-minima", "1:1", 1.75), ("descent", "1:1", 1.75), ("descent", "16:9", 1.45)])
def test_height_labels_stand_clear_of_the_surface(name: str, aspect: str, need: float,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Over the camera's whole move each tick label's box keeps ``need`` caption digits from every point of the surface
    on screen (the rule asks 1.5 at 16:9's zoom, 2.1 at 1:1's smaller one, at the views the axes are placed
    for: the whole clip's), and stays in the frame. Before: 1.05 digits (local-minima) and 0.78 (descent) at 1:1 at the
    clip's start."""
    scene = framed(name, aspect, monkeypatch)
    digit = type_scale.height("caption")
    assert not getattr(scene.axes_parts[-1], "inward", False)
    for seconds in np.linspace(0.0, scene.camera_seconds, 7):
        gap = surface_gap(scene, aspect, seconds)
        assert gap >= need * digit, f"{name} at {seconds:.1f} s: a tick label {gap / digit:.2f} caption digits from the surface"
        inside_frame(scene, aspect, seconds)


def inside_frame(scene: Any, aspect: str, seconds: float) -> None:
    """Every tick label's box inside the frame ``seconds`` into the camera's move."""
    with tempconfig(frame_config("l", aspect)):
        aim_at(scene, seconds)
        for label in tick_labels(scene):
            centre = frame_coordinates(scene, label.get_center()[None])[0]
            assert abs(centre[0]) + label.width / 2 <= scene.layout.width / 2
            assert abs(centre[1]) + label.height / 2 <= scene.layout.height / 2


def label_points(name: str, aspect: str) -> np.ndarray:
    """Where lesson ``name`` puts its height axis' tick labels in an ``aspect`` frame (display points)."""
    with pytest.MonkeyPatch.context() as patch:
        return np.array([m.get_center() for m in tick_labels(framed(name, aspect, patch))])


@pytest.mark.parametrize(("name", "aspect"), [("local-minima", "16:9"), ("local-minima", "9:16")])
def test_wide_and_tall_frames_keep_their_height_labels(name: str, aspect: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the labels already stood clear (16:9), or stand over the surface by design (9:16: on the axis' inner
    side), they stay where they were: the lesson built again with the labels at their old distance from the axis
    (no clearance asked) puts them at the same points."""
    monkeypatch.setattr(landscape, "reuse", lambda key, make: make())  # (each build makes its own axes)
    placed = label_points(name, aspect)
    monkeypatch.setattr(landscape, "clear_of_surface", lambda *args: 0.0)  # (the distance it starts from)
    old = label_points(name, aspect)
    assert np.allclose(placed, old, atol=1e-9)


def test_square_labels_moved_out_from_where_they_were(monkeypatch: pytest.MonkeyPatch) -> None:
    """At 1:1 the labels are moved away from the axis (the same side), at the same heights."""
    monkeypatch.setattr(landscape, "reuse", lambda key, make: make())
    placed = label_points("local-minima", "1:1")
    monkeypatch.setattr(landscape, "clear_of_surface", lambda *args: 0.0)
    old = label_points("local-minima", "1:1")
    assert np.allclose(placed[:, 2], old[:, 2])
    assert (np.linalg.norm(placed[:, :2], axis=1) > np.linalg.norm(old[:, :2], axis=1) + 0.05).any()


@pytest.mark.parametrize(("name", "aspect"), [("descent", "16:9"), ("valley", "1:1"), ("curvature", "9:16")])
def test_height_labels_are_level_with_their_ticks_on_screen(name: str, aspect: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each height label stands beside its tick, across the camera's line of sight: seen from the clip's camera every
    2 seconds, its centre is within a third of a caption digit of its tick's root, up or down (the orbit turns the
    view a little). Moved out along the corner's diagonal, as the tick marks were drawn, the labels stood higher on
    screen the farther out they went: descent at 16:9 ended 17 px (1080p) above its ticks, a third of their spacing."""
    from gdscenes.drawing import type_scale
    from gdscenes.drawing.camera import on_screen

    scene = framed(name, aspect, monkeypatch)
    labels = np.array([label.get_center() for label in tick_labels(scene)])
    points = np.asarray(scene.axes_parts[1].points)  # (the axis, then each tick: a segment of four points each)
    roots = points[4::4][: len(labels)]
    move = scene.camera_move
    with tempconfig(frame_config("l", aspect)):
        digit = type_scale.height("caption")
        for seconds in np.arange(0.0, move.end + 1e-9, 2.0):
            shot = move.shot(float(seconds))
            seen = [on_screen(p, *shot.angles(), shot.zoom, shot.screen_offset) for p in (labels, roots)]
            off = np.abs(seen[0][:, 1] - seen[1][:, 1]) / digit
            assert off.max() < 1 / 3, f"{name} {aspect} at {seconds:.0f} s: labels {np.round(off, 2)} digits off their ticks"


def test_height_labels_drawn_over_the_surface_stand_on_plates(monkeypatch: pytest.MonkeyPatch) -> None:
    """descent at 9:16 draws its height axis' labels on the axis' inner side, over the surface (outside they would
    leave the frame): each stands on a plate of the panel colour that covers it, and the label then keeps the 4.5:1
    of text over the brightest colour of the surface, which it lacks without the plate (dark theme: 2.0:1 without, 5.1:1 with)."""
    from gdscenes.display import vision
    from gdscenes.display.palette import CARD_OPACITY, VIRIDIS

    scene = framed("descent", "9:16", monkeypatch)
    group = scene.axes_parts[-1]
    assert getattr(group, "inward", False)
    count = len(height_ticks(scene.view))
    for plated in list(group)[-(count + 1):-1]:
        plate, label = plated[0], plated[-1]
        assert plate.get_fill_color().to_hex().lower() == scene.colors.panel.lower()
        assert plate.get_fill_opacity() == pytest.approx(CARD_OPACITY)
        assert plate.width > label.width and plate.height > label.height
        assert np.allclose(plate.get_center(), label.get_center())
    brightest = VIRIDIS[-1]
    text = scene.colors.muted
    assert vision.contrast(text, brightest) < 4.5
    assert vision.contrast(text, vision.over(scene.colors.panel, brightest, CARD_OPACITY)) >= 4.5


def test_a_key_with_no_room_in_the_band_stands_in_the_corner_clear_of_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """momentum-inertia at 1:1: its arrows' key has no room under the panel in the 2.9-unit band, so it stands in the
    frame's bottom right corner (it was put under the upright colour bar and cut at the frame's bottom): inside the
    frame, clear of the colour bar (shortened to stand above it) and of the band, and, seen as either renderer draws
    it from the clip's camera every 2 seconds, of every point of the surface and the floor and of the centre of
    every floor label. The key is brief (``3 x (-eta v_{k+1})``, not "..., the step taken": the rule under the title
    says so), two lines, so the floor's y axis keeps every label (it had -1 and 2 only: 0 and 1 were under the key)."""
    from gdscenes.drawing.layout import boxes_overlap

    aspect = "1:1"
    scene = framed("momentum-inertia", aspect, monkeypatch)
    key, bar, layout = scene.corner_key, scene.colour_key, scene.layout
    assert key.get_bottom()[1] >= -layout.height / 2 and key.get_right()[0] <= layout.width / 2
    assert not boxes_overlap(key, bar, 0.1)
    assert bar.get_top()[1] <= min(block.get_bottom()[1] for block in scene.text_blocks)
    floor = [label for label in scene.axes_parts[2] if label.get_center()[2] < 0]
    ys = sorted(float(label.tex_string.replace("\\text{", "").strip("{}")) for label in floor
                if label.get_center()[0] > scene.view.width / 2 and label.tex_string != "y")  # (beside the right edge)
    assert ys == [-1, 0, 1, 2], ys
    assert len(key.entries) == 2 and all(entry.height < 0.3 for entry in key.entries)
    assert_clear_of_the_landscape(scene, key, aspect)


def assert_clear_of_the_landscape(scene: Any, box: Any, aspect: str) -> None:
    """``box`` (fixed in the frame) covers no point of the surface or the floor and no floor label's centre, seen as
    either renderer draws them from the clip's camera every 2 seconds."""
    from gdscenes.drawing.camera import on_screen

    view = scene.view
    (x0, x1), (y0, y1) = view.domain
    u, v = np.meshgrid(np.linspace(x0, x1, 61), np.linspace(y0, y1, 61), indexing="ij")
    labels = [label.get_center() for label in scene.axes_parts[2] if label.get_center()[2] < 0]  # (the floor's)
    points = np.vstack([view.surface_points(u.ravel(), v.ravel()), view.floor_points(u.ravel(), v.ravel()), labels])
    low, high = box.get_corner(np.array([-1, -1, 0]))[:2], box.get_corner(np.array([1, 1, 0]))[:2]
    move = scene.camera_move
    for renderer in ("cairo", "opengl"):
        with tempconfig({**frame_config("l", aspect), "renderer": renderer}):
            for seconds in np.arange(0.0, move.end + 1e-9, 2.0):
                shot = move.shot(float(seconds))
                seen = on_screen(points, *shot.angles(), shot.zoom, shot.screen_offset)
                inside = ((seen > low) & (seen < high)).all(axis=1)
                assert not inside.any(), f"{renderer}: {inside.sum()} points of the landscape under the key at {seconds:.1f} s"


def test_a_key_with_no_room_under_a_wide_frames_panel_stands_under_the_colour_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    """adam-preconditioner at 16:9: its panel fills the text column, so its key stands on its own under the colour
    bar, right-aligned with it, narrow (its label wraps), its text inside its card, inside the frame and clear of the
    landscape all through the clip. (It was put in the bottom right corner meant for square frames, over the floor's
    corner, its text past its card; on one line under the bar, the surface's far corner passed under it.)"""
    from gdscenes.drawing.layout import boxes_overlap

    scene = framed("adam-preconditioner", "16:9", monkeypatch)
    key, bar, layout = scene.key, scene.colour_key, scene.layout
    assert not hasattr(scene, "corner_key")
    assert key.get_top()[1] < bar.get_bottom()[1] and not boxes_overlap(key, bar, 0.1)
    assert key.get_right()[0] == pytest.approx(bar.get_right()[0])
    assert key.get_right()[0] <= layout.width / 2 and key.get_top()[1] <= layout.height / 2
    assert key.entries.get_right()[0] < key.background.get_right()[0]  # (its text inside its card)
    assert_clear_of_the_landscape(scene, key, "16:9")
