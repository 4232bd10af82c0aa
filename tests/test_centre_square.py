"""No dark square at the frame's centre under the OpenGL renderer.

The OpenGL renderer composites each fixed-in-frame mobject from a texture covering
its box, and clears that box to the background first (the text's card is
translucent). A fixed-in-frame mobject with nothing to paint (the empty "x N"
speed marker, a title before ``Write`` has drawn anything) used to get a box
around the frame's centre, cleared to the background: a dark square over the
landscape, seen in a 1:1 frame, where the landscape covers the centre.

The test reads every frame of a 1:1 OpenGL clip back: where a ring around the
centre shows the landscape, the centre patch inside it is not darker than it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gdscenes.display.palette import DARK, hex_to_rgb
from tests.conftest import read_frames
from tests.test_render_descent import render_elsewhere

pytestmark = pytest.mark.render


def luminance(pixels: np.ndarray) -> np.ndarray:
    return pixels[..., :3].astype(float) @ np.array([0.2126, 0.7152, 0.0722])


def centre_and_ring(frames: np.ndarray, inner: int, ring: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per frame: mean luminance of the centre disc (radius ``inner`` px), mean luminance of the
    ring ``ring[0]`` to ``ring[1]`` px out, and the share of the ring's pixels showing the background."""
    _, h, w, _ = frames.shape
    rows, cols = np.mgrid[0:h, 0:w]
    r = np.hypot(rows - (h - 1) / 2, cols - (w - 1) / 2)
    disc, annulus = r <= inner, (r >= ring[0]) & (r <= ring[1])
    background = np.linalg.norm(frames[:, annulus].astype(float) - hex_to_rgb(DARK.background) * 255, axis=-1) < 30
    lum = luminance(frames)
    return lum[:, disc].mean(axis=1), lum[:, annulus].mean(axis=1), background.mean(axis=1)


def test_the_centre_of_a_square_opengl_frame_is_the_landscape_not_a_dark_square(tmp_path: Path) -> None:
    render_elsewhere(
        "from gdscenes.production.render import render, variant; from gdscenes.scenes.registry import SCENES; "
        f"render(variant(SCENES['descent']), 'square', quality='l', fps=10, renderer='opengl', aspect='1:1', "
        f"media_dir={str(tmp_path)!r}, extra_config={{'progress_bar': 'none'}})"
    )
    frames = read_frames(tmp_path / "videos" / "square.mp4")
    assert frames.shape[1:3] == (480, 480)
    # The square was 12 px wide at 480p (0.2 frame units): the centre disc lies inside it, the ring outside.
    centre, ring, background = centre_and_ring(frames, inner=4, ring=(12, 18))
    over_landscape = background < 0.05
    # The landscape covers the centre for most of the clip (after the opening has raised it).
    assert over_landscape.sum() > len(frames) // 2, over_landscape.sum()
    darker: Any = np.flatnonzero(over_landscape & (centre < 0.6 * ring))
    assert len(darker) == 0, [(int(i), round(float(centre[i])), round(float(ring[i]))) for i in darker[:10]]
