"""Colour science for the palette's checks: colour-vision deficiency, CIEDE2000, WCAG contrast.

numpy only. The deficiencies are simulated with Machado, Oliveira & Fernandes
(2009), "A physiologically-based model for simulation of color vision
deficiency", severity 1.0, applied to linear sRGB; colour differences are
CIEDE2000 (Sharma, Wu & Dalal 2005) in CIELAB under D65; contrast is WCAG 2's
ratio of relative luminances.
"""

from __future__ import annotations

import numpy as np

#: Machado et al. (2009), severity 1.0, on linear sRGB.
MACHADO = {
    "protanopia": np.array([
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ]),
    "deuteranopia": np.array([
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ]),
    "tritanopia": np.array([
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ]),
}
DEFICIENCIES = tuple(MACHADO)

#: linear sRGB to CIE XYZ (D65).
_RGB_TO_XYZ = np.array([
    [0.4124564, 0.3575761, 0.1804375],
    [0.2126729, 0.7151522, 0.0721750],
    [0.0193339, 0.1191920, 0.9503041],
])
_WHITE = np.array([0.95047, 1.0, 1.08883])


def to_rgb(color: str | np.ndarray) -> np.ndarray:
    """``"#RRGGBB"`` (or floats) as sRGB floats in ``[0, 1]``."""
    if isinstance(color, str):
        return np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)], dtype=float) / 255.0
    return np.asarray(color, dtype=float)


def linear(srgb: np.ndarray) -> np.ndarray:
    """sRGB in ``[0, 1]`` to linear light."""
    c = np.asarray(srgb, dtype=float)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def encode(lin: np.ndarray) -> np.ndarray:
    """Linear light to sRGB in ``[0, 1]`` (clipped)."""
    c = np.clip(np.asarray(lin, dtype=float), 0.0, 1.0)
    return np.asarray(np.where(c <= 0.0031308, 12.92 * c, 1.055 * c ** (1 / 2.4) - 0.055))


def simulate(color: str | np.ndarray, deficiency: str) -> np.ndarray:
    """How ``color`` looks under ``deficiency`` (``"protanopia"``, ``"deuteranopia"``, ``"tritanopia"``), sRGB."""
    return encode(linear(to_rgb(color)) @ MACHADO[deficiency].T)


def luminance(color: str | np.ndarray) -> float:
    """WCAG relative luminance."""
    return float(linear(to_rgb(color)) @ np.array([0.2126, 0.7152, 0.0722]))


def contrast(a: str | np.ndarray, b: str | np.ndarray) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def over(color: str | np.ndarray, behind: str | np.ndarray, opacity: float) -> np.ndarray:
    """``color`` painted at ``opacity`` over ``behind`` (sRGB blending, as the renderers do)."""
    return opacity * to_rgb(color) + (1 - opacity) * to_rgb(behind)


def lab(color: str | np.ndarray) -> np.ndarray:
    """CIELAB (D65) of sRGB colours ``(..., 3)``."""
    xyz = linear(to_rgb(color)) @ _RGB_TO_XYZ.T / _WHITE
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    fx, fy, fz = np.moveaxis(f, -1, 0)
    return np.stack([116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)], axis=-1)


def delta_e2000(lab1: np.ndarray, lab2: np.ndarray) -> np.ndarray:
    """CIEDE2000 colour difference of CIELAB colours ``(..., 3)`` (kL = kC = kH = 1), broadcast."""
    L1, a1, b1 = np.moveaxis(np.asarray(lab1, dtype=float), -1, 0)
    L2, a2, b2 = np.moveaxis(np.asarray(lab2, dtype=float), -1, 0)
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_bar**7 / (c_bar**7 + 25.0**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.where(c1p > 0, np.degrees(np.arctan2(b1, a1p)) % 360, 0.0)
    h2p = np.where(c2p > 0, np.degrees(np.arctan2(b2, a2p)) % 360, 0.0)
    chroma = c1p * c2p > 0
    dh = h2p - h1p
    dh = np.where(dh > 180, dh - 360, np.where(dh < -180, dh + 360, dh))
    dh = np.where(chroma, dh, 0.0)
    dl, dc = L2 - L1, c2p - c1p
    d_h = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    l_bar, cp_bar = (L1 + L2) / 2, (c1p + c2p) / 2
    h_sum = h1p + h2p
    h_bar = np.where(np.abs(h1p - h2p) <= 180, h_sum / 2, np.where(h_sum < 360, (h_sum + 360) / 2, (h_sum - 360) / 2))
    h_bar = np.where(chroma, h_bar, h_sum)
    t = (1 - 0.17 * np.cos(np.radians(h_bar - 30)) + 0.24 * np.cos(np.radians(2 * h_bar))
         + 0.32 * np.cos(np.radians(3 * h_bar + 6)) - 0.20 * np.cos(np.radians(4 * h_bar - 63)))
    d_theta = 30 * np.exp(-(((h_bar - 275) / 25) ** 2))
    r_c = 2 * np.sqrt(cp_bar**7 / (cp_bar**7 + 25.0**7))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / np.sqrt(20 + (l_bar - 50) ** 2)
    s_c = 1 + 0.045 * cp_bar
    s_h = 1 + 0.015 * cp_bar * t
    r_t = -np.sin(np.radians(2 * d_theta)) * r_c
    return np.asarray(np.sqrt((dl / s_l) ** 2 + (dc / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (dc / s_c) * (d_h / s_h)))


def difference(a: str | np.ndarray, b: str | np.ndarray, deficiency: str | None = None) -> float:
    """CIEDE2000 between two sRGB colours as seen with normal vision or under ``deficiency``."""
    if deficiency is not None:
        a, b = simulate(a, deficiency), simulate(b, deficiency)
    return float(delta_e2000(lab(a), lab(b)))


def worst_difference(a: str | np.ndarray, b: str | np.ndarray) -> float:
    """The smallest CIEDE2000 of two colours over normal vision and the three deficiencies."""
    return min(difference(a, b, d) for d in (None, *DEFICIENCIES))


def legible(color: str | np.ndarray, behind: str | np.ndarray, ratio: float) -> np.ndarray:
    """``color`` mixed towards black or white (whichever is away from ``behind``), as little
    as gives at least ``ratio`` contrast against ``behind``; sRGB floats."""
    rgb = to_rgb(color)
    if contrast(rgb, behind) >= ratio:
        return rgb
    target = np.zeros(3) if luminance(behind) > 0.18 else np.ones(3)
    lo, hi = 0.0, 1.0
    for _ in range(30):
        mid = (lo + hi) / 2
        if contrast(encode(linear(rgb) * (1 - mid) + linear(target) * mid), behind) >= ratio:
            hi = mid
        else:
            lo = mid
    return encode(linear(rgb) * (1 - hi) + linear(target) * hi)
