"""The one palette of gdscenes: colour-blind-safe colours, light and dark themes.

Plain hex strings (no manim import) so the CLI, tests and scenes share them.
The surface colormap is viridis (perceptually uniform, readable in grey and
by the common colour-vision deficiencies).

Each theme has its own series colours (one per ball, path or run of a
lesson): any two differ by a CIEDE2000 of at least :data:`MIN_SERIES_DIFFERENCE`
with normal vision and under simulated deuteranopia, protanopia and tritanopia
(Machado et al. 2009, severity 1; :mod:`gdscenes.display.vision`), and each has
at least 3:1 contrast against the theme's background and cards. Lines drawn on
the contour floor take the surface's colour made :func:`legible` there (3:1);
text has at least 4.5:1. ``tests/test_palette.py`` computes all of it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gdscenes.display import vision

#: viridis sampled at 9 even stops (matplotlib's table), low to high.
VIRIDIS = (
    "#440154", "#472D7B", "#3B528B", "#2C728E", "#21918C",
    "#28AE80", "#5EC962", "#ADDC30", "#FDE725",
)

#: Least CIEDE2000 between two series colours, under every simulated colour-vision deficiency.
MIN_SERIES_DIFFERENCE = 20.0
#: Least WCAG contrast of lines and marks, and of text, against what lies behind them.
MARK_CONTRAST = 3.0
TEXT_CONTRAST = 4.5
#: Opacity of the contour floor's plate (the theme's panel colour over the background) and of the cards.
FLOOR_OPACITY = 0.6
CARD_OPACITY = 0.88

#: Series colours of the dark theme: orange, pink, mint, violet, teal (found by a search over
#: sRGB maximising the least CIEDE2000 under the three deficiencies; about 22.8).
DARK_SERIES = ("#FF5A1F", "#F0B4FF", "#00F0B4", "#874BD2", "#1E9687")
#: Series colours of the light theme: rust, blue, green, lavender, plum (about 21.5).
LIGHT_SERIES = ("#C33C00", "#0000E1", "#009678", "#A569FF", "#69004B")
#: The light theme's single ball (and its trail): a red-orange with 3:1 against the background, the cards
#: and the floor, and against the surface around a minimum (:data:`LOW_SURFACE`), where the ball comes to rest
#: (the rust of the series, 1.9:1 there, was faint on viridis' dark purple); apart from the series colours an
#: internals lesson draws beside it (blue, lavender) by a CIEDE2000 of 20 under every deficiency.
LIGHT_BALL = "#FF4812"
#: The surface's colours around a minimum: viridis up to this normalised height.
LOW_SURFACE = 0.15
#: The ring drawn around a ball (and the casing drawn under its iterate dots, and under Cairo its trail) whose colour has under
#: 3:1 against the surface around a minimum (:data:`LOW_SURFACE`, viridis' dark end), where balls come to rest:
#: white keeps 3:1 against every such colour and at least 10:1 against that surface (and 3:1 up to about
#: viridis' middle), so the mark stands out from its ring and the ring from the surface. No set of five series
#: colours keeps 3:1 against that surface and a CIEDE2000 of 20 apart under every deficiency (the best found: 13).
RING = "#FFFFFF"
#: The ring's width, as a share of the ball's radius, and the casing's on each side of a line (stroke width).
RING_SHARE = 0.2
CASING_WIDTH = 2.0
#: The thin dark line drawn outside a ring (and outside the casing under a trail and dots) whose colour
#: needs it (:func:`outline_color`): the white ring has under 3:1 against viridis' light end (from about
#: :data:`BRIGHT_SURFACE` up: 2.9:1 to 1.2:1), where five ringed series colours (the light rust, green and
#: lavender, the dark violet and teal) have under 3:1 by themselves too. Black keeps 21:1 against the ring
#: and at least 3:1 against the surface wherever the ring has under 3:1 (black has under 3:1 only below
#: about 0.28), so on every part of the surface the ring or this line stands out from it.
OUTLINE = "#000000"
#: The surface from which on a white ring has under 3:1 against it (normalised height).
BRIGHT_SURFACE = 0.6
#: The line's width, as a share of the ball's radius, and on each side of the casing (stroke width).
OUTLINE_SHARE = 0.2
OUTLINE_WIDTH = 1.5
#: The dark theme's series (kept under its old name).
ACCENTS = DARK_SERIES


@dataclass(frozen=True)
class Theme:
    """Colours of one theme."""

    name: str
    background: str
    text: str
    muted: str
    panel: str
    axes: str
    ball: str
    ball_highlight: str
    trail: str
    shadow: str
    mesh: str
    #: One colour per run of a lesson (at most ``len(series)`` runs are told apart by colour).
    series: tuple[str, ...] = DARK_SERIES

    @property
    def floor(self) -> np.ndarray:
        """The contour floor's colour (its plate over the background), sRGB floats."""
        return vision.over(self.panel, self.background, FLOOR_OPACITY)

    @property
    def card(self) -> np.ndarray:
        """A card's colour (panel, legend) over the background, sRGB floats."""
        return vision.over(self.panel, self.background, CARD_OPACITY)

    def series_color(self, index: int) -> str:
        """Colour of run ``index`` (cycling past the end of :attr:`series`)."""
        return self.series[index % len(self.series)]

    def line_color(self, height: float | np.ndarray) -> str:
        """The surface's colour at normalised ``height``, made legible (3:1) on the contour floor."""
        return rgb_to_hex(legible(colormap(np.asarray(height)), self.floor, MARK_CONTRAST + 0.1))


DARK = Theme(
    name="dark",
    background="#0E1117",
    text="#F2F2F2",
    muted="#9AA4B2",
    panel="#161B22",
    axes="#8B949E",
    ball="#FF5A1F",
    ball_highlight="#FFE3D6",
    trail="#FF5A1F",
    shadow="#FFB38A",
    mesh="#0E1117",
    series=DARK_SERIES,
)

LIGHT = Theme(
    name="light",
    background="#FAFAF7",
    text="#1B1F24",
    muted="#57606A",
    panel="#FFFFFF",
    axes="#57606A",
    ball=LIGHT_BALL,
    ball_highlight="#FFE3D6",
    trail=LIGHT_BALL,
    shadow="#8F2C00",
    mesh="#FAFAF7",
    series=LIGHT_SERIES,
)

THEMES = {theme.name: theme for theme in (DARK, LIGHT)}


def get_theme(name: str) -> Theme:
    """The theme called ``name`` (``"dark"`` or ``"light"``)."""
    try:
        return THEMES[name]
    except KeyError:
        raise ValueError(f"unknown theme {name!r}; choose one of: {', '.join(THEMES)}") from None


def hex_to_rgb(color: str) -> np.ndarray:
    """``"#RRGGBB"`` to floats in ``[0, 1]``."""
    return np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)], dtype=float) / 255.0


def rgb_to_hex(rgb: np.ndarray) -> str:
    """Floats in ``[0, 1]`` to ``"#RRGGBB"``."""
    r, g, b = (int(round(c * 255)) for c in np.clip(rgb, 0.0, 1.0))
    return f"#{r:02X}{g:02X}{b:02X}"


def colormap(heights: np.ndarray, stops: tuple[str, ...] = VIRIDIS) -> np.ndarray:
    """RGB colours ``(..., 3)`` of normalised heights in ``[0, 1]`` (linear between stops)."""
    table = np.array([hex_to_rgb(c) for c in stops])
    t = np.clip(np.asarray(heights, dtype=float), 0.0, 1.0) * (len(stops) - 1)
    i = np.minimum(t.astype(int), len(stops) - 2)
    f = (t - i)[..., None]
    return np.asarray(table[i] * (1 - f) + table[i + 1] * f)


def halo(color: str) -> str:
    """An outline colour that sets ``color`` off wherever it is drawn: black behind light colours, white behind dark."""
    return "#000000" if vision.luminance(color) > 0.18 else "#FFFFFF"


def rest_contrast(color: str | np.ndarray) -> float:
    """Least contrast of ``color`` against the surface around a minimum (viridis up to :data:`LOW_SURFACE`)."""
    return min(vision.contrast(color, colormap(h)) for h in np.linspace(0.0, LOW_SURFACE, 7))


def is_hex(color: object) -> bool:
    """Whether ``color`` is given as ``#RRGGBB`` (the palette's colours; others are drawn as given, undecorated)."""
    return isinstance(color, str) and len(color) == 7 and color.startswith("#")


def ring_color(color: str) -> str | None:
    """The colour of the ring around a ball of ``color`` and of the casing under its trail and dots:
    :data:`RING` where ``color`` has under 3:1 against the surface around a minimum, or where some part of
    the surface has under 3:1 against both ``color`` and the dark line (:data:`OUTLINE`) alone, else ``None``
    (no ring: the mark stands out by itself, or with the dark line around it). In the light theme every
    series colour gets one (the blue and the plum have about 1:1 where balls rest); in the dark theme the
    violet and the teal (1.9:1 and 2.8:1 there); the single balls' oranges too (about 1:1 on viridis' middle,
    where black has under 3:1 as well: 2.5:1 and 2.6:1 with it). The dark theme's pink and mint need
    only the dark line (:func:`outline_color`)."""
    if not is_hex(color):
        return None  # (a colour given otherwise than as #RRGGBB: drawn as given)
    if rest_contrast(color) < MARK_CONTRAST:
        return RING
    return RING if surround_contrast(color, None, also=OUTLINE) < MARK_CONTRAST else None


def surround_contrast(color: str, ring: str | None, heights: np.ndarray | None = None, also: str | None = None) -> float:
    """Least contrast, over the surface's colours at ``heights`` (default: all of viridis, 65 stops), of the
    best of ``color``, its ``ring`` (``None``: none) and ``also`` (a line around them) against the surface there."""
    heights = np.linspace(0.0, 1.0, 65) if heights is None else np.asarray(heights, dtype=float)
    marks = tuple(m for m in (color, ring, also) if m is not None)
    return min(max(vision.contrast(mark, s) for mark in marks) for s in colormap(heights))


def outline_color(color: str) -> str | None:
    """The colour of the thin line around a ball of ``color`` (outside its ring, if it has one) and outside
    the casings under its trail and dots: :data:`OUTLINE` where some part of the surface has under 3:1
    against both the colour and its ring (viridis' middle and light end: the light theme's rust, green and
    lavender and the single balls' oranges; the dark theme's violet, teal, pink and mint), else ``None``."""
    if not is_hex(color):
        return None
    return OUTLINE if surround_contrast(color, ring_color(color)) < MARK_CONTRAST else None


def outer_share(ring: str | None, outline: str | None) -> float:
    """The outer radius of a ball with ``ring`` and ``outline`` (either ``None``: none) over the ball's own."""
    return 1.0 + (RING_SHARE if ring else 0.0) + (OUTLINE_SHARE if outline else 0.0)


def legible(color: str | np.ndarray, behind: str | np.ndarray, ratio: float = MARK_CONTRAST) -> np.ndarray:
    """``color`` darkened or lightened (towards black or white, away from ``behind``) just enough
    for ``ratio`` contrast against ``behind``; sRGB floats."""
    return vision.legible(color, behind, ratio)
