"""The base of every lesson: theme, landscape, camera, text placement and the step clock.

A lesson subclasses :class:`LessonScene`, computes its trajectories in
:meth:`~LessonScene.descend`, and in ``construct`` calls, top to bottom,
:meth:`~LessonScene.build_landscape`, :meth:`~LessonScene.place_text`, and
:meth:`~LessonScene.roll`. Settings are class attributes (3b1b style).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, ClassVar

import numpy as np
from manim import RIGHT, FadeIn, Mobject, RendererType, ThreeDScene, ValueTracker, VGroup, config, linear

from gdscenes.display import timeline as captions
from gdscenes.drawing.camera import FLOOR, MARKS, set_layer
from gdscenes.drawing.camera import CAMERA_PRESETS, FOLLOW_ZOOM, CameraMove, LessonCamera, Orbit, aim, faces_camera, start_move
from gdscenes.drawing.colour_bar import colour_bar
from gdscenes.drawing.landscape import contour_floor, floor_axes, height_axis, loss_surface
from gdscenes.drawing.markers import MinimaMarks
from gdscenes.drawing.layout import Layout
from gdscenes.drawing.loss_plot import LossCurve
from gdscenes.drawing.gl.renderer import LessonRenderer
from gdscenes.core.losses import Loss, get_loss
from gdscenes.core.losses.library import TITLES
from gdscenes.display.palette import get_theme
from gdscenes.core.trajectory import Trajectory
from gdscenes.display.view import Box, View
from gdscenes.display.visibility import clear_azimuth, eye



class LessonScene(ThreeDScene):
    """Shared set-up of the lessons; not a lesson itself."""

    #: A library loss name or an expression such as ``"x^2 + 3*y^2"``.
    loss: ClassVar[str] = "himmelblau"
    #: Plot domain ``((xmin, xmax), (ymin, ymax))``; ``None`` takes the loss's.
    domain: ClassVar[Box | None] = None
    height_scale: ClassVar[str] = "auto"
    resolution: ClassVar[int] = 40
    theme: ClassVar[str] = "dark"
    seconds_per_step: ClassVar[float] = 0.35
    #: Seconds the balls take to appear, and the final picture is held.
    intro_seconds: ClassVar[float] = 0.6
    hold_seconds: ClassVar[float] = 1.5
    #: Longest time the steps may take; a longer run is paced so that early
    #: steps keep ``seconds_per_step`` and later ones speed up (``None``: no limit).
    max_roll_seconds: ClassVar[float | None] = None
    orbit: ClassVar[Orbit] = Orbit()
    #: Named camera move (:class:`~gdscenes.drawing.camera.CameraMove`): ``orbit``,
    #: ``follow`` (the ball), ``dive`` (top-down at the end) or ``static``.
    camera_preset: ClassVar[str] = "orbit"
    #: Sizes of the :class:`~gdscenes.display.view.View` (``width``, ``depth``, ``height``, ``floor_gap``).
    view_sizes: ClassVar[dict[str, float]] = {}
    #: Draw the surface (a top-down lesson shows only the contour floor).
    show_surface: ClassVar[bool] = True
    #: Add a loss-against-step panel under the text, and draw it on a log scale.
    loss_curve: ClassVar[bool] = False
    loss_curve_log: ClassVar[bool] = False
    #: Mark the intro, each optimizer step (steps shorter than
    #: :data:`~gdscenes.display.timeline.MIN_SECTION_SECONDS` grouped) and the final
    #: hold as manim sections (``next_section``); ``self.timeline`` holds them.
    sections: ClassVar[bool] = False
    camera: Any

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("camera_class", LessonCamera)
        if config.renderer == RendererType.OPENGL:
            kwargs.setdefault("renderer", LessonRenderer())
        super().__init__(**kwargs)

    # -- settings ------------------------------------------------------------
    @classmethod
    def get_loss(cls) -> Loss:
        """The lesson's loss: a surface over two parameters; a one-line ``ValueError`` naming a 1D loss."""
        loss = get_loss(cls.loss)
        if loss.dim != 2:
            names = ", ".join(str(p) for p in loss.params)
            raise ValueError(f"loss {cls.loss!r} has {loss.dim} parameter ({names}); this lesson draws a surface "
                             "over two parameters, x and y")
        return loss

    @classmethod
    def plot_domain(cls, loss: Loss) -> Box:
        return cls.domain or loss.domain

    @classmethod
    def check_start(cls, loss: Loss, start: Sequence[float] | None) -> None:
        """A start must lie in the drawn domain; ``ValueError`` naming it otherwise."""
        if start is None:
            return
        (x0, x1), (y0, y1) = cls.plot_domain(loss)
        x, y = start
        if not (x0 <= x <= x1 and y0 <= y <= y1):
            raise ValueError(
                f"start ({x:g}, {y:g}) is outside the domain [{x0:g}, {x1:g}] x [{y0:g}, {y1:g}] of {loss.name}"
            )

    @classmethod
    def descend(cls, loss: Loss) -> Any:
        """The numbers the lesson shows (trajectories); lessons override."""
        raise NotImplementedError

    @classmethod
    def check(cls) -> Any:
        """Validate every setting without rendering; raises ``ValueError`` naming a bad value."""
        get_theme(cls.theme)
        if cls.height_scale not in ("auto", "linear", "log"):
            raise ValueError(f"height_scale must be 'auto', 'linear' or 'log', got {cls.height_scale!r}")
        if cls.seconds_per_step <= 0:
            raise ValueError(f"seconds_per_step must be positive, got {cls.seconds_per_step}")
        if cls.camera_preset not in CAMERA_PRESETS:
            raise ValueError(f"camera_preset must be one of {', '.join(CAMERA_PRESETS)}; got {cls.camera_preset!r}")
        return cls.descend(cls.get_loss())

    # -- building blocks -----------------------------------------------------
    def build_landscape(self, loss: Loss) -> View:
        """Background, camera, contour floor, axes and (unless ``show_surface`` is off) the surface."""
        theme = self.colors = get_theme(self.theme)
        if hasattr(self.renderer, "background_color"):  # OpenGL
            self.renderer.background_color = theme.background
            if config.transparent:  # (the setter makes it opaque)
                self.renderer._background_color = (*self.renderer.background_color[:3], 0.0)
        else:  # Cairo
            self.camera.background_color = theme.background
        self.layout = Layout.current()
        self.lesson_orbit = self.layout.orbit(self.orbit)
        global_minima = [m.f for m in loss.minima if m.kind == "global"]
        view = View.fit(loss.value, self.plot_domain(loss), f_min=min(global_minima, default=None), scale=self.height_scale,
                        **self.view_sizes)
        self.view = view
        floor = contour_floor(view, theme)
        self.floor = floor
        self.lesson_orbit.apply(self)
        self.add(floor)
        self.add_axes(view, self.lesson_orbit)
        if self.show_surface:
            self.add(loss_surface(view, theme, self.resolution))
        self.add_marks(view, loss)
        return view

    # -- axes, colour bar, minima (lecture-type) -------------------------------
    def axes_views(self, orbit: Orbit, seconds: float = 20.0) -> list[tuple[float, float]]:
        """Camera angles (radians) over the first ``seconds`` of ``orbit``: the views the axes are placed for."""
        return [orbit.angles(t) for t in np.linspace(0.0, seconds, 3)]

    def add_axes(self, view: View, orbit: Orbit) -> None:
        """Floor axes, the height axis and the colour bar, placed where ``orbit``'s camera sees their labels;
        again after the orbit is turned (:meth:`framing_orbit`): the old ones are taken out first."""
        fixed = getattr(self.camera, "fixed_orientation_mobjects", {})
        for old in getattr(self, "axes_parts", ()):
            self.remove(old, *old.submobjects)
            for member in old.get_family():
                fixed.pop(member, None)
        views = self.axes_views(orbit)
        inside = self.in_frame(orbit, views)
        lines, labels = floor_axes(view, self.colors, views, inside=inside)
        f_line, f_labels = height_axis(view, self.colors, views, inside=inside) if self.show_surface else (VGroup(), VGroup())
        # All the axes' labels in one group: under OpenGL one atlas of camera-facing quads.
        inward = getattr(f_labels, "inward", False)  # (the height axis' labels over the surface: their own group)
        every = set_layer(VGroup(*labels, *([] if inward else f_labels)), FLOOR)
        every.gd_billboards = True
        self.axes_parts = [lines, f_line, every, *([f_labels] if inward else [])]
        self.add(lines, f_line)
        self.add_facing(*self.axes_parts[2:])
        if self.show_surface and not hasattr(self, "colour_key"):
            self.colour_key = colour_bar(view, self.colors)
            if self.layout.portrait:  # (the text takes the top of a tall frame: the bar goes just under it)
                corner, room = self.layout.text_box
                self.colour_key.to_edge(RIGHT, buff=0.3).set_y(corner[1] - room - 0.15 - self.colour_key.height / 2)
            self.add_fixed_in_frame_mobjects(self.colour_key)

    def in_frame(self, orbit: Orbit, views: Sequence[tuple[float, float]]) -> Callable[[np.ndarray], np.ndarray]:
        """Whether display points stay in the frame (a margin inside its edges) from every view of ``orbit``
        (its zoom and screen offset; the perspective left out)."""
        half = np.array([config.frame_width, config.frame_height]) / 2 - 0.25

        def inside(points: np.ndarray) -> np.ndarray:
            ok = np.ones(len(points), bool)
            for phi, theta in views:
                right = np.array([-np.sin(theta), np.cos(theta), 0.0])
                up = np.cross(np.array([np.sin(phi) * np.cos(theta), np.sin(phi) * np.sin(theta), np.cos(phi)]), right)
                xy = orbit.zoom * np.column_stack([points @ right, points @ up]) + np.asarray(orbit.screen_offset)
                ok &= (np.abs(xy) <= half).all(axis=1)
            return ok

        return inside

    def add_facing(self, *groups: Any) -> None:
        """Add label groups that face the camera (Cairo) or are drawn as camera-facing quads (OpenGL)."""
        for group in groups:
            if faces_camera():
                self.add_fixed_orientation_mobjects(*group)
            else:
                self.add(group)

    def add_marks(self, view: View, loss: Loss) -> None:
        """The known minima: stars on the surface, crosses on the floor, values (:meth:`opening_marks`)."""
        self.marks = MinimaMarks(view, loss.minima, self.colors)
        if not self.marks.minima:
            return
        self.add(self.marks.crosses)
        if self.show_surface:  # stars and values: one atlas of camera-facing quads under OpenGL
            shown = set_layer(VGroup(*self.marks.stars, *self.marks.labels), MARKS)
            shown.gd_billboards = True
            self.add_facing(shown)

    def opening_marks(self) -> Mobject:
        """The minima markers (already in the scene): what the opening reveals after the contours."""
        return self.marks

    def make_loss_curve(self, losses: Sequence[np.ndarray], colors: Sequence[str], loss: Loss,
                        above: Mobject | None = None) -> LossCurve | None:
        """The loss panel of runs (their losses, from the trajectories) if ``loss_curve`` is on;
        no taller than the text region leaves under ``above`` (so the text keeps its size)."""
        if not self.loss_curve:
            return None
        global_minima = [m.f for m in loss.minima if m.kind == "global"]
        _, room = self.layout.text_box
        height = 2.4 if above is None else float(np.clip(room - above.height - 0.25 - 0.45, 1.4, 2.4))
        return LossCurve(
            losses, colors, self.colors, height=height,
            width=self.layout.block_width, log=self.loss_curve_log, f_star=min(global_minima, default=None),
        )

    def place_text(self, *blocks: Mobject | None) -> None:
        """Stack the text blocks in the layout's text region, fixed in frame."""
        shown = [b for b in blocks if b is not None]
        self.layout.stack(shown)
        self.add_fixed_in_frame_mobjects(*shown)

    def roll(
        self,
        balls: Sequence[Any],
        last: float,
        on_step: Callable[[int], None] | None = None,
        followers: Sequence[Any] = (),
    ) -> None:
        """Fade the balls in, orbit, and play the step clock from 0 to ``last``.

        ``balls`` and ``followers`` have ``set_time(t)``; ``on_step(k)`` runs
        once per whole step ``k`` reached (the text's live numbers).
        """
        clock = ValueTracker(0.0)
        seconds, pacing = step_pacing(last, self.seconds_per_step, self.max_roll_seconds)
        self.lesson_orbit = self.framing_orbit(balls, self.intro_seconds + 0.6 * seconds, seconds)
        self.add_axes(self.view, self.lesson_orbit)  # (the orbit may have turned: labels where it sees them)
        self.camera_move = self.make_camera_move(balls, seconds, pacing, last, self.lesson_orbit)
        aim(self, self.camera_move.shot(0.0))
        if on_step is not None:
            on_step(0)
        fps = float(config.frame_rate)
        began = float(self.renderer.time)
        if self.sections:
            self.next_section("intro")
        intro = captions.frames(self.intro_seconds, fps)
        self.play(*(FadeIn(b) for b in balls),
                  run_time=captions.run_time(intro, fps) if self.sections else self.intro_seconds)
        self.timeline = [captions.Cue("intro", began, began + intro / fps, self.describe_intro())]
        if faces_camera():
            self.keep_facing_camera(*(b.ball for b in balls))
        still = self.camera_preset == "static" or (self.camera_preset == "orbit" and not self.lesson_orbit.theta_rate)
        start_move(self, self.camera_move.shot, moving=not still)
        # Updaters sit on the drawn mobjects, not on the clock: manim
        # suspends the updaters of the mobject an animation plays on.
        for mob in (*balls, *followers):
            mob.add_updater(lambda m: m.set_time(clock.get_value()))
        if on_step is not None:
            shown = [0]

            def follow(_: Any) -> None:
                k = min(int(clock.get_value()), int(last))
                if k != shown[0]:
                    shown[0] = k
                    on_step(k)

            balls[0].add_updater(follow)
        self.add(clock)
        self.play_steps(clock, last, seconds, pacing, fps)
        for mob in (*balls, *followers):
            mob.clear_updaters()
            mob.set_time(float(last))
        if on_step is not None:
            on_step(int(last))
        if self.sections:
            self.next_section("result")
        end = self.timeline[-1].end
        self.timeline.append(captions.Cue("result", end, end + captions.frames(self.hold_seconds, fps) / fps,
                                          self.describe_result()))

    def play_steps(self, clock: ValueTracker, last: float, seconds: float, pacing: Callable[[float], float],
                   fps: float) -> None:
        """Play the step clock from 0 to ``last``: in one animation, or with
        ``sections`` one per step (or group of short steps) on the frame grid."""
        total = captions.frames(seconds, fps)
        start = self.timeline[-1].end
        if not self.sections:
            self.play(clock.animate.set_value(float(last)), run_time=seconds, rate_func=pacing)
            first = min(1, int(last))
            self.timeline.append(captions.Cue(captions.section_name(first, int(last)), start, start + total / fps,
                                              self.describe_steps(first, int(last)), first, int(last)))
            return
        for f0, f1, k0, k1 in captions.step_groups(last, pacing, total, fps):
            a0, a1 = (captions.inverse(pacing, k0 / last), captions.inverse(pacing, k1 / last)) if last > 0 else (0, 1)
            first, name = min(k0 + 1, k1), captions.section_name(min(k0 + 1, k1), k1)
            self.next_section(name)

            def rate(u: float, n: int = f1 - f0, k0: int = k0, k1: int = k1, a0: float = a0, a1: float = a1) -> float:
                # Frame j of this play (alpha j / (n - 0.5)) shows the pacing at j / n of the way from step k0 to k1.
                if u >= 1.0 or k1 <= k0:
                    return 1.0 if u >= 1.0 else u
                return (last * pacing(a0 + (a1 - a0) * u * (n - 0.5) / n) - k0) / (k1 - k0)

            self.play(clock.animate.set_value(float(k1)), run_time=captions.run_time(f1 - f0, fps), rate_func=rate)
            self.timeline.append(captions.Cue(name, start + f0 / fps, start + f1 / fps,
                                              self.describe_steps(first, k1), first, k1))

    # -- captions (lessons override) -------------------------------------------
    def headline(self) -> str:
        """The lesson's title (thumbnails)."""
        return loss_title(self.get_loss())

    def describe_intro(self) -> str:
        """The caption of the intro."""
        return loss_title(self.get_loss())

    def describe_steps(self, first: int, last: int) -> str:
        """The caption of steps ``first``..``last``."""
        return f"Step {last}" if first == last else f"Steps {first}-{last}"

    def describe_result(self) -> str:
        """The caption of the final hold."""
        return "Result"

    def make_camera_move(self, balls: Sequence[Any], seconds: float, pacing: Callable[[float], float],
                         last: float, orbit: Orbit) -> CameraMove:
        """The ``camera_preset`` move over the roll (``seconds`` long, clock to ``last``) and the hold."""
        track = None
        if balls:
            centres, per_step = balls[0].centres, balls[0].per_step

            def track(t: float) -> np.ndarray:
                a = min(max(t / seconds, 0.0), 1.0) if seconds > 0 else 1.0
                i = min(max(last * pacing(a) * per_step, 0.0), len(centres) - 1.0)
                lo = int(np.floor(i))
                hi = min(lo + 1, len(centres) - 1)
                return centres[lo] + (i - lo) * (centres[hi] - centres[lo])

        floor = -float(self.view.floor_gap) if getattr(self, "view", None) is not None else None
        return CameraMove(self.camera_preset, orbit, seconds, seconds + self.hold_seconds, track, floor)

    def framing_orbit(self, balls: Sequence[Any], seconds: float, roll_seconds: float | None = None) -> Orbit:
        """The lesson's orbit, turned (if it keeps the balls in sight) so that ``seconds``
        into the clip the surface hides as little of the balls' paths as it can,
        turning as little as it can, and the resting balls are fully in sight
        through the final hold (the roll lasting ``roll_seconds``)."""
        orbit = self.framing = self.lesson_orbit
        if not orbit.keep_in_sight or not balls:
            return orbit
        phi, preferred = orbit.angles(seconds)
        centres = np.vstack([b.centres[:: max(len(b.centres) // 60, 1)] for b in balls] + [b.centres[-1:] for b in balls])
        rests = np.vstack([b.centres[-1:] for b in balls if not getattr(b, "exits", False)] or [np.zeros((0, 3))])
        end_views = [(phi, 0.0)]
        if roll_seconds is not None:
            move = CameraMove(self.camera_preset, orbit, roll_seconds, roll_seconds + self.hold_seconds)
            shots = [move.shot(t) for t in (roll_seconds, roll_seconds + self.hold_seconds, roll_seconds
                                            + self.hold_seconds + self.intro_seconds)]
            end_views = [(s.angles()[0], s.angles()[1] - preferred) for s in shots]
        radius = float(getattr(balls[0], "radius", 0.0))
        eye_at = None
        if not faces_camera():  # a depth-tested perspective camera: rays go to its eye
            roll = roll_seconds or 0.0
            end = CameraMove(self.camera_preset, orbit, roll, roll + self.hold_seconds).shot(roll)
            pivot = rests[0] if self.camera_preset == "follow" and len(rests) else None
            zoom = end.zoom * (FOLLOW_ZOOM if self.camera_preset == "follow" else 1.0)

            def eye_at(p: float, t: float) -> np.ndarray:
                return eye(p, t, zoom, end.screen_offset, float(config.frame_height), pivot)

        theta = clear_azimuth(self.view, centres, phi, preferred, rests=rests, radius=radius, end_views=end_views,
                              eye_at=eye_at)
        self.framing = replace(orbit, theta=orbit.theta + float(np.degrees(theta - preferred)))
        return self.framing

    # -- fixing text in frame ------------------------------------------------
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


def step_pacing(last: float, seconds_per_step: float, max_seconds: float | None) -> tuple[float, Callable[[float], float]]:
    """Run time and rate function of the step clock going from 0 to ``last``.

    Linear when ``last * seconds_per_step`` fits in ``max_seconds``; otherwise
    geometric: the clock shows step ``(1 + last) ** a - 1`` at fraction ``a``,
    so the first steps stay readable and the long tail is fast-forwarded.
    """
    linear_seconds = max(last, 1) * seconds_per_step
    if max_seconds is None or linear_seconds <= max_seconds or last <= 1:
        return linear_seconds, linear

    def geometric(a: float) -> float:
        return float(np.expm1(a * np.log1p(last)) / last)

    return max_seconds, geometric


def loss_title(loss: Loss) -> str:
    """A readable title for a loss: ``"six_hump_camel"`` becomes ``"the six-hump camel"``
    (:data:`gdscenes.core.losses.library.TITLES`); a user's expression keeps its name."""
    return TITLES.get(loss.name, loss.name)


def outcome(trajectory: Trajectory, index: int = 0, exit_step: int | None = None) -> str:
    """One line saying how run ``index`` ended (``exit_step``: where it left the plot)."""
    status, step = str(trajectory.status[index]), int(trajectory.stop_step[index])
    if exit_step is not None:
        return f"diverged, left the plot at step {exit_step}"
    if status == "converged":
        return f"converged at step {step}"
    if status == "diverged":
        return f"diverged at step {step}"
    return f"f = {trajectory.losses[step, index]:.4g} at step {step}"
