"""Display geometry of a loss landscape: where a point ``(x, y)`` is drawn in 3D.

Pure numpy: the drawing layer (manim) asks this module for coordinates and
never maps loss values to heights itself, so the surface, the ball, the trail
and the floor always agree.

A :class:`HeightMap` turns loss values into normalised heights in ``[0, 1]``
and into colour coordinates (:meth:`HeightMap.shade`, also in ``[0, 1]``). On a
``"linear"`` map both are the loss, rolled off smoothly above a high quantile
so one steep corner does not flatten the rest. A ``"log"`` map is for
landscapes with a huge range whose interesting part is a narrow valley
(Rosenbrock): the height stays linear up to about the landscape's median
loss and is compressed logarithmically above it, so the surface keeps its
true shape (a curved valley with a gently sloping floor, not a crease), while
the colours (and the contour levels, evenly spaced in colour) follow
``log(f - f_min)`` from a tenth of the range up, and show the floor of the
valley too. :meth:`HeightMap.note` states the transform in a short line for
the screen. A :class:`View` places the domain in a box of display units
centred on the origin, with the contour floor a gap below height 0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from gdscenes.core.box import Box, grid

__all__ = ["AUTO_LOG_MEDIAN", "KNEE", "UNCLIPPED_UP_TO", "Box", "HeightMap", "Scale", "View", "grid", "path_samples", "soft_clip",
           "soft_clip_inverse"]

Scale = Literal["linear", "log", "auto"]

#: Below this median normalised height, ``scale="auto"`` picks a log scale:
#: most of the domain would otherwise be drawn flat at the bottom.
AUTO_LOG_MEDIAN = 0.11
#: Heights above this knee are compressed smoothly towards 1 (no flat plateau).
KNEE = 0.8
#: A linear map keeps the loss as the height all the way up (no roll-off, no note) when the highest loss
#: sampled is at most this many times the 98% quantile's span: nothing but a corner or two sticks out
#: (a quadratic bowl: 1.2; Himmelblau: 1.85).
UNCLIPPED_UP_TO = 1.25


@dataclass(frozen=True)
class HeightMap:
    """Loss value to normalised height in ``[0, 1]``.

    Parameters
    ----------
    f_min
        Loss drawn at height 0 (the landscape's minimum).
    f_max
        Loss at the top of the linear range: heights above :data:`KNEE` of
        it are rolled off smoothly towards 1 (:func:`soft_clip`).
    scale
        ``"linear"`` or ``"log"``.
    softness
        For the log scale, the height ``h = log1p((f - f_min) / softness) / log1p((f_max - f_min) / softness)``:
        linear up to about ``softness`` above the minimum, logarithmic beyond.
    shade_softness
        For the log scale, the colour coordinate's softness (the same formula, see
        :meth:`shade`); ``None``: the colour follows the height.
    f_top
        The highest loss sampled (for :meth:`note`: whether any of it was rolled off).
    knee
        Normalised height above which heights are rolled off (:func:`soft_clip`); 1: none are,
        the height is the loss up to ``f_max`` (a landscape without an outlying corner).
    """

    f_min: float
    f_max: float
    scale: Literal["linear", "log"] = "linear"
    softness: float = 1.0
    shade_softness: float | None = None
    f_top: float | None = None
    knee: float = KNEE

    @classmethod
    def fit(
        cls,
        values: np.ndarray,
        f_min: float | None = None,
        scale: Scale = "auto",
        clip_quantile: float = 0.98,
    ) -> HeightMap:
        """Fit a height map to loss values sampled over the domain."""
        finite = np.asarray(values, dtype=float)
        finite = finite[np.isfinite(finite)]
        if finite.size == 0:
            raise ValueError("the loss is not finite anywhere in the domain")
        lo = float(finite.min()) if f_min is None else min(float(f_min), float(finite.min()))
        hi = float(np.quantile(finite, clip_quantile))
        if not hi > lo:
            hi = lo + 1.0
        span = hi - lo
        fine = max(float(np.quantile(finite, 0.1)) - lo, span * 1e-3, 1e-12)
        if scale == "auto":
            median = (float(np.median(finite)) - lo) / span
            scale = "log" if median < AUTO_LOG_MEDIAN else "linear"
        if scale not in ("linear", "log"):
            raise ValueError(f"height scale must be 'linear', 'log' or 'auto', got {scale!r}")
        top = float(finite.max())
        if scale == "linear":
            if top - lo <= UNCLIPPED_UP_TO * span:  # no outlying corner: the height is the loss, up to the top
                return cls(lo, max(top, lo + 1e-12), "linear", fine, None, top, knee=1.0)
            return cls(lo, hi, "linear", fine, None, top)
        # The shape: linear up to the median loss (the valley's cross-section keeps its form),
        # logarithmic above it (the walls do not dwarf it). The colours: logarithmic from the tenth quantile.
        shape = max(SHAPE_QUANTILE_SHARE * (float(np.quantile(finite, SHAPE_QUANTILE)) - lo), fine)
        return cls(lo, hi, "log", shape, fine, top)

    def _normalised(self, f: np.ndarray | float, softness: float | None) -> np.ndarray:
        """Loss values to ``[0, 1]``: linear, or with ``softness`` ``log1p`` (before the roll-off)."""
        f = np.asarray(f, dtype=float)
        d = np.clip(np.nan_to_num(f - self.f_min, nan=np.inf, posinf=np.inf), 0.0, 1e300)
        span = self.f_max - self.f_min
        if self.scale == "log" and softness is not None:
            return np.asarray(np.log1p(d / softness) / np.log1p(span / softness))
        return np.asarray(d / span)

    def _denormalised(self, raw: np.ndarray, softness: float | None) -> np.ndarray:
        span = self.f_max - self.f_min
        if self.scale == "log" and softness is not None:
            return np.asarray(self.f_min + softness * np.expm1(raw * np.log1p(span / softness)))
        return np.asarray(self.f_min + raw * span)

    def shade(self, f: np.ndarray | float) -> np.ndarray:
        """Colour coordinates in ``[0, 1]`` of loss values (the colormap's input): the
        normalised height on a linear map; ``log(f - f_min)``-like on a log map."""
        softness = self.shade_softness if self.shade_softness is not None else self.softness
        return soft_clip(self._normalised(f, softness), self.knee)

    def shade_inverse(self, c: np.ndarray | float) -> np.ndarray:
        """Loss values of colour coordinates ``0 <= c < 1`` (contour levels evenly spaced in colour)."""
        raw = soft_clip_inverse(np.clip(np.asarray(c, dtype=float), 0.0, 1.0 - 1e-12), self.knee)
        softness = self.shade_softness if self.shade_softness is not None else self.softness
        return self._denormalised(raw, softness)

    @property
    def rolled_off_from(self) -> float:
        """The loss above which heights are rolled off towards the top (:data:`KNEE`)."""
        return float(self.inverse(self.knee))

    def note_parts(self) -> tuple[str, float] | None:
        """:meth:`note` before its loss value is written: the line, as LaTeX text with ``{name}`` for the height's
        name and ``{value}`` for the value (``~``: a space a wrapped line breaks at only where the words it joins do not
        fit on one line), and the value, to the three significant digits shown (a screen typesets it:
        :func:`gdscenes.drawing.colour_bar.note_latex`)."""
        if self.scale == "log":
            return "log height for~${name} > {value}$; log colour", float(_short(self.f_min + self.softness))
        if self.knee < 1.0 and self.f_top is not None and self.f_top > self.rolled_off_from:
            return "height flattened above~${name} = {value}$", float(_short(self.rolled_off_from))
        return None

    def note(self) -> str | None:
        """A short line stating how heights (and colours) are drawn, for the screen;
        ``None`` when the height is the loss as it is (linear, nothing rolled off)."""
        parts = self.note_parts()
        if parts is None:
            return None
        return parts[0].replace("$", "").replace("~", " ").format(name="f", value=_short(parts[1]))

    def __call__(self, f: np.ndarray | float) -> np.ndarray:
        """Normalised heights of loss values; non-finite values map to 1."""
        return soft_clip(self._normalised(f, self.softness), self.knee)

    def inverse(self, h: np.ndarray | float) -> np.ndarray:
        """Loss values drawn at normalised heights ``0 <= h < 1``."""
        raw = soft_clip_inverse(np.clip(np.asarray(h, dtype=float), 0.0, 1.0 - 1e-12), self.knee)
        return self._denormalised(raw, self.softness)


#: A log map's height is linear up to this share of this quantile of the sampled loss (above its minimum).
SHAPE_QUANTILE, SHAPE_QUANTILE_SHARE = 0.5, 1.0


def _short(value: float) -> str:
    """A loss value in three significant digits, for a note on screen."""
    return f"{value:.3g}"


def soft_clip(raw: np.ndarray, knee: float = KNEE) -> np.ndarray:
    """Identity below ``knee``, then a tanh roll-off that never exceeds 1 (``knee`` 1: clipped at 1)."""
    raw = np.asarray(raw, dtype=float)
    if knee >= 1.0:
        return np.asarray(np.clip(raw, 0.0, 1.0))
    width = 1.0 - knee
    with np.errstate(over="ignore"):
        rolled = knee + width * np.tanh((raw - knee) / width)
    return np.where(raw <= knee, np.maximum(raw, 0.0), rolled)


def soft_clip_inverse(h: np.ndarray, knee: float = KNEE) -> np.ndarray:
    """Inverse of :func:`soft_clip` on ``[0, 1)``."""
    if knee >= 1.0:
        return np.asarray(h, dtype=float)
    width = 1.0 - knee
    with np.errstate(invalid="ignore", divide="ignore"):
        rolled = knee + width * np.arctanh((h - knee) / width)
    return np.where(h <= knee, h, rolled)


@dataclass(frozen=True)
class View:
    """Where the landscape of ``value(x, y)`` over ``domain`` is drawn.

    The domain maps onto ``[-width/2, width/2] x [-depth/2, depth/2]``, heights
    onto ``[0, height]``; the contour floor lies at ``-floor_gap``.
    """

    value: Callable[[np.ndarray, np.ndarray], np.ndarray]
    domain: Box
    heights: HeightMap
    width: float = 6.0
    depth: float = 6.0
    height: float = 3.0
    floor_gap: float = 1.2

    @classmethod
    def fit(
        cls,
        value: Callable[[np.ndarray, np.ndarray], np.ndarray],
        domain: Box,
        f_min: float | None = None,
        scale: Scale = "auto",
        samples: int = 121,
        **sizes: float,
    ) -> View:
        """A view whose height map is fitted to ``value`` sampled on a grid."""
        xs, ys = grid(domain, samples)
        with np.errstate(all="ignore"):
            values = value(xs, ys)
        return cls(value, domain, HeightMap.fit(values, f_min, scale), **sizes)

    # -- plane coordinates -------------------------------------------------
    def clamp(self, x: np.ndarray | float, y: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
        """``(x, y)`` clamped into the domain (a diverged point stays on the edge)."""
        (x0, x1), (y0, y1) = self.domain
        x = np.nan_to_num(np.asarray(x, dtype=float), nan=x0)
        y = np.nan_to_num(np.asarray(y, dtype=float), nan=y0)
        return np.clip(x, x0, x1), np.clip(y, y0, y1)

    def plane(self, x: np.ndarray | float, y: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
        """Display X and Y of domain points (clamped into the domain)."""
        (x0, x1), (y0, y1) = self.domain
        x, y = self.clamp(x, y)
        return (x - x0) / (x1 - x0) * self.width - self.width / 2, (y - y0) / (y1 - y0) * self.depth - self.depth / 2

    def z_of(self, x: np.ndarray | float, y: np.ndarray | float) -> np.ndarray:
        """Display height of the surface above ``(x, y)``."""
        x, y = self.clamp(x, y)
        with np.errstate(all="ignore"):
            return self.heights(self.value(x, y)) * self.height

    def shade_of(self, x: np.ndarray | float, y: np.ndarray | float) -> np.ndarray:
        """Colour coordinate in ``[0, 1]`` of the surface above ``(x, y)`` (:meth:`HeightMap.shade`)."""
        x, y = self.clamp(x, y)
        with np.errstate(all="ignore"):
            return self.heights.shade(self.value(x, y))

    def note(self) -> str | None:
        """How the heights are drawn, in a line for the screen (:meth:`HeightMap.note`)."""
        return self.heights.note()

    def note_parts(self) -> tuple[str, float] | None:
        """:meth:`note` with its loss value apart (:meth:`HeightMap.note_parts`)."""
        return self.heights.note_parts()

    # -- 3D points ---------------------------------------------------------
    def surface_points(self, x: np.ndarray | float, y: np.ndarray | float, lift: float = 0.0) -> np.ndarray:
        """Points on the surface (``lift`` display units above it), shape ``(..., 3)``."""
        X, Y = self.plane(x, y)
        return np.stack(np.broadcast_arrays(X, Y, self.z_of(x, y) + lift), axis=-1)

    def floor_points(self, x: np.ndarray | float, y: np.ndarray | float, lift: float = 0.0) -> np.ndarray:
        """Points on the contour floor under ``(x, y)``, shape ``(..., 3)``."""
        X, Y = self.plane(x, y)
        return np.stack(np.broadcast_arrays(X, Y, np.full(np.shape(X), lift - self.floor_gap)), axis=-1)

    def normals(self, x: np.ndarray | float, y: np.ndarray | float) -> np.ndarray:
        """Unit normals of the drawn surface at ``(x, y)``, shape ``(..., 3)``.

        Central differences of the drawn height (so clipping and log scaling
        are honoured) over a step of 1/400 of the domain.
        """
        (x0, x1), (y0, y1) = self.domain
        hx, hy = (x1 - x0) / 400, (y1 - y0) / 400
        x, y = self.clamp(x, y)
        dzdx = (self.z_of(x + hx, y) - self.z_of(x - hx, y)) / (2 * hx) * (x1 - x0) / self.width
        dzdy = (self.z_of(x, y + hy) - self.z_of(x, y - hy)) / (2 * hy) * (y1 - y0) / self.depth
        n = np.stack(np.broadcast_arrays(-dzdx, -dzdy, np.ones_like(dzdx)), axis=-1)
        return np.asarray(n / np.linalg.norm(n, axis=-1, keepdims=True))

    def resting_points(self, x: np.ndarray | float, y: np.ndarray | float, radius: float) -> np.ndarray:
        """Centres of a ball of ``radius`` resting on the surface at ``(x, y)``."""
        return self.surface_points(x, y) + radius * self.normals(x, y)


def path_samples(points: np.ndarray, per_step: int) -> np.ndarray:
    """Densify a polyline ``(K, 2)`` with ``per_step`` samples per segment.

    Straight segments in the plane become curves that hug the surface once
    lifted by :meth:`View.surface_points`.
    """
    points = np.asarray(points, dtype=float)
    if len(points) < 2:
        return points.copy()
    t = np.linspace(0.0, 1.0, per_step, endpoint=False)[None, :, None]
    a, b = points[:-1, None, :], points[1:, None, :]
    dense = (a + (b - a) * t).reshape(-1, 2)
    return np.vstack([dense, points[-1:]])
