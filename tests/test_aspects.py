"""Every frame shape fills its frame: the landscape's share of 16:9, 9:16 and 1:1 frames,
measured on rendered frames (pixels that are not background, outside the text)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from gdscenes.display.palette import DARK, hex_to_rgb
from gdscenes.production.render import frame_config, render, variant
from gdscenes.scenes.registry import SCENES
from tests.conftest import read_frames

pytestmark = pytest.mark.render

SHORT = {"resolution": 12, "intro_seconds": 0.2, "hold_seconds": 0.2, "steps": 2, "tol": None, "seconds_per_step": 0.2}


Box = tuple[int, int, int, int]


def landscape_box(tmp_path: Any, aspect: str, scene: str = "descent", **settings: Any) -> tuple[float, Box, Box, Box, np.ndarray]:
    """The landscape's bounding box in the last frame of ``scene`` (the descent lesson) at ``aspect``, as a
    share of the frame, with its box, the text's box and the colour bar's (columns and rows: c0, r0, c1, r1),
    and the mask of its pixels. The landscape: what is drawn outside the text blocks and the colour bar."""
    result = render(variant(SCENES[scene], **{**SHORT, **settings}), f"shape{aspect.replace(':', 'x')}", media_dir=tmp_path,
                    quality="l", fps=5, aspect=aspect)
    frame = read_frames(result.path)[-1].astype(float)
    h, w = frame.shape[:2]
    units = frame_config("l", aspect)

    def px(x: float, y: float) -> tuple[int, int]:
        return int(round(x * w / units["frame_width"] + w / 2)), int(round(-y * h / units["frame_height"] + h / 2))

    def box_of(mob: Any) -> Box:
        (c0, r0), (c1, r1) = px(*mob.get_corner([-1, 1, 0])[:2]), px(*mob.get_corner([1, -1, 0])[:2])
        return c0, r0, c1, r1

    texts = [box_of(block) for block in result.scene.text_blocks]
    text = (min(b[0] for b in texts), min(b[1] for b in texts), max(b[2] for b in texts), max(b[3] for b in texts))
    key = box_of(result.scene.colour_key)
    drawn = np.linalg.norm(frame - hex_to_rgb(DARK.background) * 255, axis=-1) > 40
    for c0, r0, c1, r1 in (*texts, key):
        drawn[max(r0 - 4, 0) : r1 + 4, max(c0 - 4, 0) : c1 + 4] = False  # the text (and its border stroke), the key
    rows, cols = np.nonzero(drawn)
    box = (int(cols.min()), int(rows.min()), int(cols.max()) + 1, int(rows.max()) + 1)
    share = (box[2] - box[0]) * (box[3] - box[1]) / (w * h)
    return share, box, text, key, drawn


def touches(drawn: np.ndarray, box: Box, gap: int = 10) -> bool:
    """Whether pixels of ``drawn`` come within ``gap`` px of ``box`` (outside the 4 px it was masked by):
    the landscape running into the colour bar would."""
    c0, r0, c1, r1 = box
    near = drawn[max(r0 - 4 - gap, 0) : r1 + 4 + gap, max(c0 - 4 - gap, 0) : c1 + 4 + gap]
    return bool(near.any())


def overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("aspect", ["16:9", "9:16"])
def test_the_landscape_takes_a_third_of_the_frame_beside_or_below_the_text(tmp_path: Any, aspect: str) -> None:
    share, box, text, key, drawn = landscape_box(tmp_path, aspect)
    assert share >= 1 / 3, (aspect, share, box)
    assert not overlap(box, text), (box, text)
    assert not touches(drawn, key) and not overlap(key, text), (box, key, text)


def test_a_square_frame_stacks_the_text_above_a_landscape_that_fills_the_rest(tmp_path: Any) -> None:
    """1:1: the text in a band across the top at the type scale, the landscape below it taking a third
    of the frame (a side column left it a sixth, the first band 0.29 with its panel shrunk to 0.62),
    the colour bar upright beside it; nothing overlaps, nothing is cut at the frame's edges."""
    share, box, text, key, drawn = landscape_box(tmp_path, "1:1")
    w = h = 480
    assert not overlap(box, text) and box[1] >= text[3]  # below the text
    assert not touches(drawn, key) and key[1] >= text[3]  # the key below the text, clear of the landscape
    assert box[2] - box[0] > 0.6 * w and box[3] > 0.9 * h  # wide, and reaching down to the bottom margin
    assert box[0] >= 0.02 * w and key[2] <= 0.98 * w and box[3] <= 0.98 * h  # nothing cut
    assert abs((box[0] + key[2]) / 2 - w / 2) < 0.08 * w  # the landscape and its key centred
    assert share >= 1 / 3, share
