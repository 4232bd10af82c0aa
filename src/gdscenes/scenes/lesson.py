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
import sympy
from manim import (
    DL,
    UP,
    UR,
    Animation,
    FadeIn,
    Mobject,
    RendererType,
    ThreeDScene,
    UpdateFromAlphaFunc,
    ValueTracker,
    VGroup,
    config,
    linear,
    smooth,
)

from gdscenes.display import timeline as captions
from gdscenes.drawing.ball import MOTIONS
from gdscenes.drawing.camera import FLOOR, MARKS, ON_SURFACE, set_layer
from gdscenes.drawing.glyphs import GlyphString
from gdscenes.drawing.camera import CAMERA_PRESETS, FOLLOW_ZOOM, CameraMove, LessonCamera, Orbit, aim, faces_camera, start_move
from gdscenes.drawing.camera import floor_outline, on_screen
from gdscenes.drawing.card import title_card
from gdscenes.drawing.type_scale import latex_title, number
from gdscenes.drawing.colour_key import colour_key
from gdscenes.drawing.landscape import contour_floor, floor_axes, height_axis, loss_surface, minima_marks, type_key
from gdscenes.drawing import reuse as kept
from gdscenes.drawing import type_scale
from gdscenes.drawing.layout import Layout, boxes_overlap
from gdscenes.drawing.loss_plot import LossCurve
from gdscenes.drawing.schedule_plot import SchedulePlot, varies
from gdscenes.drawing.gl.renderer import LessonRenderer
from manim.renderer.opengl_renderer import OpenGLRenderer
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
    #: Seconds every step takes; ``None`` (the default) paces the steps for a voice
    #: (:func:`~gdscenes.display.timeline.voice_pace`: the first steps slow, later ones faster).
    seconds_per_step: ClassVar[float | None] = None
    #: Seconds of the opening (the landscape built on screen; see :meth:`LessonScene.play_opening`),
    #: and of the final hold.
    intro_seconds: ClassVar[float] = 6.5
    hold_seconds: ClassVar[float] = 3.0
    #: Build the picture on screen first; ``False`` only fades the balls in (:data:`NO_INTRO_SECONDS`).
    intro: ClassVar[bool] = True
    #: Length of the whole clip in seconds: the opening, the steps and the hold are scaled to fit.
    duration: ClassVar[float | None] = None
    #: How a ball moves between iterates: ``"hop"`` (an arc above the surface) or ``"roll"`` (on it).
    motion: ClassVar[str] = "hop"
    #: Longest time the steps may take; a longer run is paced so that early
    #: steps keep their time and later ones speed up (``None``: the voice pace's
    #: :data:`~gdscenes.display.timeline.MAX_ROLL_SECONDS`, or no limit with ``seconds_per_step``).
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
    #: Add the learning rate against the step (:class:`~gdscenes.drawing.schedule_plot.SchedulePlot`) under
    #: the text; ``None``: when a run's rate changes (a schedule other than constant is set).
    schedule_plot: ClassVar[bool | None] = None
    #: How many parameters the lesson's loss has, and what the lesson draws over them (for the error naming a loss
    #: that does not fit).
    _loss_dim: ClassVar[int] = 2
    _loss_shape: ClassVar[str] = "a surface over two parameters, x and y"
    #: The height's name on the colour bar and in its note (``J`` for a model's cost).
    height_name: ClassVar[str] = "f"
    #: Mark the intro, each optimizer step (steps shorter than
    #: :data:`~gdscenes.display.timeline.MIN_SECTION_SECONDS` grouped) and the final
    #: hold as manim sections (``next_section``); ``self.timeline`` holds them.
    sections: ClassVar[bool] = False
    camera: Any

    def __init__(self, renderer: Any = None, **kwargs: Any) -> None:
        # manim's own command (``manim --renderer=opengl``) hands every scene a plain
        # OpenGLRenderer: a lesson draws with its caching subclass instead.
        kwargs.setdefault("camera_class", LessonCamera)
        if config.renderer == RendererType.OPENGL and (renderer is None or type(renderer) is OpenGLRenderer):
            renderer = LessonRenderer(skip_animations=bool(getattr(renderer, "skip_animations", False)))
        if renderer is not None:
            kwargs["renderer"] = renderer
        super().__init__(**kwargs)
        self.progress: RenderProgress | None = None

    # -- settings ------------------------------------------------------------
    @classmethod
    def get_loss(cls) -> Loss:
        """The lesson's loss, over ``_loss_dim`` parameters; a one-line ``ValueError`` naming one that is not."""
        loss = get_loss(cls.loss)
        if loss.dim != cls._loss_dim:
            names = ", ".join(str(p) for p in loss.params)
            word = "parameter" if loss.dim == 1 else "parameters"
            raise ValueError(f"loss {cls.loss!r} has {loss.dim} {word} ({names}); this lesson draws {cls._loss_shape}")
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
        if cls.seconds_per_step is not None and not cls.seconds_per_step > 0:
            raise ValueError(f"seconds_per_step must be positive, got {cls.seconds_per_step}")
        if cls.duration is not None and not cls.duration > 0:
            raise ValueError(f"duration must be positive, got {cls.duration}")
        for name in ("intro_seconds", "hold_seconds"):
            if not getattr(cls, name) >= 0:
                raise ValueError(f"{name} must be at least 0, got {getattr(cls, name)}")
        if cls.motion not in MOTIONS:
            raise ValueError(f"motion must be one of {', '.join(MOTIONS)}; got {cls.motion!r}")
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
        global_minima = [m.f for m in loss.minima if m.kind == "global"]
        view = View.fit(loss.value, self.plot_domain(loss), f_min=min(global_minima, default=None), scale=self.height_scale,
                        **self.view_sizes)
        self.view = view
        self.layout = Layout.current()
        self.lesson_orbit = self.layout.orbit(self.orbit, view)
        floor = contour_floor(view, theme)
        self.floor = floor
        self.lesson_orbit.apply(self)
        self.add(floor)
        self.axis_names = self.names_of_axes(loss)
        self.add_axes(view, self.lesson_orbit)
        surface = None
        if self.show_surface:
            surface = loss_surface(view, theme, self.resolution)
            self.add(surface)
        self.add_marks(view, loss)
        self.landscape_parts: dict[str, Any] = {"floor": floor, "axes": self.axes_parts[0], "labels": self.axes_parts[2],
                                                "surface": surface}
        return view

    # -- axes, colour bar, minima (lecture-type) -------------------------------
    def axes_views(self, orbit: Orbit, seconds: float = 20.0, move: CameraMove | None = None) -> list[tuple[float, float]]:
        """The views the axes are placed for: camera angles (radians) over the first ``seconds`` of ``orbit``, or,
        given the clip's camera ``move``, over the whole clip (its roll and hold: the camera holds still through
        the opening), one at least every :data:`AXES_VIEW_SECONDS`."""
        if move is None:
            return [orbit.angles(t) for t in np.linspace(0.0, seconds, 3)]
        count = max(3, int(np.ceil(move.end / AXES_VIEW_SECONDS)) + 1)
        return [move.shot(float(t)).angles() for t in np.linspace(0.0, move.end, count)]

    def names_of_axes(self, loss: Loss) -> tuple[str, str, str]:
        """The axes' names (TeX): the loss's parameters (``x``, ``y``; ``theta_0``, ``theta_1``) and
        :attr:`height_name` for the height."""
        first, second = (sympy.latex(sympy.Symbol(name)) for name in loss.param_names[:2])
        return first, second, self.height_name

    def add_axes(self, view: View, orbit: Orbit, move: CameraMove | None = None) -> None:
        """Floor axes, the height axis and the colour bar, placed where ``orbit``'s camera sees their labels
        (through the whole clip, given its camera ``move``: :meth:`axes_views`); again after the orbit is turned
        (:meth:`framing_orbit`): the old ones are taken out first."""
        fixed = getattr(self.camera, "fixed_orientation_mobjects", {})
        for old in getattr(self, "axes_parts", ()):
            self.remove(old, *old.submobjects)
            for member in old.get_family():
                fixed.pop(member, None)
        views = self.axes_views(orbit, move=move)
        inside = self.in_frame(orbit, views)
        x_name, y_name, f_name = getattr(self, "axis_names", ("x", "y", self.height_name))
        lines, labels = floor_axes(view, self.colors, views, inside=inside, names=(x_name, y_name), orbit=orbit)
        bar = getattr(self, "colour_key", None)  # (made at the first call: the height axis' labels keep clear of it after)
        f_line, f_labels = (height_axis(view, self.colors, views, inside=inside, name=f_name, orbit=orbit,
                                        keep_out=[bar] if bar is not None else [])
                            if self.show_surface else (VGroup(), VGroup()))
        # All the axes' labels in one group: under OpenGL one atlas of camera-facing quads.
        inward = getattr(f_labels, "inward", False)  # (the height axis' labels over the surface: their own group)
        every = set_layer(VGroup(*labels, *([] if inward else f_labels)), FLOOR)
        every.gd_billboards = True
        self.axes_parts = [lines, f_line, every, *([f_labels] if inward else [])]
        self.add(lines, f_line)
        self.add_facing(*self.axes_parts[2:])
        if hasattr(self, "landscape_parts"):  # (what the opening fades in)
            self.landscape_parts.update(axes=lines, labels=every)
        if self.show_surface and not hasattr(self, "colour_key"):
            self.place_colour_key(view)

    def in_frame(self, orbit: Orbit, views: Sequence[tuple[float, float]]) -> Callable[[np.ndarray], np.ndarray]:
        """Whether display points stay in the frame (a margin inside its edges) from every view of ``orbit``
        (its zoom and screen offset), drawn as the renderer in use draws them (:func:`on_screen`: OpenGL's
        perspective puts the frame's right side farther right than an orthographic estimate)."""
        half = np.array([config.frame_width, config.frame_height]) / 2 - 0.25

        def inside(points: np.ndarray) -> np.ndarray:
            ok = np.ones(len(points), bool)
            for phi, theta in views:
                ok &= (np.abs(on_screen(points, phi, theta, orbit.zoom, orbit.screen_offset)) <= half).all(axis=1)
            return ok

        key = getattr(self, "corner_key", None)
        if key is not None:  # (a key in the frame's corner: no floor label under it, from any view)
            room = type_scale.height("caption")  # (a label's half height, and about half a short label's width)
            low, high = key.get_corner(DL)[:2] - room, key.get_corner(UR)[:2] + room

            def covered(points: np.ndarray) -> np.ndarray:
                under = np.zeros(len(points), bool)
                for phi, theta in views:
                    seen = on_screen(points, phi, theta, orbit.zoom, orbit.screen_offset)
                    under |= ((seen > low) & (seen < high)).all(axis=1)
                return under

            inside.covered = covered  # type: ignore[attr-defined]
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
        self.marks = minima_marks(view, loss.minima, self.colors)
        if not self.marks.minima:
            return
        self.add(self.marks.crosses)
        if self.show_surface:  # stars and values: one atlas of camera-facing quads under OpenGL
            shown = set_layer(VGroup(*self.marks.stars, *self.marks.labels), MARKS)
            shown.gd_billboards = True
            self.add_facing(shown)

    def make_loss_curve(self, losses: Sequence[np.ndarray], colors: Sequence[str], loss: Loss,
                        above: Mobject | None = None) -> LossCurve | None:
        """The loss panel of runs (their losses, from the trajectories) if ``loss_curve`` is on;
        no taller than the text region leaves under ``above`` (so the text keeps its size)."""
        if not self.loss_curve:
            return None
        global_minima = [m.f for m in loss.minima if m.kind == "global"]
        _, room = self.layout.text_box
        reserve = SCHEDULE_ROOM if self.schedule_series() else 0.0  # (the learning-rate panel goes under it)
        height = 2.4 if above is None else float(np.clip(room - above.height - 0.25 - 0.45 - reserve, 1.4, 2.4))
        return LossCurve(
            losses, colors, self.colors, height=height,
            width=self.layout.block_width, log=self.loss_curve_log, f_star=min(global_minima, default=None),
        )

    def schedule_series(self) -> list[tuple[np.ndarray, str, int]]:
        """``(rates, colour, stop step)`` of each run the learning-rate panel shows; empty when it shows none."""
        runs = getattr(self, "runs", None) or []
        series = [(r.trajectory.lrs, r.color, r.end(self.view.domain)) for r in runs]
        if not runs and getattr(self, "trajectory", None) is not None:
            series = [(self.trajectory.lrs, self.colors.ball, int(self.trajectory.stop_step[0]))]
        series = [s for s in series if s[0] is not None]
        if self.schedule_plot is False or (self.schedule_plot is None and not any(varies(s[0]) for s in series)):
            return []
        return series

    def make_schedule_plot(self, above: Sequence[Mobject] = ()) -> SchedulePlot | None:
        """The learning-rate panel of the runs (``self.runs``, else ``self.trajectory``; their ``lrs``)
        if ``schedule_plot`` says so; no taller than the text region leaves under ``above``."""
        series = self.schedule_series()
        if not series:
            return None
        _, room = self.layout.text_box
        height = float(np.clip(room - sum(b.height + 0.25 for b in above) - SCHEDULE_CARD, 1.5, 2.2))
        plot = SchedulePlot([s[0] for s in series], [s[1] for s in series], self.colors, width=self.layout.block_width,
                            height=height, stops=[s[2] for s in series])
        self.schedule_follower = plot
        return plot

    def place_text(self, *blocks: Mobject | None) -> None:
        """Stack the text blocks in the layout's text region, fixed in frame (with the learning-rate
        panel under them when :meth:`make_schedule_plot` gives one)."""
        shown = [b for b in blocks if b is not None]
        plot = self.make_schedule_plot(shown)
        if plot is not None:
            shown.append(plot)
        band = self.layout.stack(shown)
        if self.layout.stacked and shown:  # (the landscape takes what the text leaves)
            self.layout = self.layout.with_band(band.height)
            self.lesson_orbit = self.layout.orbit(self.orbit, getattr(self, "view", None))
            self.lesson_orbit.apply(self)
            if hasattr(self, "colour_key"):
                self.place_colour_key(self.view)
        self.add_fixed_in_frame_mobjects(*shown)
        self.text_blocks = shown

    def place_colour_key(self, view: Any) -> None:
        """Make the colour bar (or make it again, shorter, where a key kept at the frame's corner leaves an upright bar
        less room: :meth:`~gdscenes.drawing.layout.Layout.bar_room`) and place it where the layout keeps it."""
        bar = getattr(self, "colour_key", None)
        room = self.layout.bar_room() if self.layout.corner else None
        if bar is None or (room is not None and bar.height > room + 1e-9):
            if bar is not None:
                self.remove(bar)
            bar = self.colour_key = colour_key(view, self.colors, upright=self.layout.key_upright, name=self.height_name,
                                               room=room)
            self.add_fixed_in_frame_mobjects(bar)
        self.layout.place_key(bar)

    # -- timing ------------------------------------------------------------------
    @property
    def clip_hold(self) -> float:
        """The clip's final hold: ``hold_seconds``, scaled by ``duration`` (:meth:`clip_timing`) once the roll knows it."""
        return float(getattr(self, "hold_time", self.hold_seconds))

    @classmethod
    def clip_timing(cls, last: float) -> tuple[float, np.ndarray, float]:
        """Seconds of the opening, of each of the ``last`` steps, and of the final hold.

        The steps take ``seconds_per_step`` each if it is set, else the voice pace
        (:func:`~gdscenes.display.timeline.voice_pace`); ``duration`` scales all three to fit.
        """
        n = max(int(np.ceil(last - 1e-9)), 1)
        if cls.seconds_per_step is not None:
            steps = captions.even_pace(n, cls.seconds_per_step, cls.max_roll_seconds)
        else:
            steps = captions.voice_pace(n, max_seconds=cls.max_roll_seconds or captions.MAX_ROLL_SECONDS)
        opening = float(cls.intro_seconds) if cls.intro else min(NO_INTRO_SECONDS, float(cls.intro_seconds))
        hold = float(cls.hold_seconds)
        if cls.duration is not None:
            scale = float(cls.duration) / (opening + float(steps.sum()) + hold)
            opening, steps, hold = opening * scale, steps * scale, hold * scale
        return opening, steps, hold

    @classmethod
    def clip_seconds(cls, last: float) -> float:
        """How long the clip of a run of ``last`` steps lasts."""
        opening, steps, hold = cls.clip_timing(last)
        return opening + float(steps.sum()) + hold

    # -- the steps ---------------------------------------------------------------
    def roll(
        self,
        balls: Sequence[Any],
        last: float,
        on_step: Callable[[int], None] | None = None,
        followers: Sequence[Any] = (),
    ) -> None:
        """Play the opening (or fade the balls in), orbit, and play the step clock from 0 to ``last``.

        ``balls`` and ``followers`` have ``set_time(t)``; ``on_step(k)`` runs
        once per whole step ``k`` reached (the text's live numbers).
        """
        clock = ValueTracker(0.0)
        if getattr(self, "schedule_follower", None) is not None:
            followers = [*followers, self.schedule_follower]
        opening, step_seconds, self.hold_time = self.clip_timing(last)
        seconds, pacing = float(step_seconds.sum()), captions.clock(step_seconds, last)
        self.step_seconds = step_seconds
        self.lesson_orbit = self.lesson_orbit.turning_at_most(seconds + self.hold_time)
        self.lesson_orbit = self.framing_orbit(balls, opening + 0.6 * seconds, seconds)
        self.camera_move = self.make_camera_move(balls, seconds, pacing, last, self.lesson_orbit)
        self.add_axes(self.view, self.lesson_orbit, self.camera_move)  # (the orbit may have turned: labels where it sees them)
        if getattr(self, "marks", None) is not None:  # the minima's value cards beside the stars, clear of the balls' ends
            labels = [label for group in self.axes_parts[2:] for label in group.submobjects]
            outlines = [f.rest_points() for f in followers if hasattr(f, "rest_points")]  # (the curvature ellipse)
            self.marks.keep_clear(balls, self.camera_move.shot(seconds + self.hold_time), self.camera_move.frame, labels,
                                  outlines)
        aim(self, self.camera_move.shot(0.0))
        if on_step is not None:
            on_step(0)
        fps = float(config.frame_rate)
        self.start_progress(captions.frames(opening, fps) + captions.frames(seconds, fps)
                            + captions.frames(self.hold_time, fps), int(np.ceil(last - 1e-9)))
        began = float(self.renderer.time)
        if self.sections:
            self.next_section("intro")
        intro = captions.frames(opening, fps)
        self.set_phase("opening")
        if self.intro:
            self.play_opening(balls, intro)
        else:
            self.play(*(FadeIn(b) for b in balls), run_time=captions.run_time(intro, fps))
        self.timeline = [captions.Cue("intro", began, began + intro / fps, self.describe_intro())]
        if faces_camera():
            self.keep_facing_camera(*(b.ball for b in balls))
        still = self.camera_preset == "static" or (self.camera_preset == "orbit" and not self.lesson_orbit.theta_rate)
        start_move(self, self.camera_move.shot, moving=not still)
        self.play_clock(clock, balls, last, step_seconds, pacing, on_step, followers)

    def play_clock(self, clock: ValueTracker, balls: Sequence[Any], last: float, step_seconds: np.ndarray,
                   pacing: Callable[[float], float], on_step: Callable[[int], None] | None = None,
                   followers: Sequence[Any] = ()) -> None:
        """The step clock from 0 to ``last`` at the pace of ``step_seconds``: the balls and followers follow it,
        ``on_step(k)`` runs once per whole step, the "x N" marker and the progress phase follow the speed-ups;
        then the result (section, caption cue). Every lesson's steps are played by this."""
        fps = float(config.frame_rate)
        seconds = float(step_seconds.sum())
        # Updaters sit on the drawn mobjects, not on the clock: manim
        # suspends the updaters of the mobject an animation plays on.
        for mob in (*balls, *followers):
            mob.add_updater(lambda m: m.set_time(clock.get_value()))
        marker = self.speed_marker()
        speeds = captions.speed_ups(step_seconds)
        shown = [-1]
        n_steps = int(np.ceil(last - 1e-9))

        def follow(_: Any) -> None:
            k = min(int(clock.get_value()), int(last))
            if k != shown[0]:
                shown[0] = k
                if on_step is not None:
                    on_step(k)
                self.show_speed(marker, int(speeds[min(k, len(speeds) - 1)]) if k < n_steps else 1)
                self.set_phase(f"step {min(k + 1, n_steps)} of {n_steps}")

        watcher = VGroup()  # (draws nothing; its updater watches the clock)
        watcher.add_updater(follow)
        self.add(clock, watcher)
        self.play_steps(clock, last, seconds, pacing, fps)
        watcher.clear_updaters()
        self.remove(watcher)
        for mob in (*balls, *followers):
            mob.clear_updaters()
            mob.set_time(float(last))
        self.resting = [b for b in balls if hasattr(b, "last_arc")]  # (their last arcs fade in the hold)
        if on_step is not None:
            on_step(int(last))
        self.show_speed(marker, 1)
        self.set_phase("result")
        if self.sections:
            self.next_section("result")
        end = self.timeline[-1].end
        self.timeline.append(captions.Cue("result", end, end + captions.frames(self.hold_time, fps) / fps,
                                          self.describe_result()))

    def hold(self) -> None:
        """Hold the final picture (``hold_seconds``, scaled by ``duration``). The last hop's arc of each ball
        at rest fades out first (:data:`ARC_FADE`, at most a third of the hold): the iterates stay as dots,
        and a long last hop (a noisy run's) no longer hangs over the result."""
        seconds = self.clip_hold
        arcs = [line for ball in getattr(self, "resting", ()) for line in ball.last_arc()]
        fade = min(ARC_FADE, seconds / 3)
        for line in arcs:  # (updaters in one wait: the hold keeps its time and frames, the camera its moves)
            line.add_updater(_fading(line, fade))
        self.wait(seconds)
        for line in arcs:
            line.clear_updaters()
            line.set_stroke(opacity=0.0)

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

    # -- the "x N" marker ----------------------------------------------------------
    def speed_marker(self) -> GlyphString:
        """The "x N" marker shown while the steps are sped up, bottom right, fixed in frame."""
        marker = GlyphString(self.colors.text, 0.8, capacity=8)
        self.add_fixed_in_frame_mobjects(marker)
        self.speed_shown = 1
        return marker

    def show_speed(self, marker: GlyphString, factor: int) -> None:
        """Spell "x ``factor``" on the marker (nothing at 1)."""
        if factor == getattr(self, "speed_shown", 1):
            return
        self.speed_shown = factor
        keys = ["×", *str(factor)] if factor > 1 else []
        width, height = float(config.frame_width), float(config.frame_height)
        right, y = width / 2 - 0.35, -height / 2 + 0.45
        marker.spell(keys, np.array([right - 0.28 * len(keys), 0.0, 0.0]), y)
        # Left of what stands in the corner: a square frame's upright bar and its note, a key kept there.
        for key in (getattr(self, "colour_key", None), getattr(self, "corner_key", None)):
            if keys and key is not None and boxes_overlap(marker, key, 0.1):
                marker.spell(keys, np.array([key.get_left()[0] - 0.15 - marker.width, 0.0, 0.0]), y)

    # -- the opening ------------------------------------------------------------------
    def opening_marks(self) -> list[Mobject]:
        """Marks the opening shows once the contours are down (the known minima); lessons may add."""
        return []

    def opening_card(self) -> Mobject:
        """The title and the loss formula written first in the opening, fixed in frame."""
        loss = self.get_loss()
        key = getattr(self, "colour_key", None)  # (top right in a wide frame: the card keeps clear of it)
        beside = key.width + 0.3 if key is not None and not self.layout.stacked else 0.0
        width = float(config.frame_width) - 2 * (0.5 + beside)
        title = latex_title(self.headline(), loss)
        short = latex_title(self.headline().replace(loss.name, "\0")).replace("\0", "$f$")  # (the formula is under it)
        title = short if f"${getattr(loss, 'latex', None)}$" in title else title  # (a user's expression: written once)
        formula = getattr(loss, "latex", None)
        made = kept.key("title card", title, formula, self.colors.text, float(width), short, type_key())
        card = kept.reuse(made, lambda: title_card(title, formula, self.colors.text, width, short))  # (a warm process: once)
        return card.to_edge(UP, buff=0.4)

    def play_opening_then_hold(self, balls: Sequence[Any], n_frames: int, share: float) -> None:
        """The opening (:meth:`LessonScene.play_opening`) in the first part of its ``n_frames``, then ``share``
        of them held still: text shown in turns (a square frame) is read before the steps take its place."""
        read = int(round(share * n_frames))
        LessonScene.play_opening(self, balls, n_frames - read)
        if read:
            self.wait(captions.run_time(read, float(config.frame_rate)))

    def play_opening(self, balls: Sequence[Any], n_frames: int) -> None:
        """Build the picture on screen in ``n_frames``: the title and the loss formula
        written, the surface rising from the floor plane, the contour lines projected
        down onto it, the marks (:meth:`opening_marks`), the balls placed, the text
        (update rule) written. Frame 0 shows only the background."""
        fps = float(config.frame_rate)
        parts = getattr(self, "landscape_parts", {})
        text = [b for b in getattr(self, "text_blocks", []) if b in self.mobjects]
        floor: Any = parts.get("floor")
        surface: Any = parts.get("surface")
        marks = [m for m in self.opening_marks() if m is not None]
        known = {id(m) for m in (*parts.values(), *text, *marks) if m is not None}
        others = [m for m in self.mobjects if id(m) not in known and not isinstance(m, ValueTracker)]
        self.remove(*text)
        gl = not faces_camera()
        if gl and surface is not None:  # its vertex buffers change while it rises: drawn as manim does meanwhile
            surface.gd_static = False
        levels = floor[1] if floor is not None and len(floor.submobjects) > 1 else None
        if levels is not None:
            floor.remove(levels)

        card = self.opening_card() if n_frames >= OPENING_CARD_FRAMES else None
        windows: list[Animation] = []
        if card is not None:
            self.add_fixed_in_frame_mobjects(card)
            self.remove(card)
            windows.append(Window(write_on(card), 0.0, 0.22))
        for m in (floor, parts.get("axes"), parts.get("labels")):
            if m is not None:
                windows.append(Window(fade_in(m), 0.12, 0.3))
        if surface is not None:
            windows.append(Window(rise(surface, self.view), 0.25, 0.5))
        if levels is not None:
            windows.append(Window(project_down(levels, self.view, self.landscape_parts.get("surface") is not None), 0.45, 0.72))
        for m in (*marks, *others):
            windows.append(Window(fade_in(m), 0.68, 0.8))
        for b in balls:
            windows.append(Window(fade_in(b), 0.76, 0.86))
        first = n_frames if card is None else max(1, round(0.84 * n_frames))
        if card is None:
            windows.extend(Window(write_on(t), 0.84, 1.0) for t in text)
        self.play(*windows, run_time=captions.run_time(first, fps), rate_func=linear)
        if levels is not None:  # (their projected copies are down: the floor's own lines take over)
            floor.add(levels)
        if card is not None:
            rest = n_frames - first
            if rest > 0:
                self.play(*(write_on(t) for t in text), fade_in(card, out=True), run_time=captions.run_time(rest, fps),
                          rate_func=linear)
            else:
                self.remove(card)
                self.add(*text)
        if gl and surface is not None:
            surface.gd_static = True

    # -- progress ------------------------------------------------------------------------
    def render(self, preview: bool = False) -> Any:
        """manim's render with one progress bar of ours (the scene, the phase, frames and
        time left) instead of manim's bar per animation."""
        mode = config.progress_bar
        self.progress_mode = mode
        config.progress_bar = "none"
        try:
            return super().render(preview)
        finally:
            config.progress_bar = mode
            if self.progress is not None:
                self.progress.stop()
                self.progress = None

    def start_progress(self, total_frames: int, n_steps: int) -> None:
        mode = getattr(self, "progress_mode", "none")
        if mode == "none" or self.progress is not None or getattr(self.renderer, "skip_animations", False):
            return
        self.progress = RenderProgress(type(self).__name__, total_frames, leave=mode == "leave")
        self.add_updater(lambda dt: self.progress.advance() if self.progress is not None else None)

    def set_phase(self, phase: str) -> None:
        if self.progress is not None:
            self.progress.phase(phase)

    def play(self, *args: Any, **kwargs: Any) -> None:
        super().play(*args, **kwargs)
        if self.progress is not None:
            self.progress.sync(float(self.renderer.time))

    def wait(self, *args: Any, **kwargs: Any) -> None:
        super().wait(*args, **kwargs)
        if self.progress is not None:
            self.progress.sync(float(self.renderer.time))

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

        view = getattr(self, "view", None)
        floor = -float(view.floor_gap) if view is not None else None
        outline = floor_outline(view.width, view.depth, floor) if view is not None else None  # (follow keeps it in frame)
        return CameraMove(self.camera_preset, orbit, seconds, seconds + self.clip_hold, track, floor,
                          self.layout.landscape_rect(), outline)

    def framing_orbit(self, balls: Sequence[Any], seconds: float, roll_seconds: float | None = None) -> Orbit:
        """The lesson's orbit, turned (if it keeps the balls in sight) so that ``seconds``
        into the clip the surface hides as little of the balls' paths as it can, their steps
        are seen as little foreshortened, turning as little as it can, and the resting balls are fully in sight
        through the final hold (the roll lasting ``roll_seconds``)."""
        orbit = self.framing = self.lesson_orbit
        if not orbit.keep_in_sight or not balls:
            return orbit
        phi, preferred = orbit.angles(seconds)
        centres = np.vstack([b.centres[:: max(len(b.centres) // 60, 1)] for b in balls] + [b.centres[-1:] for b in balls])
        rests = np.vstack([b.centres[-1:] for b in balls if not getattr(b, "exits", False)] or [np.zeros((0, 3))])
        end_views = [(phi, 0.0)]
        if roll_seconds is not None:
            hold = self.clip_hold
            move = CameraMove(self.camera_preset, orbit, roll_seconds, roll_seconds + hold)
            shots = [move.shot(t) for t in (roll_seconds, roll_seconds + hold, roll_seconds + hold + self.intro_seconds)]
            end_views = [(s.angles()[0], s.angles()[1] - preferred) for s in shots]
        radius = float(getattr(balls[0], "radius", 0.0))
        eye_at = None
        if not faces_camera():  # a depth-tested perspective camera: rays go to its eye
            roll = roll_seconds or 0.0
            end = CameraMove(self.camera_preset, orbit, roll, roll + self.clip_hold).shot(roll)
            pivot = rests[0] if self.camera_preset == "follow" and len(rests) else None
            zoom = end.zoom * (FOLLOW_ZOOM if self.camera_preset == "follow" else 1.0)

            def eye_at(p: float, t: float) -> np.ndarray:
                return eye(p, t, zoom, end.screen_offset, float(config.frame_height), pivot)

        # Each path's iterates (where its hops land): a view that sees its steps end-on is avoided too.
        paths = [b.centres[:: max(int(getattr(b, "per_step", 1)), 1)] for b in balls]
        theta = clear_azimuth(self.view, centres, phi, preferred, rests=rests, radius=radius, end_views=end_views,
                              eye_at=eye_at, paths=paths)
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


def outcome(trajectory: Trajectory, index: int = 0, exit_step: int | None = None, quantity: str = "loss",
            brief: bool = False) -> str:
    """One line saying how run ``index`` ended (``exit_step``: where it left the plot), in words (no
    symbol set as plain text): a run that used all its steps gives its ``quantity`` (``"cost"`` for a model's J),
    and how many steps it took unless ``brief`` (a narrow column, beside a loss curve that shows them)."""
    status, step = str(trajectory.status[index]), int(trajectory.stop_step[index])
    if exit_step is not None:
        return f"diverged, left the plot at step {exit_step}"
    if status == "converged":
        return f"converged at step {step}"
    if status == "diverged":
        return f"diverged at step {step}"
    value = f"{quantity} {number(float(trajectory.losses[step, index]))}"
    return value if brief else f"{value} after {step} steps"


#: How much taller the learning-rate panel's card is than its ``height`` (its title and padding), and
#: the room the loss panel leaves for it under itself (its smallest card and the gap).
SCHEDULE_CARD = 0.35
SCHEDULE_ROOM = 1.5 + SCHEDULE_CARD + 0.25
#: The axes' labels are placed for a view of the clip's camera at least this often (seconds: :meth:`LessonScene.axes_views`).
AXES_VIEW_SECONDS = 8.0
#: Seconds the balls take to fade in when there is no opening (``intro = False``).
NO_INTRO_SECONDS = 0.5
#: Seconds over which the last hop's arc of each ball at rest fades at the start of the hold (:meth:`LessonScene.hold`).
ARC_FADE = 0.6
#: An opening this many frames long or longer writes the title card (its last sixth fades it out).
OPENING_CARD_FRAMES = 12


def _fading(line: Any, seconds: float) -> Callable[[Any, float], None]:
    """An updater that fades ``line``'s stroke from its opacity now to nothing over ``seconds`` (smoothly)."""
    start, elapsed = float(line.get_stroke_opacity()), [0.0]

    def update(mobject: Any, dt: float) -> None:
        elapsed[0] += dt
        mobject.set_stroke(opacity=start * (1.0 - smooth(min(elapsed[0] / seconds, 1.0))) if seconds > 0 else 0.0)

    return update


class Window(Animation):
    """``animation`` played between fractions ``start`` and ``end`` of the play it is in
    (begun, so at its first state, from the play's first frame)."""

    def __init__(self, animation: Animation, start: float, end: float) -> None:
        self.animation, self.start, self.end = animation, start, end
        super().__init__(animation.mobject, introducer=animation.is_introducer(), remover=animation.is_remover(),
                         rate_func=linear)

    def _setup_scene(self, scene: Any) -> None:
        self.animation._setup_scene(scene)

    def begin(self) -> None:
        self.animation.begin()

    def finish(self) -> None:
        self.animation.finish()

    def clean_up_from_scene(self, scene: Any) -> None:
        self.animation.clean_up_from_scene(scene)

    def update_mobjects(self, dt: float) -> None:
        self.animation.update_mobjects(dt)

    def interpolate(self, alpha: float) -> None:
        self.animation.interpolate(float(np.clip((alpha - self.start) / max(self.end - self.start, 1e-9), 0.0, 1.0)))


class Morph(UpdateFromAlphaFunc):
    """``UpdateFromAlphaFunc`` without manim's copy of the mobject as it began: the updates here keep
    what they need themselves (opacities, points), and that deep copy of a surface, floor or panel
    was about a fifth of a warm render's time."""

    def create_starting_mobject(self) -> Mobject:
        return Mobject()


def _opacities(mob: Mobject) -> list[tuple[Mobject, float, float]]:
    """Each drawn member of ``mob`` with its fill and stroke opacity (one number each)."""
    out = []
    for m in mob.get_family():
        if not m.has_points():
            continue
        if hasattr(m, "get_stroke_opacity"):
            fill = float(np.max(np.atleast_1d(m.get_fill_opacity())))
            out.append((m, fill, float(np.max(np.atleast_1d(m.get_stroke_opacity())))))
        else:  # a mesh (the ball under OpenGL)
            out.append((m, float(np.max(np.atleast_1d(m.get_opacity()))), -1.0))
    return out


def _set_opacity(member: Mobject, fill: float, stroke: float) -> None:
    if stroke < 0:
        member.set_opacity(fill)
    else:
        member.set_fill(opacity=fill)
        member.set_stroke(opacity=stroke)


def fade_in(mob: Mobject, out: bool = False) -> Animation:
    """``mob`` faded in (or ``out``) by scaling its members' opacities: no copies made
    (manim's ``FadeIn`` copies the mobject twice, the whole floor or panel)."""
    members = _opacities(mob)

    def update(_: Mobject, alpha: float) -> None:
        a = 1.0 - alpha if out else alpha
        for m, fill, stroke in members:
            _set_opacity(m, fill * a, stroke * a if stroke >= 0 else stroke)

    return Morph(mob, update, introducer=not out, remover=out)


def write_on(mob: Mobject) -> Animation:
    """``mob`` written on: each outline drawn from its start while its fill comes in
    (manim's ``Write`` cannot interpolate the panel's re-spelled glyphs under OpenGL)."""
    members = _opacities(mob)
    points = [np.array(m.points) for m, _, _ in members]
    per_curve = [int(getattr(m, "n_points_per_curve", 4) or 4) for m, _, _ in members]

    # What each member was last set to (its points' count, fill and stroke opacity): a member is set again only
    # when that changes or its data did (a glyph keeps its strokes from frame to frame most of the write).
    last: list[tuple[Any, ...] | None] = [None] * len(members)

    def update(_: Mobject, alpha: float) -> None:
        drawn = min(2.0 * alpha, 1.0)
        for index, ((m, fill, stroke), full, n) in enumerate(zip(members, points, per_curve)):
            if alpha >= 1.0:
                keep, shown = len(full), (fill, stroke)
            elif stroke < 0:
                keep, shown = -1, (fill * alpha, stroke)
            else:
                keep = max(int(len(full) // n * drawn) * n, n if drawn > 0 else 0)
                shown = (fill * max(2.0 * alpha - 1.0, 0.0), max(stroke, 0.6) if alpha < 0.5 else stroke)
            state = (keep, shown, _data_of(m))
            if last[index] is not None and _same_state(last[index], state):
                continue
            if keep >= 0:
                m.set_points(full[:keep] if keep else full[:0])
            _set_opacity(m, *shown)
            last[index] = (keep, shown, _data_of(m))

    return Morph(mob, update, introducer=True)


def _data_of(m: Mobject) -> tuple[tuple[str, bytes], ...] | None:
    """A member's data as bytes (what :func:`write_on` set it to, to see whether anything else changed it since);
    ``None`` under Cairo (its mobjects keep no ``data``: set every frame)."""
    data = m.__dict__.get("data")
    if not isinstance(data, dict):
        return None
    return tuple((name, np.ascontiguousarray(value).tobytes()) for name, value in data.items())


def _same_state(before: tuple[Any, ...], now: tuple[Any, ...]) -> bool:
    return before[2] is not None and before[0] == now[0] and before[1] == now[1] and before[2] == now[2]


def rise(surface: Mobject, view: View) -> Animation:
    """The surface rising from the floor plane (heights scaled from 0 up); nothing drawn before."""
    members = [m for m in surface.get_family() if m.has_points()]
    originals = [np.array(m.points) for m in members]
    floor = -view.floor_gap + 0.02

    def update(_: Mobject, alpha: float) -> None:
        a = smooth(alpha)
        for m, points in zip(members, originals):
            if a >= 1:
                m.set_points(points.copy())
                continue
            new = points.copy()
            if a <= 0:  # nothing drawn yet: every point at one spot
                new[:] = (0.0, 0.0, floor)
            else:
                new[:, 2] = floor + a * (points[:, 2] - floor)
            m.set_points(new)

    return Morph(surface, update)


def project_down(levels: Mobject, view: View, on_surface: bool = True) -> Animation:
    """The contour lines drawn on the surface at their heights, then lowered onto the floor."""
    copies = levels.copy()
    set_layer(copies, ON_SURFACE)
    (x0, x1), (y0, y1) = view.domain
    lifts = []
    for line in copies.submobjects:
        X, Y = line.points[0, 0], line.points[0, 1]
        x = x0 + (X + view.width / 2) / view.width * (x1 - x0)
        y = y0 + (Y + view.depth / 2) / view.depth * (y1 - y0)
        lifts.append(float(view.z_of(x, y)) + view.floor_gap + 0.02 if on_surface else 0.0)
    full = copies.copy()

    def update(group: Mobject, alpha: float) -> None:
        draw = min(alpha / 0.55, 1.0)
        lower = smooth(max(alpha - 0.55, 0.0) / 0.45)
        for line, source, lift in zip(group.submobjects, full.submobjects, lifts):
            if draw >= 1.0:
                line.set_points(np.array(source.points))
            else:
                line.pointwise_become_partial(source, 0.0, draw)
            line.shift([0.0, 0.0, (1.0 - lower) * lift])

    return Morph(copies, update, introducer=True, remover=True)


class RenderProgress:
    """One rich progress bar for a render: the scene, the phase, frames done and time left."""

    def __init__(self, scene: str, total_frames: int, leave: bool = False) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.scene, self.fps, self.done = scene, float(config.frame_rate), 0
        self.bar = Progress(TextColumn("[bold]{task.fields[scene]}[/bold] {task.description}"), BarColumn(),
                            MofNCompleteColumn(), TextColumn("frames"), TimeRemainingColumn(),
                            console=Console(stderr=True), transient=not leave)
        self.task = self.bar.add_task("opening", total=total_frames, scene=scene)
        self.bar.start()

    def phase(self, text: str) -> None:
        self.bar.update(self.task, description=text)

    def advance(self) -> None:
        self.done += 1
        self.bar.update(self.task, completed=self.done)

    def sync(self, seconds: float) -> None:
        """After a play: the frames written up to ``seconds`` of the clip."""
        self.done = max(self.done, int(round(seconds * self.fps)))
        self.bar.update(self.task, completed=self.done)

    def stop(self) -> None:
        self.bar.stop()
