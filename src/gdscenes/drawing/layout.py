"""Where things go in the frame, read from the frame's shape (``config.frame_width/height``).

Wide frames (16:9) put the text blocks (update panel, legend, loss curve) in
a column on the left and the landscape right of it; tall frames (9:16,
Shorts) stack the blocks above the landscape. The landscape's place is the
camera's :attr:`~gdscenes.drawing.camera.Orbit.screen_offset`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from manim import DOWN, LEFT, UP, Mobject, VGroup, config

from gdscenes.drawing.camera import Orbit

#: Margin around the frame's edge, in frame units.
MARGIN = 0.3
#: A frame this much taller than wide gets the stacked (portrait) layout.
PORTRAIT_FROM = 1.2
#: Width of the text column in a wide frame.
COLUMN_WIDTH = 5.0
#: In a tall frame, how much of the frame's height the landscape keeps (at the bottom).
LANDSCAPE_SHARE = 0.48
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
    def block_width(self) -> float:
        """Width of a text block (panel, legend, loss curve)."""
        if self.portrait:
            return self.width - 2 * MARGIN
        return min(COLUMN_WIDTH, self.width / 2 - MARGIN, NARROW_COLUMN_SHARE * self.width)

    @property
    def designed(self) -> bool:
        """Whether this is the frame shape the orbits are designed for (16:9)."""
        return abs(self.width / self.height - DESIGN_FRAME[0] / DESIGN_FRAME[1]) < 0.01

    def landscape_region(self) -> tuple[float, float, float]:
        """Centre x, width and height of the part of a wide frame right of the text column."""
        left = -self.width / 2 + MARGIN + self.block_width + MARGIN
        right = self.width / 2 - MARGIN
        return (left + right) / 2, right - left, self.height - 2 * MARGIN

    @property
    def text_box(self) -> tuple[np.ndarray, float]:
        """Top-left corner of the text region and its height."""
        top_left = np.array([-self.width / 2 + MARGIN, self.height / 2 - MARGIN, 0.0])
        if self.portrait:
            return top_left, self.height * (1 - LANDSCAPE_SHARE) - 2 * MARGIN
        return top_left, self.height - 2 * MARGIN

    def orbit(self, orbit: Orbit) -> Orbit:
        """``orbit`` with the landscape placed for this frame.

        16:9 frames keep the orbit's own ``screen_offset`` and zoom (they are
        designed for it); other wide frames (1:1) scale the picture down to fit
        the region right of the text column, centred in it; tall frames centre
        the landscape in the bottom share of the frame.
        """
        if not self.portrait:
            if self.designed:
                return orbit
            centre, width, height = self.landscape_region()
            # The landscape's drawn size per unit of zoom (a 6-unit View with its axis labels):
            # about 1.55 x 6 wide (its diagonal, once turned, plus perspective), and 1.15 x 6 tall from above,
            # more when seen from the side.
            across = LANDSCAPE_SIZE * 1.55
            tall = LANDSCAPE_SIZE * (1.15 + 0.35 * float(np.sin(np.radians(orbit.phi))))
            zoom = min(orbit.zoom, width / across, height / tall)
            return replace(orbit, screen_offset=(centre, orbit.screen_offset[1] * zoom / orbit.zoom), zoom=zoom)
        centre_y = -self.height / 2 + self.height * LANDSCAPE_SHARE / 2
        zoom = min(orbit.zoom, 0.74 * self.width / 8.0)
        return replace(orbit, screen_offset=(0.0, centre_y), zoom=zoom)

    def stack(self, blocks: list[Mobject], buff: float = 0.25) -> VGroup:
        """Arrange ``blocks`` top to bottom in the text region, shrunk together if they do not fit."""
        group = VGroup(*blocks).arrange(DOWN, aligned_edge=LEFT, buff=buff)
        corner, room = self.text_box
        if group.height > room:
            group.scale(room / group.height)
        if group.width > self.block_width:
            group.scale(self.block_width / group.width)
        group.move_to(corner, aligned_edge=UP + LEFT)
        return group
