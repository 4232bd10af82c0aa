"""The lesson camera: draw order under Cairo, framing, and a deterministic orbit.

Draw order. Cairo has no depth buffer: manim's
:class:`~manim.camera.three_d_camera.ThreeDCamera` sorts 3D-shaded faces back
to front and draws everything else last. That is right for the surface but
wrong for the contour floor (it would be painted over the surface). Here each
mobject may carry a layer (:func:`set_layer`): lower layers are drawn first,
and inside a layer manim's own depth sort applies; fixed-in-frame text is on
the top layer. Under OpenGL surfaces are depth-tested and the same layer
order is kept by :class:`~gdscenes.drawing.gl.renderer.LessonRenderer`.

Framing. The equation panel takes the left of the frame, so the landscape is
drawn right of centre: projected points are shifted by ``screen_offset``
(manim's ``frame_center`` cannot do this: the Cairo camera subtracts it twice
from 3D points and once from fixed-in-frame ones).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from manim import DEGREES, Mobject, RendererType, ThreeDScene, config
from manim.camera.three_d_camera import ThreeDCamera

from gdscenes.display.camera_presets import CAMERA_PRESETS  # the named moves of CameraMove
from gdscenes.display.visibility import eye, screen_axes

FLOOR, SURFACE, ON_SURFACE, MARKS, BALL, OVERLAY = -1, 0, 1, 1.25, 1.5, 2


def faces_camera() -> bool:
    """Whether flat things in the 3D scene (the ball's disc, axis labels) must be
    kept facing the camera: under Cairo; under OpenGL the ball is a sphere."""
    return config.renderer != RendererType.OPENGL


def set_layer(mobject: Mobject, layer: float) -> Mobject:
    """Put ``mobject`` and its whole family on ``layer``; returns it.

    (Under OpenGL :class:`~gdscenes.drawing.gl.renderer.LessonRenderer` draws in layer order.)
    """
    for member in mobject.get_family():
        member.gd_layer = layer
    return mobject


def layer_of(mobject: Any, default: float | None = SURFACE) -> float | None:
    """The layer :func:`set_layer` gave ``mobject`` (``default`` if none)."""
    return getattr(mobject, "gd_layer", default)


class LessonCamera(ThreeDCamera):
    """A :class:`ThreeDCamera` with layers and a screen-space offset of the 3D picture."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.screen_offset = np.zeros(3)

    def get_mobjects_to_display(self, *args: Any, **kwargs: Any) -> list[Mobject]:
        mobjects = super().get_mobjects_to_display(*args, **kwargs)
        fixed = self.fixed_in_frame_mobjects

        return sorted(mobjects, key=lambda m: layer_of(m, OVERLAY if m in fixed else SURFACE))

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
        (see :func:`gdscenes.display.visibility.clear_azimuth`).
    """

    phi: float = 60.0
    theta: float = -60.0
    theta_rate: float = 1.5
    zoom: float = 0.74
    screen_offset: tuple[float, float] = (2.7, -0.45)
    keep_in_sight: bool = True

    def angles(self, seconds: float) -> tuple[float, float]:
        """``(phi, theta)`` in radians after ``seconds``."""
        return self.shot(seconds).angles()

    def shot(self, seconds: float = 0.0) -> Shot:
        """Where the camera is after ``seconds`` of the orbit."""
        return Shot(self.phi, self.theta + self.theta_rate * seconds, self.zoom, self.screen_offset)

    def turning_at_most(self, seconds: float, degrees: float | None = None) -> Orbit:
        """This orbit, turned no more than ``degrees`` (:data:`MOST_TURN` unless told) in ``seconds``: the
        same, or slower in the same direction (a long clip's camera ends where its labels were placed for)."""
        degrees = MOST_TURN if degrees is None else degrees
        if seconds <= 0 or abs(self.theta_rate) * seconds <= degrees:
            return self
        return replace(self, theta_rate=float(np.copysign(degrees / seconds, self.theta_rate)))

    def apply(self, scene: ThreeDScene, seconds: float = 0.0) -> None:
        """Point ``scene``'s camera as the orbit is after ``seconds``."""
        aim(scene, self.shot(seconds))

    def start(self, scene: ThreeDScene) -> None:
        """Set the camera at the orbit's start and let it turn as scene time passes."""
        start_move(scene, self.shot, moving=bool(self.theta_rate))


#: The most an orbit turns in a clip (degrees, :meth:`Orbit.turning_at_most`): 13 seconds of the default orbit.
MOST_TURN = 20.0
#: ``follow``: how much closer than the orbit the camera comes, and the window (seconds) its aim is smoothed over.
FOLLOW_ZOOM = 1.3
#: ``follow``: the aim's height, as a share of the way from the ball down to the floor under it
#: (both the ball and its shadow on the contour floor stay in the picture).
FOLLOW_FLOOR_SHARE = 0.5
FOLLOW_SMOOTHING = 0.6
#: ``follow``: the share of the landscape's region the floor (with its labels) may fill; how far outside the
#: floor's square its axes' labels reach (display units).
FOLLOW_FILL = 0.97
LABEL_REACH = 0.6
#: manim's perspective: the Cairo camera's focal distance.
FOCAL_DISTANCE = 20.0
#: ``dive``: the top-down view's zoom relative to the orbit's, and the share of the roll the dive starts at.
DIVE_ZOOM = 1.0
DIVE_FROM = 0.65


@dataclass(frozen=True)
class Shot:
    """One camera placement: angles in degrees (manim's ``phi``, ``theta``), zoom,
    where ``pivot`` (a 3D point) appears in the frame (``screen_offset``, frame units)."""

    phi: float
    theta: float
    zoom: float
    screen_offset: tuple[float, float]
    pivot: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def angles(self) -> tuple[float, float]:
        """``(phi, theta)`` in radians."""
        return self.phi * DEGREES, self.theta * DEGREES


def aim(scene: ThreeDScene, shot: Shot) -> None:
    """Place ``scene``'s camera at ``shot``.

    Both renderers get the same picture: the OpenGL camera's azimuth is
    measured a quarter turn from the Cairo camera's, and it is moved in its
    own plane so the pivot lands at ``screen_offset``; the Cairo camera
    projects around the origin, so its picture is shifted to put the pivot there.
    """
    phi, theta = shot.angles()
    camera = scene.renderer.camera
    target = np.array([*shot.screen_offset, 0.0])
    pivot = np.asarray(shot.pivot, dtype=float)
    if isinstance(camera, LessonCamera):
        scene.set_camera_orientation(phi=phi, theta=theta, zoom=shot.zoom)
        camera.screen_offset = np.zeros(3)
        if pivot.any():
            target = target - ThreeDCamera.project_points(camera, pivot[None])[0]
        camera.screen_offset = target
    else:
        scene.set_camera_orientation(phi=phi, theta=theta + 90 * DEGREES, zoom=shot.zoom)
        camera.move_to(pivot - np.asarray(camera.inverse_rotation_matrix).T @ (target / shot.zoom))


def start_move(scene: ThreeDScene, shot_at: Callable[[float], Shot], moving: bool = True) -> None:
    """Aim the camera at ``shot_at(0)`` and then (if ``moving``) at ``shot_at(seconds)`` as scene time passes.

    The updater sits on the camera's own theta tracker, which manim's
    :class:`ThreeDScene` watches to redraw the whole picture each frame.
    Every shot placed is appended to ``scene.camera_log`` as ``(seconds, shot)``.
    """
    log = scene.__dict__.setdefault("camera_log", [])
    clock = [0.0]

    def place(seconds: float) -> None:
        shot = shot_at(seconds)
        aim(scene, shot)
        log.append((seconds, shot))

    place(0.0)
    if not moving:
        return

    def turn(_: Mobject, dt: float) -> None:
        clock[0] += dt
        place(clock[0])

    camera = scene.renderer.camera
    driver = camera.theta_tracker if hasattr(camera, "theta_tracker") else camera
    driver.add_updater(turn)
    scene.add(driver)


def smoothstep(a: float) -> float:
    a = float(np.clip(a, 0.0, 1.0))
    return a * a * (3 - 2 * a)


def floor_outline(width: float, depth: float, floor_z: float, reach: float = LABEL_REACH) -> np.ndarray:
    """The floor's ``width`` x ``depth`` square at height ``floor_z`` with its axes' labels along its edges
    (``reach`` outside it): the octagon's 8 corners, shape ``(8, 3)``."""
    w, d = width / 2, depth / 2
    return np.array([[sx * a, sy * b, floor_z] for sx in (-1, 1) for sy in (-1, 1) for a, b in ((w + reach, d), (w, d + reach))])


def project(points: np.ndarray, phi: float, theta: float) -> np.ndarray:
    """Screen positions ``(n, 2)`` of display points seen from ``phi, theta`` (radians) at zoom 1,
    in manim's perspective (the Cairo camera's projection, before its screen offset)."""
    toward, across, up = screen_axes(phi, theta)
    points = np.asarray(points, dtype=float).reshape(-1, 3)
    factor = FOCAL_DISTANCE / (FOCAL_DISTANCE - points @ toward)
    return np.column_stack([factor * (points @ across), factor * (points @ up)])


def on_screen(points: np.ndarray, phi: float, theta: float, zoom: float, offset: tuple[float, float]) -> np.ndarray:
    """Frame positions ``(n, 2)`` of display points as the renderer in use draws them from ``phi, theta`` (radians)
    at ``zoom``, the origin shown at ``offset``. Cairo projects about the origin (:func:`project`); manim's OpenGL
    camera is moved sideways by the offset (:func:`~gdscenes.display.visibility.eye`), so a point far to the right
    of the frame's centre is seen from well to its left, and drawn farther right than Cairo draws it."""
    points = np.asarray(points, dtype=float).reshape(-1, 3)
    if faces_camera():
        return zoom * project(points, phi, theta) + np.asarray(offset)
    height = float(config.frame_height)
    relative = points - eye(phi, theta, zoom, offset, height, focal=GL_FOCAL)
    toward, across, up = screen_axes(phi, theta)
    scale = GL_FOCAL * height / -(relative @ toward)  # (frame units a display unit, at each point's depth)
    return np.column_stack([scale * (relative @ across), scale * (relative @ up)])


#: manim's OpenGL camera's focal distance, in frame heights (:func:`~gdscenes.display.visibility.eye`'s default).
GL_FOCAL = 2.0

#: How far out from the floor's corners the height axis' tick labels reach (display units).
AXIS_REACH = 1.0


def keep_in_frame(shot: Shot, outline: np.ndarray, frame: tuple[float, float, float, float]) -> Shot:
    """``shot`` with its zoom lowered and its screen offset moved as little as keeps ``outline``
    (display points: the floor and its labels, :func:`floor_outline`) inside ``frame`` (centre x,
    centre y, width, height), and the height axis' labels (at a side corner) inside it across."""
    phi, theta = shot.angles()
    pivot = project(np.asarray(shot.pivot), phi, theta)
    at_one = project(outline, phi, theta) - pivot
    # The height axis stands at a side corner of the floor (of its four corners, neither the nearest nor the
    # farthest), its labels outwards: they bound the picture across.
    corners = np.array([[sx * np.abs(outline[:, 0]).max(), sy * np.abs(outline[:, 1]).max(), outline[0, 2]]
                        for sx in (-1, 1) for sy in (-1, 1)])
    toward = np.array([np.sin(phi) * np.cos(theta), np.sin(phi) * np.sin(theta), np.cos(phi)])
    side = corners[np.argsort(corners @ toward)[1:3]]
    side = side + AXIS_REACH / np.sqrt(2) * np.sign(side) * np.array([1.0, 1.0, 0.0])
    across = project(side, phi, theta)[:, 0] - pivot[0, 0]
    cx, cy, width, height = frame
    x_low, x_high = min(at_one[:, 0].min(), across.min()), max(at_one[:, 0].max(), across.max())
    size = np.array([x_high - x_low, np.ptp(at_one[:, 1])])
    zoom = float(min(shot.zoom, FOLLOW_FILL * width / max(size[0], 1e-9), FOLLOW_FILL * height / max(size[1], 1e-9)))
    offset = np.asarray(shot.screen_offset, dtype=float)
    low = np.array([zoom * x_low, zoom * at_one[:, 1].min()]) + offset
    high = np.array([zoom * x_high, zoom * at_one[:, 1].max()]) + offset
    bounds_low, bounds_high = np.array([cx - width / 2, cy - height / 2]), np.array([cx + width / 2, cy + height / 2])
    shift = np.maximum(bounds_low - low, 0.0) + np.minimum(bounds_high - high, 0.0)
    return replace(shot, zoom=zoom, screen_offset=tuple(float(v) for v in offset + shift))


@dataclass(frozen=True)
class CameraMove:
    """A named, deterministic camera move over a lesson, as a function of time.

    Time 0 is when the balls start rolling; they stop at ``roll_end`` and the
    clip ends at ``end``. ``track(t)`` is the (first) ball's display position
    at time ``t`` (for ``follow``).

    - ``orbit``: the lesson's slow orbit;
    - ``static``: the orbit's start, held still;
    - ``follow``: the orbit's angles, closer (:data:`FOLLOW_ZOOM`), aimed at
      the ball (its position averaged over :data:`FOLLOW_SMOOTHING` seconds),
      lowered towards the floor at ``floor_z`` (:data:`FOLLOW_FLOOR_SHARE`), so the
      ball and its shadow stay where the landscape's centre was; given the landscape's
      ``frame`` (its region: centre x, centre y, width, height) and the floor's ``outline``,
      no closer, and moved no further, than keeps the floor with its labels in the region
      (:func:`keep_in_frame`);
    - ``dive``: the orbit, then from :data:`DIVE_FROM` of the roll a smooth
      move to straight down (``phi`` 0, ``x`` to the right), reached halfway
      through the final hold.
    """

    preset: str
    orbit: Orbit
    roll_end: float
    end: float
    track: Callable[[float], np.ndarray] | None = field(default=None, compare=False)
    floor_z: float | None = None
    frame: tuple[float, float, float, float] | None = None
    outline: np.ndarray | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.preset not in CAMERA_PRESETS:
            raise ValueError(f"camera preset must be one of {', '.join(CAMERA_PRESETS)}; got {self.preset!r}")

    def shot(self, seconds: float) -> Shot:
        orbit = self.orbit
        if self.preset == "static":
            return orbit.shot(0.0)
        shot = orbit.shot(seconds)
        if self.preset == "follow" and self.track is not None:
            window = np.linspace(seconds - FOLLOW_SMOOTHING / 2, seconds + FOLLOW_SMOOTHING / 2, 9)
            pivot = np.mean([self.track(float(np.clip(t, 0.0, self.end))) for t in window], axis=0)
            if self.floor_z is not None:
                pivot[2] += FOLLOW_FLOOR_SHARE * (self.floor_z - pivot[2])
            shot = replace(shot, zoom=shot.zoom * FOLLOW_ZOOM, pivot=tuple(float(v) for v in pivot))
            if self.frame is not None and self.outline is not None:
                shot = keep_in_frame(shot, self.outline, self.frame)
            return shot
        if self.preset == "dive":
            start = DIVE_FROM * self.roll_end
            finish = max(self.roll_end + 0.5 * (self.end - self.roll_end), start + 1e-6)
            s = smoothstep((seconds - start) / (finish - start))
            if s <= 0.0:
                return shot
            begin = orbit.shot(start)
            # Straight down, x to the right: theta -90 degrees, reached by the shorter turn.
            goal = begin.theta + ((-90.0 - begin.theta + 180.0) % 360.0 - 180.0)
            x, y = begin.screen_offset
            return Shot(
                begin.phi * (1 - s), begin.theta + (goal - begin.theta) * s,
                begin.zoom * (1 + (DIVE_ZOOM - 1) * s), (x, y * (1 - s)),
            )
        return shot
