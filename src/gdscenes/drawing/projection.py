"""Where a 3D point lands in the rendered frame, under either renderer.

Cairo: :class:`~gdscenes.drawing.camera.LessonCamera` projects points itself.
OpenGL: manim projects in its vertex shader (``position_point_into_frame`` then
``get_gl_Position``): rotate about the camera centre, scale by the perspective
factor ``f / (f - z)``, map the frame to normalised device coordinates. This
mirrors that shader, so tests and camera moves can ask where something is drawn.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from manim import config


def frame_coordinates(scene: Any, points: np.ndarray) -> np.ndarray:
    """``points`` (n x 3 scene coordinates) as (x, y) frame coordinates, origin at the frame's centre."""
    points = np.atleast_2d(np.asarray(points, dtype=float))
    camera = scene.renderer.camera
    if hasattr(camera, "project_points"):
        return camera.project_points(points)[:, :2]
    rotated = (points - camera.get_center()) @ np.asarray(camera.inverse_rotation_matrix).T
    focal = camera.get_focal_distance()
    scale = np.maximum(0.0, focal / (focal - rotated[:, 2]))
    width, height = camera.get_shape()
    return rotated[:, :2] * scale[:, None] * np.array([config.frame_width / width, config.frame_height / height])


def pixels(scene: Any, points: np.ndarray, width: int, height: int) -> np.ndarray:
    """``points`` as (column, row) pixels of a ``width`` x ``height`` frame."""
    xy = frame_coordinates(scene, points)
    return np.column_stack([(xy[:, 0] / config.frame_width + 0.5) * width, (0.5 - xy[:, 1] / config.frame_height) * height])
