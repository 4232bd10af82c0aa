"""Which camera azimuth keeps the ball in sight (geometry only, no manim).

Under a depth-tested renderer the surface hides the ball where a ridge lies
between it and the camera. :func:`hidden` casts a ray from each point towards
the camera (an orthographic approximation of manim's mild perspective) and
reports whether it passes under the drawn surface; :func:`clear_azimuth`
picks the start azimuth that hides the fewest points of a path.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from gdscenes.view import View


def camera_direction(phi: float, theta: float) -> np.ndarray:
    """Unit vector from the scene towards a camera at manim's ``phi, theta`` (radians)."""
    return np.array([np.sin(phi) * np.cos(theta), np.sin(phi) * np.sin(theta), np.cos(phi)])


def hidden(view: View, points: np.ndarray, phi: float, theta: float, samples: int = 80) -> np.ndarray:
    """For display points ``(n, 3)``, whether the surface lies between each and the camera."""
    d = camera_direction(phi, theta)
    reach = np.hypot(view.width, view.depth)  # far enough to leave the landscape
    t = np.linspace(0.02, reach, samples)
    rays = points[:, None, :] + t[None, :, None] * d  # (n, samples, 3)
    (x0, x1), (y0, y1) = view.domain
    inside = (np.abs(rays[..., 0]) <= view.width / 2) & (np.abs(rays[..., 1]) <= view.depth / 2)
    x = x0 + (rays[..., 0] / view.width + 0.5) * (x1 - x0)
    y = y0 + (rays[..., 1] / view.depth + 0.5) * (y1 - y0)
    below = rays[..., 2] < view.z_of(x, y)
    return np.any(inside & below, axis=1)


def clear_azimuth(
    view: View,
    points: np.ndarray,
    phi: float,
    preferred: float,
    candidates: Iterable[float] | None = None,
) -> float:
    """The azimuth (radians) from ``candidates`` hiding the fewest ``points``; the
    last point (where the ball rests) counts as much as all others together.
    Ties go to the candidate closest to ``preferred``."""
    if candidates is None:
        candidates = preferred + np.radians(np.arange(-180, 180, 15))
    weights = np.ones(len(points))
    weights[-1] = max(len(points) - 1, 1)

    def cost(theta: float) -> tuple[float, float]:
        turn = abs((theta - preferred + np.pi) % (2 * np.pi) - np.pi)
        return float(weights @ hidden(view, points, phi, theta)), turn

    return min(candidates, key=cost)
