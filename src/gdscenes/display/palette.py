"""The one palette of gdscenes: colour-blind-safe colours, light and dark themes.

Plain hex strings (no manim import) so the CLI, tests and scenes share them.
The surface colormap is viridis (perceptually uniform, readable in grey and
by the common colour-vision deficiencies); accents come from Okabe & Ito's
colour-blind-safe set and avoid the hues viridis uses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: viridis sampled at 9 even stops (matplotlib's table), low to high.
VIRIDIS = (
    "#440154", "#472D7B", "#3B528B", "#2C728E", "#21918C",
    "#28AE80", "#5EC962", "#ADDC30", "#FDE725",
)

#: Okabe-Ito accents, for balls and paths of several runs.
ACCENTS = ("#FF5A1F", "#56B4E9", "#F0E442", "#CC79A7", "#E69F00", "#0072B2", "#009E73")


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
)

LIGHT = Theme(
    name="light",
    background="#FAFAF7",
    text="#1B1F24",
    muted="#57606A",
    panel="#FFFFFF",
    axes="#57606A",
    ball="#E0400A",
    ball_highlight="#FFE3D6",
    trail="#E0400A",
    shadow="#B8430F",
    mesh="#FAFAF7",
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
