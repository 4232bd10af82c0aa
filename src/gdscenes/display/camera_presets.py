"""The names of the lesson camera moves, without manim (the spec checks ``camera.preset`` against them).

The moves themselves are :class:`gdscenes.drawing.camera.CameraMove`.
"""

from __future__ import annotations

#: Named camera moves: the lesson's slow orbit, following the ball, diving to top-down at the end, held still.
CAMERA_PRESETS = ("orbit", "follow", "dive", "static")
