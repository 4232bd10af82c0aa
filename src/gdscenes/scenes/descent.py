"""A ball rolling down a loss surface, one optimizer step at a time.

The lesson, top to bottom: the landscape fades in, the ball rolls from the
start along the trajectory while the panel shows each step's numbers, and the
outcome (converged, diverged, out of steps) is written under them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

import numpy as np

from manim import FadeIn, RendererType, ThreeDScene, ValueTracker, config, linear

from gdscenes.descent import run
from gdscenes.drawing.ball import RollingBall
from gdscenes.drawing.camera import LessonCamera, Orbit, faces_camera
from gdscenes.drawing.landscape import contour_floor, floor_axes, loss_surface
from gdscenes.drawing.panel import UpdatePanel
from gdscenes.drawing.renderer import LessonRenderer
from gdscenes.losses import Loss, get_loss
from gdscenes.optimizers import OPTIMIZERS
from gdscenes.palette import get_theme
from gdscenes.trajectory import Trajectory
from gdscenes.visibility import clear_azimuth
from gdscenes.view import View


class DescentScene(ThreeDScene):
    """Gradient descent (or another optimizer) on a loss surface in 3D.

    Vary a lesson by subclassing and changing class attributes::

        class AdamOnRosenbrock(DescentScene):
            loss = "rosenbrock"
            optimizer = "adam"
            lr = 0.05
    """

    #: A library loss name or an expression such as ``"x^2 + 3*y^2"``.
    loss: ClassVar[str] = "himmelblau"
    optimizer: ClassVar[str] = "gd"
    lr: ClassVar[float | None] = 0.01
    #: Optimizer hyperparameters besides ``lr`` (``momentum``, ``betas``, ...).
    hyperparams: ClassVar[dict[str, Any]] = {}
    #: Start point; ``None`` takes the loss's default start.
    start: ClassVar[tuple[float, float] | None] = None
    steps: ClassVar[int] = 40
    #: Stop once the gradient norm falls below this (``None``: run all steps).
    tol: ClassVar[float | None] = 1e-3
    #: Plot domain ``((xmin, xmax), (ymin, ymax))``; ``None`` takes the loss's.
    domain: ClassVar[tuple[tuple[float, float], tuple[float, float]] | None] = None
    height_scale: ClassVar[str] = "auto"
    resolution: ClassVar[int] = 40
    theme: ClassVar[str] = "dark"
    seconds_per_step: ClassVar[float] = 0.35
    #: Seconds the ball takes to appear, and the final picture is held.
    intro_seconds: ClassVar[float] = 0.6
    hold_seconds: ClassVar[float] = 1.5
    camera: Any
    orbit: ClassVar[Orbit] = Orbit()

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("camera_class", LessonCamera)
        if config.renderer == RendererType.OPENGL:
            kwargs.setdefault("renderer", LessonRenderer())
        super().__init__(**kwargs)

    # -- the numbers ---------------------------------------------------------
    @classmethod
    def get_loss(cls) -> Loss:
        return get_loss(cls.loss)

    @classmethod
    def descend(cls, loss: Loss) -> Trajectory:
        """The trajectory this scene animates (one start, which must lie in the drawn domain)."""
        (x0, x1), (y0, y1) = cls.domain or loss.domain
        if cls.start is not None:
            x, y = cls.start
            if not (x0 <= x <= x1 and y0 <= y <= y1):
                raise ValueError(
                    f"start ({x:g}, {y:g}) is outside the domain [{x0:g}, {x1:g}] x [{y0:g}, {y1:g}] of {loss.name}"
                )
        return run(loss, cls.optimizer, start=cls.start, lr=cls.lr, steps=cls.steps, tol=cls.tol, **cls.hyperparams)

    @classmethod
    def check(cls) -> Trajectory:
        """Validate every setting without rendering; raises ``ValueError`` naming a bad value."""
        get_theme(cls.theme)
        if cls.height_scale not in ("auto", "linear", "log"):
            raise ValueError(f"height_scale must be 'auto', 'linear' or 'log', got {cls.height_scale!r}")
        if cls.seconds_per_step <= 0:
            raise ValueError(f"seconds_per_step must be positive, got {cls.seconds_per_step}")
        return cls.descend(cls.get_loss())

    # -- the lesson ----------------------------------------------------------
    def construct(self) -> None:
        theme = get_theme(self.theme)
        if hasattr(self.renderer, "background_color"):  # OpenGL
            self.renderer.background_color = theme.background
        else:  # Cairo
            self.camera.background_color = theme.background
        loss = self.get_loss()
        trajectory = self.descend(loss)
        global_minima = [m.f for m in loss.minima if m.kind == "global"]
        view = View.fit(
            loss.value, self.domain or loss.domain, f_min=min(global_minima, default=None), scale=self.height_scale
        )
        optimizer = OPTIMIZERS[trajectory.optimizer]
        lr = float(trajectory.hyperparams["lr"])  # every number on screen comes from the trajectory
        shown = int(trajectory.stop_step[0])
        self.view, self.trajectory = view, trajectory

        floor = contour_floor(view, theme)
        axes, axis_labels = floor_axes(view, theme)
        surface = loss_surface(view, theme, self.resolution)
        ball = RollingBall(view, trajectory.points[: shown + 1, 0], theme)
        panel = UpdatePanel(
            f"{optimizer.label} on {loss_title(loss)}", r" \\ ".join(optimizer.rule_latex_lines), theme
        ).place()

        clock = ValueTracker(0.0)
        orbit = self.framing_orbit(view, ball, shown)
        self.framing = orbit  # the orbit the camera follows
        orbit.apply(self)
        self.add(floor, axes)
        if faces_camera():
            self.add_fixed_orientation_mobjects(*axis_labels)
        else:  # under OpenGL the labels lie on the floor, like the contours
            self.add(axis_labels)
        self.add(surface)
        self.add_fixed_in_frame_mobjects(panel)
        self._show_step(panel, trajectory, lr, 0, shown)
        self.play(FadeIn(ball, run_time=self.intro_seconds))
        if faces_camera():
            self.keep_facing_camera(ball.ball)
        orbit.start(self)

        # Updaters sit on the ball and the panel, not on the clock: manim
        # suspends the updaters of the mobject an animation plays on.
        ball.add_updater(lambda m: m.set_time(clock.get_value()))

        def follow_step(_: Any) -> None:
            k = min(int(clock.get_value()), shown)
            if k != getattr(panel, "shown_step", None):
                self._show_step(panel, trajectory, lr, k, shown)

        panel.add_updater(follow_step)
        self.add(clock)
        self.play(clock.animate.set_value(float(shown)), run_time=max(shown, 1) * self.seconds_per_step, rate_func=linear)
        self._show_step(panel, trajectory, lr, shown, shown)
        self.keep_fixed(panel.set_status(outcome(trajectory)))
        self.wait(self.hold_seconds)
        ball.clear_updaters()
        panel.clear_updaters()

    # -- helpers -------------------------------------------------------------
    def framing_orbit(self, view: View, ball: RollingBall, steps: int) -> Orbit:
        """:attr:`orbit`, turned (if it keeps the ball in sight) so the surface hides
        as little of the path as it can at the middle of the clip."""
        orbit = self.orbit
        if not orbit.keep_in_sight:
            return orbit
        middle = self.intro_seconds + steps * self.seconds_per_step * 0.6
        phi, preferred = orbit.angles(middle)
        centres = ball.centres[:: max(len(ball.centres) // 60, 1)]
        centres = np.vstack([centres, ball.centres[-1:]])
        theta = clear_azimuth(view, centres, phi, preferred)
        return replace(orbit, theta=orbit.theta + float(np.degrees(theta - preferred)))

    def _show_step(self, panel: UpdatePanel, trajectory: Trajectory, lr: float, k: int, last: int) -> None:
        nxt = trajectory.points[k + 1, 0] if k < last else None
        panel.show_step(
            k, trajectory.points[k, 0], trajectory.gradients[k, 0], lr, nxt, float(trajectory.losses[k, 0])
        )
        panel.shown_step = k

    def keep_facing_camera(self, *mobjects: Any) -> None:
        """Keep mobjects facing the camera without re-adding them to the scene.

        (:meth:`add_fixed_orientation_mobjects` would pull a submobject out of
        its group, and the group's updaters with it.)
        """
        self._fix("orientation", mobjects)

    def keep_fixed(self, *mobjects: Any) -> None:
        """Keep mobjects made after :meth:`add_fixed_in_frame_mobjects` fixed in frame too."""
        self._fix("in_frame", mobjects)

    def _fix(self, how: str, mobjects: tuple[Any, ...]) -> None:
        register = getattr(self.renderer.camera, f"add_fixed_{how}_mobjects", None)
        if register is not None:  # Cairo: the camera keeps the registry
            register(*mobjects)
        else:  # OpenGL: each mobject carries the flag
            for mob in mobjects:
                getattr(mob, f"fix_{how}")()


def loss_title(loss: Loss) -> str:
    """A readable title for a loss: ``"six_hump_camel"`` becomes ``"Six hump camel"``."""
    return loss.name.replace("_", " ").capitalize()


def outcome(trajectory: Trajectory, index: int = 0) -> str:
    """One line saying how run ``index`` ended."""
    status, step = str(trajectory.status[index]), int(trajectory.stop_step[index])
    if status == "converged":
        return f"converged at step {step}"
    if status == "diverged":
        return f"diverged at step {step}"
    return f"stopped after {step} steps, f = {trajectory.losses[step, index]:.4g}"

