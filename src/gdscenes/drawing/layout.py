"""Where things go in the frame, read from the frame's shape (``config.frame_width/height``).

Wide frames (16:9) put the text blocks (update panel, legend, loss curve) in
a column on the left and the landscape right of it; tall and square frames
(9:16 Shorts, 1:1) stack the blocks in a band across the top (side by side
when that shrinks them less) and give the landscape the rest, below: a side
column in a square frame leaves the landscape a strip under half the frame
wide (a sixth of the frame's area). The landscape's place is the camera's
:attr:`~gdscenes.drawing.camera.Orbit.screen_offset` and its size the zoom:
the largest at which the landscape's box (the domain's square, the floor gap
and the surface's full height, seen from any azimuth at the orbit's
elevation: neither the orbit nor a turn to keep the balls in sight pushes it
out) fits its region.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Mobject, VGroup, config

from gdscenes.drawing.camera import Orbit

#: Margin around the frame's edge, in frame units.
MARGIN = 0.3
#: A frame this much taller than wide gets the stacked (portrait) layout.
PORTRAIT_FROM = 1.2
#: Width of the text column in a wide frame.
COLUMN_WIDTH = 5.0
#: In a tall frame, how much of the frame's height the landscape keeps (at the bottom).
LANDSCAPE_SHARE = 0.52
#: In a square frame (stacked too), the landscape's share of the frame's height.
SQUARE_LANDSCAPE_SHARE = 0.6
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
        return LANDSCAPE_SHARE if self.portrait else SQUARE_LANDSCAPE_SHARE

    @property
    def block_width(self) -> float:
        """Width of a text block (panel, legend, loss curve)."""
        if self.stacked:
            return min(COLUMN_WIDTH, self.width - 2 * MARGIN)
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
            top = -self.height / 2 + self.height * self.landscape_share - MARGIN
            bottom = -self.height / 2 + MARGIN
            return 0.0, (top + bottom) / 2, self.width - 2 * MARGIN, top - bottom
        left = -self.width / 2 + MARGIN + self.block_width + MARGIN
        right = self.width / 2 - MARGIN
        return (left + right) / 2, 0.0, right - left, self.height - 2 * MARGIN

    @property
    def text_box(self) -> tuple[np.ndarray, float]:
        """Top-left corner of the text region and its height."""
        top_left = np.array([-self.width / 2 + MARGIN, self.height / 2 - MARGIN, 0.0])
        if self.stacked:
            return top_left, self.height * (1 - self.landscape_share) - 2 * MARGIN
        return top_left, self.height - 2 * MARGIN

    def orbit(self, orbit: Orbit) -> Orbit:
        """``orbit`` with the landscape placed for this frame.

        16:9 frames keep the orbit's own ``screen_offset`` and zoom (they are
        designed for it); other frames get the largest zoom (at most the
        orbit's, scaled with the frame's height) at which the landscape's box
        (:func:`box_extent`) fits the landscape's region, centred in it.
        """
        if self.designed and not self.stacked:
            return orbit
        cx, cy, width, height = self.landscape_rect()
        across, tall, lift = box_extent(orbit.phi)
        zoom = min(orbit.zoom * self.height / DESIGN_FRAME[1], FILL * width / across, FILL * height / tall)
        return replace(orbit, screen_offset=(cx, cy - lift * zoom), zoom=float(zoom))

    def stack(self, blocks: list[Mobject], buff: float = 0.25) -> VGroup:
        """Arrange ``blocks`` in the text region, shrunk together if they do not fit:
        top to bottom, or in a stacked layout's band side by side where that
        shrinks them less (a legend beside its loss curve)."""
        corner, room = self.text_box
        width = self.width - 2 * MARGIN if self.stacked else self.block_width

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
