"""Square (1:1) and tall (9:16) frames: every lesson's text at the type scale, the landscape a third of the frame.

Each lesson is built as it renders (its own ``construct``) up to the moment its
text blocks are placed (:meth:`~gdscenes.scenes.lesson.LessonScene.place_text`);
then the widths of the blocks are read before and after
:meth:`~gdscenes.drawing.layout.Layout.stack` (a block the layout shrank is
narrower than it was built), and the landscape's share of the frame is worked
out from what the layout gave it: the drawn landscape's extent over every
azimuth (:func:`~gdscenes.drawing.layout.landscape_extent`) at the orbit's
zoom, or, for the 1D lessons, their plot's rectangle.
"""

from __future__ import annotations

from typing import Any

import pytest
from manim import tempconfig

from gdscenes.drawing import layout as layout_module
from gdscenes.production.render import frame_config
from gdscenes.scenes.lesson import LessonScene
from gdscenes.scenes.registry import SCENES

ASPECTS = ("1:1", "9:16")

class Placed(Exception):
    """Raised once the text is placed: the rest of the lesson is not needed."""


def placed_text(name: str, aspect: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Build lesson ``name`` in an ``aspect`` frame until its text is placed: the blocks' widths as built and as
    placed, the landscape's share of the frame, and the scene."""
    seen: dict[str, Any] = {}
    stack = layout_module.Layout.stack
    place = LessonScene.place_text

    def recording_stack(self: Any, blocks: list[Any], buff: float = 0.25) -> Any:
        seen["built"] = [b.width for b in blocks]
        group = stack(self, blocks, buff)
        seen["placed"] = [b.width for b in blocks]
        seen["kinds"] = [type(b).__name__ for b in blocks]
        return group

    def stopping_place(self: Any, *blocks: Any) -> None:
        place(self, *blocks)
        seen["scene"] = self
        raise Placed

    monkeypatch.setattr(layout_module.Layout, "stack", recording_stack)
    monkeypatch.setattr(LessonScene, "place_text", stopping_place)
    with tempconfig({**frame_config("l", aspect), "write_to_movie": False, "disable_caching": True}):
        scene = SCENES[name]()
        scene.setup()
        with pytest.raises(Placed):
            scene.construct()
        frame = scene.layout.width * scene.layout.height
        view = getattr(scene, "view", None)
        if hasattr(scene, "plot_rect"):  # (1D lessons: their plot)
            _, _, width, height = scene.plot_rect()
            seen["share"] = width * height / frame
        else:
            assert view is not None
            orbit = scene.lesson_orbit
            left, right, bottom, top = layout_module.landscape_extent(view, orbit.phi)
            seen["share"] = (right - left) * (top - bottom) * orbit.zoom**2 / frame
    return seen


CASES = [pytest.param(name, aspect, id=f"{name}-{aspect}") for aspect in ASPECTS for name in sorted(SCENES)]


@pytest.mark.parametrize(("name", "aspect"), CASES)
def test_text_keeps_the_type_scale_and_the_landscape_a_third(name: str, aspect: str, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = placed_text(name, aspect, monkeypatch)
    scales = [placed / built for built, placed in zip(seen["built"], seen["placed"])]
    assert min(scales) == pytest.approx(1.0, abs=1e-6), f"{name} at {aspect}: {seen['kinds']} shrunk to {min(scales):.3f}"
    rules = [float(getattr(block.rule, "shrunk", 1.0)) for block in seen["scene"].text_blocks if hasattr(block, "rule")]
    assert min(rules, default=1.0) == 1.0, f"{name} at {aspect}: the update rule scaled to {min(rules):.3f} of its size"
    assert seen["share"] >= 1 / 3, f"{name} at {aspect}: the landscape has {seen['share']:.3f} of the frame"
    # Nothing cut: the text inside the frame.
    scene = seen["scene"]
    for block in scene.text_blocks:
        assert block.get_left()[0] >= -scene.layout.width / 2 - 1e-6 and block.get_right()[0] <= scene.layout.width / 2 + 1e-6
        assert block.get_top()[1] <= scene.layout.height / 2 + 1e-6


def test_a_legend_in_columns_in_a_short_wide_band() -> None:
    """Six rows in a 7.4-wide band with room for 3.2: two columns, read down each, at the type scale;
    the title across both; each note under its own label, inside its column."""
    from gdscenes.display.palette import DARK
    from gdscenes.drawing import type_scale
    from gdscenes.drawing.legend import Legend

    with tempconfig(frame_config("l", "1:1")):
        rows = [("#ff0000", rf"\text{{run {i}}},\ \eta = 0.{i}") for i in range(6)]
        one = Legend("Six runs", rows, DARK, width=7.4, max_height=100.0)
        two = Legend("Six runs", rows, DARK, width=7.4, max_height=3.2)
        assert one.columns == 1 and two.columns == 2
        assert two.height < one.height and two.height <= 3.2
        labels = list(two.labels)
        # Down the first column, then down the second.
        assert labels[0].get_y() > labels[1].get_y() > labels[2].get_y()
        assert labels[3].get_x() > labels[2].get_right()[0] and labels[3].get_y() == pytest.approx(labels[0].get_y())
        # Same size as one column's labels (not shrunk).
        assert labels[0].height == pytest.approx(one.labels[0].height)
        title = two.submobjects[1][0][0]
        assert title.height == pytest.approx(type_scale.title("Six runs", 6.9, DARK.text).height)
        for i in range(6):
            note = two.set_note(i, f"converged at step {10 * i}")
            column_left = two.entries[i].get_left()[0]
            assert note.get_left()[0] >= column_left - 1e-6
            column_right = column_left + two.column_width
            assert note.get_right()[0] <= column_right, f"note {i} runs into the next column"
            assert note.get_top()[1] < labels[i].get_bottom()[1]
            if i % 3 < 2:  # above the next row's label
                assert note.get_bottom()[1] > labels[i + 1].get_top()[1]


@pytest.mark.parametrize("name", ["fit-line", "logistic-fit"])
def test_data_lessons_put_numbers_and_model_side_by_side_in_a_square(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a square frame the numbers card (compact: k on the title's row) and the model panel sit side by side,
    clear of each other; the data's name is written at the caption size, clear of the formula and the axis name."""
    from gdscenes.drawing import type_scale
    from gdscenes.drawing.model_panel import DataNumbers, ModelPanel

    seen = placed_text(name, "1:1", monkeypatch)
    numbers, model = seen["scene"].text_blocks
    assert isinstance(numbers, DataNumbers) and isinstance(model, ModelPanel) and numbers.compact
    assert numbers.get_right()[0] < model.get_left()[0]
    assert numbers.get_top()[1] == pytest.approx(model.get_top()[1])
    step, title = numbers.labels[0], numbers.title
    assert step.get_left()[0] > title.get_right()[0]
    assert title.get_bottom()[1] < step.get_center()[1] < title.get_top()[1]
    with tempconfig(frame_config("l", "1:1")):
        caption = type_scale.text("m = 0", "caption").height
    source = model.source
    assert source.height == pytest.approx(caption, rel=0.05)
    y_name = model.submobjects[1][2]

    def apart(a: Any, b: Any) -> bool:
        return bool(a.get_right()[0] < b.get_left()[0] or b.get_right()[0] < a.get_left()[0]
                    or a.get_top()[1] < b.get_bottom()[1] or b.get_top()[1] < a.get_bottom()[1])

    assert apart(source, model.formula) and apart(source, y_name)
    assert source.get_right()[0] <= model.get_right()[0]


@pytest.mark.parametrize(("name", "aspect"), [("fit-line", "1:1"), ("newton-vs-gd", "1:1"), ("valley", "1:1"),
                                             ("fit-line", "9:16"), ("descent", "16:9")])
def test_the_speed_marker_keeps_clear_of_the_colour_key(name: str, aspect: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The "x N" marker (bottom right) and the colour bar with its height note keep 0.1 apart: in a square frame
    the upright bar's note can reach the bottom, and the marker then stands left of it, inside the frame."""
    from gdscenes.drawing.layout import boxes_overlap

    scene = placed_text(name, aspect, monkeypatch)["scene"]
    with tempconfig(frame_config("l", aspect)):
        marker = scene.speed_marker()
        scene.show_speed(marker, 12)
        assert marker.text == "×12"
        assert not boxes_overlap(marker, scene.colour_key, 0.1), f"{name} at {aspect}: the marker is on the colour key"
        assert marker.get_left()[0] >= -scene.layout.width / 2 and marker.get_right()[0] <= scene.layout.width / 2


@pytest.mark.parametrize(("name", "aspect"), [("sgd-noise", "1:1"), ("sgd-noise", "16:9")])
def test_each_legend_note_fits_its_column(name: str, aspect: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The note each run's legend entry gets once its ball stops fits the width its column gives it at the caption
    size: sgd-noise at 1:1 writes its exact run's "loss 1.009 x 10^-5" without "after 60 steps" (3.61 units wide in a
    3.30-unit column, it ran into the next column's "loss 0.08164 ..."); where it fits (16:9), the whole outcome."""
    from gdscenes.drawing import type_scale
    from gdscenes.scenes.compare import ComparisonScene

    scene = placed_text(name, aspect, monkeypatch)["scene"]
    legend, runs = scene.legend, scene.runs
    with tempconfig(frame_config("l", aspect)):
        notes = [scene.legend_note(i, runs) for i in range(len(runs))]
        for i, note in enumerate(notes):
            if legend.writes_notes and not legend.inline_notes:
                assert type_scale.text(note, "caption").width <= legend.note_width(i) + 1e-6, (name, note)
        if name == "sgd-noise":
            whole = ComparisonScene.note(scene, 0, runs)
            assert whole.endswith("after 60 steps")
            assert notes[0] == (whole if aspect == "16:9" else whole.removesuffix(" after 60 steps"))
