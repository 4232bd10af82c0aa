"""The lesson camera: draw order under Cairo, framing, and a deterministic orbit.

Draw order. Cairo has no depth buffer: manim's
:class:`~manim.camera.three_d_camera.ThreeDCamera` sorts 3D-shaded faces back
to front and draws everything else last. That is right for the surface but
wrong for the contour floor (it would be painted over the surface). Here each
mobject may carry a layer (:func:`set_layer`): lower layers are drawn first,
and inside a layer manim's own depth sort applies; fixed-in-frame text is on
the top layer. Under OpenGL surfaces are depth-tested and the same layer
order is kept by :class:`~gdscenes.drawing.renderer.LessonRenderer`.

Framing. The equation panel takes the left of the frame, so the landscape is
drawn right of centre: projected points are shifted by ``screen_offset``
(manim's ``frame_center`` cannot do this: the Cairo camera subtracts it twice
from 3D points and once from fixed-in-frame ones).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from manim import DEGREES, Mobject, RendererType, ThreeDScene, config
from manim.camera.three_d_camera import ThreeDCamera

FLOOR, SURFACE, ON_SURFACE, MARKS, BALL, OVERLAY = -1, 0, 1, 1.25, 1.5, 2


def faces_camera() -> bool:
    """Whether flat things in the 3D scene (the ball's disc, axis labels) must be
    kept facing the camera: under Cairo; under OpenGL the ball is a sphere."""
    return config.renderer != RendererType.OPENGL


def set_layer(mobject: Mobject, layer: float) -> Mobject:
    """Put ``mobject`` and its whole family on ``layer``; returns it.

    (Under OpenGL :class:`~gdscenes.drawing.renderer.LessonRenderer` draws in layer order.)
    """
    for member in mobject.get_family():
        member.gd_layer = layer
    return mobject


class LessonCamera(ThreeDCamera):
    """A :class:`ThreeDCamera` with layers and a screen-space offset of the 3D picture."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.screen_offset = np.zeros(3)

    def get_mobjects_to_display(self, *args: Any, **kwargs: Any) -> list[Mobject]:
        mobjects = super().get_mobjects_to_display(*args, **kwargs)
        fixed = self.fixed_in_frame_mobjects

        def layer(m: Mobject) -> float:
            return getattr(m, "gd_layer", OVERLAY if m in fixed else SURFACE)

        return sorted(mobjects, key=layer)

    def project_points(self, points: np.ndarray) -> np.ndarray:
        return super().project_points(points) + self.screen_offset


@dataclass(frozen=True)
class Orbit:
    """A deterministic camera path: angles as functions of time.

    Parameters
    ----------
    phi, theta
        Start angles in degrees (manim's convention: ``phi`` from the vertical,
        ``theta`` the azimuth).
    theta_rate
        Azimuth change in degrees per second (a slow orbit).
    zoom
        manim's zoom factor.
    screen_offset
        Where the landscape's centre appears, in frame units from the frame's centre.
    keep_in_sight
        Let the scene turn the start azimuth (in steps of 15 degrees, as little
        as it can) so the surface hides as little of the ball's path as possible
        (see :func:`gdscenes.visibility.clear_azimuth`).
    """

    phi: float = 60.0
    theta: float = -60.0
    theta_rate: float = 1.5
    zoom: float = 0.74
    screen_offset: tuple[float, float] = (2.7, -0.45)
    keep_in_sight: bool = True

    def angles(self, seconds: float) -> tuple[float, float]:
        """``(phi, theta)`` in radians after ``seconds``."""
        return self.phi * DEGREES, (self.theta + self.theta_rate * seconds) * DEGREES

    def apply(self, scene: ThreeDScene, seconds: float = 0.0) -> None:
        """Point ``scene``'s camera as the orbit is after ``seconds``.

        Both renderers get the same picture: the OpenGL camera's azimuth is
        measured a quarter turn from the Cairo camera's, and it is moved in its
        own plane so the pivot lands at ``screen_offset``.
        """
        phi, theta = self.angles(seconds)
        camera = scene.renderer.camera
        if isinstance(camera, LessonCamera):
            scene.set_camera_orientation(phi=phi, theta=theta, zoom=self.zoom)
            camera.screen_offset = np.array([*self.screen_offset, 0.0])
        else:
            scene.set_camera_orientation(phi=phi, theta=theta + 90 * DEGREES, zoom=self.zoom)
            offset = np.array([*self.screen_offset, 0.0]) / self.zoom
            camera.move_to(-np.asarray(camera.inverse_rotation_matrix).T @ offset)

    def start(self, scene: ThreeDScene) -> None:
        """Set the camera at the orbit's start and let it turn as scene time passes.

        The updater sits on the camera's own theta tracker, which manim's
        :class:`ThreeDScene` watches to redraw the whole picture each frame.
        """
        self.apply(scene, 0.0)
        if not self.theta_rate:
            return
        clock = [0.0]

        def turn(_: Mobject, dt: float) -> None:
            clock[0] += dt
            self.apply(scene, clock[0])

        camera = scene.renderer.camera
        driver = camera.theta_tracker if hasattr(camera, "theta_tracker") else camera
        driver.add_updater(turn)
        scene.add(driver)
