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


#: What turning the camera away from the designed azimuth costs, as a share of
#: the path hidden: a half turn is worth hiding this share of the path, so a
#: turn is taken only for a clear gain, never for a point or two.
TURN_COST = 0.25
#: Silhouette points of a resting ball tested, and how far out (share of its radius).
RIM_POINTS = 8
RIM_SHARE = 0.85


def rim(centre: np.ndarray, radius: float, phi: float, theta: float) -> np.ndarray:
    """``centre`` and points of a ball's silhouette as seen from ``phi, theta``, shape ``(1 + RIM_POINTS, 3)``."""
    d = camera_direction(phi, theta)
    a = np.cross(d, [0.0, 0.0, 1.0]) if abs(d[2]) < 0.999 else np.array([1.0, 0.0, 0.0])
    a /= np.linalg.norm(a)
    b = np.cross(d, a)
    turns = np.linspace(0, 2 * np.pi, RIM_POINTS, endpoint=False)
    ring = np.cos(turns)[:, None] * a + np.sin(turns)[:, None] * b
    return np.vstack([centre, centre + RIM_SHARE * radius * ring])


def fully_visible(view: View, centre: np.ndarray, radius: float, phi: float, theta: float) -> bool:
    """Whether no part of a ball at ``centre`` (its centre and silhouette) is behind the surface."""
    return not hidden(view, rim(np.asarray(centre, float), radius, phi, theta), phi, theta).any()


def clear_azimuth(
    view: View,
    points: np.ndarray,
    phi: float,
    preferred: float,
    candidates: Iterable[float] | None = None,
    *,
    rests: np.ndarray | None = None,
    radius: float = 0.0,
    end_views: Iterable[tuple[float, float]] = (),
    turn_cost: float = TURN_COST,
) -> float:
    """The azimuth (radians) from ``candidates`` that best keeps a path in sight.

    First, the balls at rest (``rests``, default: the last point) must be fully
    visible (:func:`fully_visible`, balls of ``radius``) from every
    ``end_views`` entry ``(phi, turn)``: the camera's elevation and its azimuth
    relative to the chosen one during the final hold (default: ``(phi, 0)``).
    Then the share of ``points`` hidden plus ``turn_cost`` per half turn away
    from ``preferred`` is smallest; ties go to the candidate closest to ``preferred``.
    """
    if candidates is None:
        candidates = preferred + np.radians(np.arange(-180, 180, 15))
    rests = np.asarray(points[-1:] if rests is None else rests, dtype=float).reshape(-1, 3)
    views = list(end_views) or [(phi, 0.0)]

    def cost(theta: float) -> tuple[int, float, float]:
        turn = abs((theta - preferred + np.pi) % (2 * np.pi) - np.pi)
        blocked = sum(not fully_visible(view, c, radius, p, theta + dt) for c in rests for p, dt in views)
        share = float(hidden(view, points, phi, theta).mean()) if len(points) else 0.0
        return blocked, round(share + turn_cost * turn / np.pi, 9), turn

    return min(candidates, key=cost)
