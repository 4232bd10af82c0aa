"""The axes' labels are placed where the renderer in use draws them: OpenGL's camera, moved sideways to put the
landscape right of the panel, draws the frame's right side farther right than an orthographic estimate."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from manim import tempconfig

from gdscenes.production.render import frame_config
from tests.conftest import read_frames


def test_opengl_screen_positions_worked_out_by_hand(monkeypatch: pytest.MonkeyPatch) -> None:
    """``camera.on_screen`` under OpenGL: the origin is drawn at the offset, a step across the view at the origin's
    depth moves ``zoom`` times as far on screen, and one nearer the camera is magnified by (eye distance) / depth."""
    from gdscenes.drawing import camera

    monkeypatch.setattr(camera, "faces_camera", lambda: False)
    phi, theta, zoom, offset = np.radians(60.0), np.radians(-105.0), 0.74, (2.7, -0.45)
    across = np.array([-np.sin(theta), np.cos(theta), 0.0])
    toward = np.array([np.sin(phi) * np.cos(theta), np.sin(phi) * np.sin(theta), np.cos(phi)])
    with tempconfig(frame_config("l", "16:9")):
        seen = camera.on_screen(np.array([[0.0, 0.0, 0.0], 2.0 * across, 3.0 * toward + 2.0 * across]),
                                phi, theta, zoom, offset)
    assert np.allclose(seen[0], offset)
    assert np.allclose(seen[1], (offset[0] + 2.0 * zoom, offset[1]))
    # the eye is 2 frame heights (of 8 units) over the zoom from the origin, and offset/zoom to the side of it
    distance = 2.0 * 8.0 / zoom
    grown = distance / (distance - 3.0)
    assert np.allclose(seen[2], (grown * (offset[0] + 2.0 * zoom), grown * offset[1]))


@pytest.mark.render
def test_valley_height_labels_stay_in_the_frame_under_opengl(tmp_path: Path) -> None:
    """valley at 16:9 under OpenGL: the top tick label ("1000") stood past the frame's right edge from the opening
    (frames 4 to 60 of this 4 s clip): read back, nothing but background in the frame's last columns."""
    command = [sys.executable, "-m", "gdscenes.cli.main", "render", "valley", "-q", "l", "--duration", "4",
               "--renderer", "opengl", "--media-dir", str(tmp_path), "--name", "v"]
    subprocess.run(command, check=True, capture_output=True)
    frames = read_frames(tmp_path / "videos" / "v.mp4").astype(int)
    background = frames[0, 240, -1]  # (the right edge halfway down in the first frame: nothing drawn there)
    reach = np.abs(frames[:, :, -3:, :] - background).max(axis=(1, 2, 3))
    assert (reach < 40).all(), f"drawn at the right edge in frames {np.nonzero(reach >= 40)[0].tolist()[:8]}"
