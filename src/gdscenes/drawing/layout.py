"""Where things go in the frame, read from the frame's shape (``config.frame_width/height``).

Wide frames (16:9) put the text blocks (update panel, legend, loss curve) in
a column on the left and the landscape right of it; tall and square frames
(9:16 Shorts, 1:1) stack the blocks in a band across the top (side by side
when that shrinks them less; a legend sets its rows in columns there, see
:class:`~gdscenes.drawing.legend.Legend`) and give the landscape the rest, below: a side
column in a square frame leaves the landscape a strip under half the frame
wide (a sixth of the frame's area). The landscape's place is the camera's
:attr:`~gdscenes.drawing.camera.Orbit.screen_offset` and its size the zoom:
the largest at which the landscape's box (the domain's square, the floor gap
and the surface's full height, seen from any azimuth at the orbit's
elevation: neither the orbit nor a turn to keep the balls in sight pushes it
out) fits its region.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Mobject, VGroup, config

from gdscenes.display.view import View
from gdscenes.drawing.camera import LABEL_REACH, Orbit, floor_outline, project

#: Margin around the frame's edge, in frame units.
MARGIN = 0.3
#: A frame this much taller than wide gets the stacked (portrait) layout.
PORTRAIT_FROM = 1.2
#: Width of the text column in a wide frame.
COLUMN_WIDTH = 5.0
#: In a tall frame, how much of the frame's height the landscape keeps at least (at the bottom).
LANDSCAPE_SHARE = 0.52
#: In a square frame (stacked too), the landscape's least share of the frame's height: a band this short leaves
#: the landscape's drawn extent (:func:`landscape_extent`, the key's column beside it) a third of the frame.
SQUARE_LANDSCAPE_SHARE = 0.5625
#: Space between the text band and the landscape's region (frame units).
BAND_GAP = 0.15
#: Share of its region the landscape's drawn extent (:func:`landscape_extent`) may fill.
EXTENT_FILL = 0.99
#: Height at the bottom right kept for the lesson's "x N" speed marker (frame units, shorter side 8).
SPEED_MARKER_ROOM = 1.0
#: In a square frame, the width kept right of the landscape for the upright colour bar and its height note
#: (frame units, shorter side 8); in a tall one, the height kept under the text band for the lying bar and its note.
KEY_COLUMN = 1.5
KEY_BAND = 1.3
#: Frames at most this much wider than tall (1:1, 5:4) stack the text like tall ones.
STACK_UP_TO = 1.3
#: Share of its region the landscape's box may fill (the perspective enlarges its near side).
FILL = 0.9
#: In a wide frame narrower than 16:9 (1:1, 4:3), the text column's share of the frame's width.
NARROW_COLUMN_SHARE = 0.42
#: The frame the orbits are designed for (16:9, 8 units high).
DESIGN_FRAME = (8.0 * 16.0 / 9.0, 8.0)
#: Side of the landscape's square in display units (:class:`~gdscenes.display.view.View`'s default width and depth).
LANDSCAPE_SIZE = 6.0


@dataclass(frozen=True)
class Layout:
    """The text region and the landscape's place for a frame of ``width`` x ``height`` units."""

    width: float
    height: float
    #: In a stacked layout, the height of the text band actually placed (:meth:`with_band`); ``None``: not placed yet
    #: (the band's largest room is assumed).
    band: float | None = None
    #: In a square frame, the landscape's least share of the frame's height: a lesson whose text needs a taller band
    #: and whose landscape keeps a third of the frame in less may lower it (:data:`SQUARE_LANDSCAPE_SHARE`).
    square_share: float = SQUARE_LANDSCAPE_SHARE
    #: In a square frame, the height (frame units) kept at the bottom right for a key that has no room in the band
    #: (:meth:`with_corner`): an upright colour bar stands above it, shortened where it must (:meth:`bar_room`).
    corner: float = 0.0

    @classmethod
    def current(cls) -> Layout:
        """The layout of manim's configured frame."""
        return cls(float(config.frame_width), float(config.frame_height))

    @property
    def portrait(self) -> bool:
        return self.height > PORTRAIT_FROM * self.width

    @property
    def stacked(self) -> bool:
        """Whether the text goes in a band across the top (tall and square frames)."""
        return self.portrait or self.width <= STACK_UP_TO * self.height

    @property
    def landscape_share(self) -> float:
        """In a stacked layout, the share of the frame's height the landscape keeps (at the bottom)."""
        return LANDSCAPE_SHARE if self.portrait else self.square_share

    @property
    def square(self) -> bool:
        """A stacked frame that is not tall (1:1, 5:4): the landscape is as tall as it is wide, so its
        upright colour bar goes beside it (:attr:`key_upright`)."""
        return self.stacked and not self.portrait

    @property
    def key_upright(self) -> bool:
        """Whether the colour bar stands upright right of the landscape (square frames), not across the top."""
        return self.square

    def with_band(self, height: float) -> Layout:
        """This layout once the text band is placed, ``height`` tall: the landscape takes the rest."""
        return replace(self, band=float(height))

    def with_corner(self, height: float) -> Layout:
        """This layout with ``height`` kept at the frame's bottom right (under an upright colour bar) for a key."""
        return replace(self, corner=float(height))

    def _lowest_key(self) -> float:
        """How low an upright colour bar may reach: clear of the "x N" marker's corner, and of a key kept there."""
        unit = self.unit
        lowest = -self.height / 2 + SPEED_MARKER_ROOM * unit
        if self.corner:
            lowest = max(lowest, -self.height / 2 + MARGIN * unit + self.corner + BAND_GAP)
        return lowest

    def bar_room(self) -> float | None:
        """The height an upright colour bar has (square frames): from the landscape's top to :meth:`_lowest_key`;
        ``None`` in other frames (the bar lies across)."""
        if not self.key_upright:
            return None
        _, cy, _, h = self.landscape_rect()
        return cy + h / 2 - self._lowest_key()

    @property
    def block_width(self) -> float:
        """Width of a text block (panel, legend, loss curve): the frame's width in a stacked layout
        (a wide panel puts its rows beside its title: the band is half as tall)."""
        if self.stacked:
            return self.width - 2 * MARGIN
        return min(COLUMN_WIDTH, self.width / 2 - MARGIN, NARROW_COLUMN_SHARE * self.width)

    @property
    def designed(self) -> bool:
        """Whether this is the frame shape the orbits are designed for (16:9)."""
        return abs(self.width / self.height - DESIGN_FRAME[0] / DESIGN_FRAME[1]) < 0.01

    def landscape_region(self) -> tuple[float, float, float]:
        """Centre x, width and height of the landscape's part of the frame (see :meth:`landscape_rect`)."""
        cx, _, width, height = self.landscape_rect()
        return cx, width, height

    def landscape_rect(self) -> tuple[float, float, float, float]:
        """Centre x, centre y, width and height of the landscape's part of the frame: right of
        the text column (wide frames) or below the text band (stacked ones)."""
        if self.stacked:
            if self.band is None:
                top = -self.height / 2 + self.height * self.landscape_share - MARGIN
            else:
                top = self.height / 2 - MARGIN - self.band - BAND_GAP
            if self.portrait:
                top -= KEY_BAND * self.unit
            bottom = -self.height / 2 + MARGIN
            right = self.width / 2 - MARGIN - (KEY_COLUMN * self.unit if self.key_upright else 0.0)
            left = -self.width / 2 + MARGIN
            return (left + right) / 2, (top + bottom) / 2, right - left, top - bottom
        left = -self.width / 2 + MARGIN + self.block_width + MARGIN
        right = self.width / 2 - MARGIN
        return (left + right) / 2, 0.0, right - left, self.height - 2 * MARGIN

    @property
    def unit(self) -> float:
        """The frame's shorter side over 8 (sizes given for an 8-unit frame scale by it)."""
        return min(self.width, self.height) / 8.0

    @property
    def text_box(self) -> tuple[np.ndarray, float]:
        """Top-left corner of the text region and its height."""
        top_left = np.array([-self.width / 2 + MARGIN, self.height / 2 - MARGIN, 0.0])
        if self.stacked:
            return top_left, self.height * (1 - self.landscape_share) - 2 * MARGIN
        return top_left, self.height - 2 * MARGIN

    def orbit(self, orbit: Orbit, view: View | None = None) -> Orbit:
        """``orbit`` with the landscape placed for this frame.

        16:9 frames keep the orbit's own ``screen_offset`` and zoom (they are
        designed for it); other frames get the largest zoom (at most the
        orbit's, scaled with the frame's height) at which the landscape
        fits the landscape's region, centred in it: with ``view``, what is
        drawn of it (:func:`landscape_extent`: its surface, floor, axes and
        their labels, seen from every azimuth at the orbit's elevation, in
        perspective; a map seen from straight above that does not turn, from its own
        azimuth only); without, its box (:func:`box_extent`).
        """
        if self.designed and not self.stacked:
            return orbit
        cx, cy, width, height = self.landscape_rect()
        cap = orbit.zoom * self.height / DESIGN_FRAME[1]
        if view is None:
            across, tall, lift = box_extent(orbit.phi)
            zoom = min(cap, FILL * width / across, FILL * height / tall)
            return replace(orbit, screen_offset=(cx, cy - lift * zoom), zoom=float(zoom))
        # A map seen from straight above that does not turn is fitted as it is seen, not from every azimuth.
        still_map = orbit.phi == 0 and orbit.theta_rate == 0
        left, right, bottom, top = (landscape_extent(view, orbit.phi, thetas=[np.radians(orbit.theta)], reach=MAP_NAME_REACH)
                                    if still_map else landscape_extent(view, orbit.phi))
        zoom = min(cap, EXTENT_FILL * width / (right - left), EXTENT_FILL * height / (top - bottom))
        offset = (cx - zoom * (left + right) / 2, cy - zoom * (bottom + top) / 2)
        return replace(orbit, screen_offset=(float(offset[0]), float(offset[1])), zoom=float(zoom))

    def place_key(self, key: Mobject, orbit: Orbit | None = None) -> Mobject:
        """Put the colour bar where this layout keeps it: top right (wide frames), just under the
        text band at the right (tall ones), upright right of the landscape, level with its middle (square ones)."""
        unit = self.unit
        if not self.stacked:
            return key.to_corner(UP + RIGHT, buff=MARGIN * unit)
        corner, room = self.text_box
        band = room if self.band is None else self.band
        if self.portrait:
            key.to_edge(RIGHT, buff=MARGIN).set_y(corner[1] - band - 0.15 - key.height / 2)
            return key
        _, cy, _, h = self.landscape_rect()
        key.to_edge(RIGHT, buff=MARGIN).set_y(cy)
        lowest = self._lowest_key()  # (the "x N" marker's corner, bottom right, or a key kept there)
        if key.get_bottom()[1] < lowest:  # up, clear of the marker, but never into the text band
            key.shift(min(lowest - key.get_bottom()[1], cy + h / 2 - key.get_top()[1]) * UP)
        return key

    def holds(self, blocks: Sequence[Mobject], buff: float = 0.25) -> bool:
        """Whether ``blocks``, one under another ``buff`` apart, fit the text region's height at their size."""
        _, room = self.text_box
        return sum(b.height for b in blocks) + buff * (len(blocks) - 1) <= room + 1e-9

    def stack(self, blocks: list[Mobject], buff: float = 0.25) -> VGroup:
        """Arrange ``blocks`` in the text region, shrunk together if they do not fit (the last resort: the
        blocks are built to fit at the type scale, a legend in columns, a loss curve left out where it cannot):
        top to bottom, or in a stacked layout's band side by side where that
        shrinks them less (a legend beside its loss curve)."""
        corner, room = self.text_box
        width = self.block_width

        def fit(group: VGroup) -> float:
            return min(1.0, room / max(group.height, 1e-9), width / max(group.width, 1e-9))

        group = VGroup(*blocks).arrange(DOWN, aligned_edge=LEFT, buff=buff)
        if self.stacked and len(blocks) > 1:
            column = fit(group)
            row = VGroup(*blocks).arrange(RIGHT, aligned_edge=UP, buff=buff)
            if fit(row) <= column + 1e-6:
                group = VGroup(*blocks).arrange(DOWN, aligned_edge=LEFT, buff=buff)
            else:
                group = row
        scale = fit(group)
        if scale < 1.0:
            group.scale(scale)
        group.move_to(corner, aligned_edge=UP + LEFT)
        return group


def box_extent(phi: float, size: float = LANDSCAPE_SIZE,
               heights: tuple[float, float] = (-1.2, 3.0)) -> tuple[float, float, float]:
    """The landscape's box on screen per unit of zoom, seen at elevation ``phi`` (degrees
    from the vertical) from its widest azimuth: ``(width, height, lift)``, ``lift`` being
    how far the drawn landscape's middle is above its pivot (the origin) on screen.

    The box: the ``size`` square of a :class:`~gdscenes.display.view.View` (its
    axis labels lie along its edges, inside the diagonal's reach), from the floor
    to the surface's top (``heights``). Any azimuth may turn the floor's
    diagonal across the screen; on screen it is foreshortened by ``cos(phi)``,
    the box's height by ``sin(phi)``.
    """
    p = np.radians(phi)
    diagonal = size * np.sqrt(2)
    low, high = heights
    tall = diagonal * np.cos(p) + (high - low) * np.sin(p)
    # The surface reaches the box's top only at a peak or two: its drawn middle lies
    # about halfway between the box's centre and the floor's.
    middle = (low + (high + low) / 2) / 2
    return float(diagonal), float(tall), float(middle * np.sin(p))


#: How far above the surface's top the height axis' name reaches, and how far out from its corner its
#: tick labels' middles lie (display units).
NAME_ABOVE = 0.55
AXIS_LABEL_REACH = 0.3
#: How far past the floor's edges a map's axes reach with their names (display units: a name stands past
#: its axis' end, :data:`~gdscenes.drawing.landscape.NAME_GAP`).
MAP_NAME_REACH = 1.0


def landscape_extent(view: View, phi: float, azimuths: int = 36, samples: int = 17,
                     thetas: Sequence[float] | None = None, reach: float = LABEL_REACH) -> tuple[float, float, float, float]:
    """Where the drawn landscape of ``view`` lies on screen per unit of zoom, around its pivot
    (the origin): ``(left, right, bottom, top)`` over every azimuth (``azimuths`` of them) at
    elevation ``phi`` (degrees from the vertical), in manim's perspective (or over the azimuths
    ``thetas``, radians).

    What is drawn: the surface (``samples`` x ``samples`` points of it), the floor's square
    with the floor axes' labels around it (``reach``: :data:`LABEL_REACH`, or more to take in the names), and the height axis
    at a side corner up to its name (:data:`NAME_ABOVE` over the surface's top) with its tick labels.
    """
    (x0, x1), (y0, y1) = view.domain
    xs, ys = np.meshgrid(np.linspace(x0, x1, samples), np.linspace(y0, y1, samples))
    surface = view.surface_points(xs.ravel(), ys.ravel())
    corners = floor_outline(view.width, view.depth, -view.floor_gap, reach)
    axis_tops = np.array([[sx * (view.width / 2 + 0.15), sy * (view.depth / 2 + 0.15), view.height + NAME_ABOVE]
                          for sx in (-1, 1) for sy in (-1, 1)])
    # The height axis' tick labels, out from its corner (:data:`AXIS_LABEL_REACH`), floor to top.
    reach = AXIS_LABEL_REACH / np.sqrt(2)
    axis_labels = np.array([[sx * (view.width / 2 + reach), sy * (view.depth / 2 + reach), z]
                            for sx in (-1, 1) for sy in (-1, 1) for z in (-view.floor_gap, view.height)])
    p = np.radians(phi)
    left = bottom = np.inf
    right = top = -np.inf
    every = np.linspace(0.0, 2 * np.pi, azimuths, endpoint=False) if thetas is None else np.asarray(thetas, dtype=float)
    for theta in every:
        toward = np.array([np.sin(p) * np.cos(theta), np.sin(p) * np.sin(theta), np.cos(p)])
        # The height axis stands at a side corner: of the four, the two neither nearest nor farthest.
        order = np.argsort(axis_tops @ toward)[1:3]
        side = np.vstack([axis_tops[order], axis_labels[2 * order], axis_labels[2 * order + 1]])
        xy = project(np.vstack([surface, corners, side]), p, theta)
        left, right = min(left, float(xy[:, 0].min())), max(right, float(xy[:, 0].max()))
        bottom, top = min(bottom, float(xy[:, 1].min())), max(top, float(xy[:, 1].max()))
    return left, right, bottom, top


def boxes_overlap(a: Mobject, b: Mobject, pad: float) -> bool:
    """Whether the boxes of ``a`` and ``b`` (in frame units) come closer than ``pad``."""
    ax0, ay0 = a.get_corner(DOWN + LEFT)[:2]
    ax1, ay1 = a.get_corner(UP + RIGHT)[:2]
    bx0, by0 = b.get_corner(DOWN + LEFT)[:2]
    bx1, by1 = b.get_corner(UP + RIGHT)[:2]
    return not (ax1 + pad < bx0 or bx1 + pad < ax0 or ay1 + pad < by0 or by1 + pad < ay0)
