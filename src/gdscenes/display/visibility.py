"""Which camera azimuth keeps the ball in sight (geometry only, no manim).

Under a depth-tested renderer the surface hides the ball where a ridge lies
between it and the camera. :func:`hidden` casts a ray from each point towards
the camera (an orthographic approximation of manim's mild perspective) and
reports whether it passes under the drawn surface; :func:`clear_azimuth`
picks the start azimuth that hides the fewest points of a path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

from gdscenes.display.view import View


def camera_direction(phi: float, theta: float) -> np.ndarray:
    """Unit vector from the scene towards a camera at manim's ``phi, theta`` (radians)."""
    return np.array([np.sin(phi) * np.cos(theta), np.sin(phi) * np.sin(theta), np.cos(phi)])


def screen_axes(phi: float, theta: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit vectors of a camera at manim's ``phi, theta`` (radians): towards it (:func:`camera_direction`),
    across the screen to the right (horizontal) and up the screen."""
    toward = camera_direction(phi, theta)
    across = np.array([-np.sin(theta), np.cos(theta), 0.0])
    return toward, across, np.cross(toward, across)


def eye(phi: float, theta: float, zoom: float, offset: tuple[float, float], frame_height: float,
        pivot: np.ndarray | None = None, focal: float = 2.0) -> np.ndarray:
    """Where manim's OpenGL camera's eye is when it looks at ``pivot`` from ``phi, theta``
    and shows it at ``offset`` in the frame (its focal distance is ``focal`` frame heights).

    A camera moved sideways to put the landscape right of the panel sees the
    scene from a point well off the orthographic direction (about 10 degrees in 16:9).
    """
    d, right, up = screen_axes(phi, theta)
    centre = np.zeros(3) if pivot is None else np.asarray(pivot, float)
    return centre + focal * frame_height / zoom * d - offset[0] / zoom * right - offset[1] / zoom * up


#: Points sampled along a ray from a point of a path, and from a resting ball's centre or rim (:func:`fully_visible`).
RAY_SAMPLES, RIM_RAY_SAMPLES = 80, 240


def hidden(view: View, points: np.ndarray, phi: float, theta: float, samples: int = RAY_SAMPLES,
           eye: np.ndarray | None = None, clearance: float = 0.0) -> np.ndarray:
    """For display points ``(n, 3)``, whether the surface lies between each and the camera
    (looking from the direction ``phi, theta``, or from the point ``eye`` if given)."""
    points = np.asarray(points, dtype=float)
    return _hidden_along(view, points, _directions(points, phi, theta, eye), samples, clearance)


def _directions(points: np.ndarray, phi: float, theta: float, eye: np.ndarray | None) -> np.ndarray:
    """Unit vectors from ``points`` towards the camera (see :func:`hidden`)."""
    if eye is None:
        return np.broadcast_to(camera_direction(phi, theta), points.shape)
    d = np.asarray(eye, float) - points
    return np.asarray(d / np.linalg.norm(d, axis=-1, keepdims=True))


def _hidden_along(view: View, points: np.ndarray, d: np.ndarray, samples: int, clearance: float) -> np.ndarray:
    """:func:`hidden` of ``points`` with rays along the unit vectors ``d`` (one a point)."""
    reach = np.hypot(view.width, view.depth)  # far enough to leave the landscape
    t = np.linspace(0.02 + 4 * clearance, reach, samples)  # (a ray leaves the ball before it must clear the surface)
    rays = points[:, None, :] + t[None, :, None] * d[:, None, :]  # (n, samples, 3)
    (x0, x1), (y0, y1) = view.domain
    inside = (np.abs(rays[..., 0]) <= view.width / 2) & (np.abs(rays[..., 1]) <= view.depth / 2)
    over = rays[inside]  # (the surface is looked up only where a ray is over the landscape)
    x = x0 + (over[:, 0] / view.width + 0.5) * (x1 - x0)
    y = y0 + (over[:, 1] / view.depth + 0.5) * (y1 - y0)
    below = np.zeros(inside.shape, bool)
    below[inside] = over[:, 2] < view.z_of(x, y) + clearance
    return np.asarray(np.any(below, axis=1))


#: What turning the camera away from the designed azimuth costs, as a share of
#: the path hidden: a half turn is worth hiding this share of the path, so a
#: turn is taken only for a clear gain, never for a point or two.
TURN_COST = 0.25
#: What seeing the paths' steps foreshortened costs, as a share of the path hidden: a view that shows the
#: steps at half their length on average is worth hiding a quarter of the path (a path seen end-on, its
#: iterates piled behind the ball, teaches nothing).
FORESHORTEN_COST = 0.5
#: Silhouette points of a resting ball tested, and how far out (share of its radius).
RIM_POINTS = 8
RIM_SHARE = 1.0
#: A ray from a resting ball must pass this far above the surface (display units) to count as clear.
CLEARANCE = 0.05


def rim(centre: np.ndarray, radius: float, phi: float, theta: float) -> np.ndarray:
    """``centre`` and points of a ball's silhouette as seen from ``phi, theta``, shape ``(1 + RIM_POINTS, 3)``."""
    d = camera_direction(phi, theta)
    a = np.cross(d, [0.0, 0.0, 1.0]) if abs(d[2]) < 0.999 else np.array([1.0, 0.0, 0.0])
    a /= np.linalg.norm(a)
    b = np.cross(d, a)
    turns = np.linspace(0, 2 * np.pi, RIM_POINTS, endpoint=False)
    ring = np.cos(turns)[:, None] * a + np.sin(turns)[:, None] * b
    return np.vstack([centre, centre + RIM_SHARE * radius * ring])


def fully_visible(view: View, centre: np.ndarray, radius: float, phi: float, theta: float,
                  eye: np.ndarray | None = None) -> bool:
    """Whether no part of a ball at ``centre`` (its centre and silhouette) is behind the surface."""
    points = rim(np.asarray(centre, float), radius, phi, theta)
    return not hidden(view, points, phi, theta, samples=RIM_RAY_SAMPLES, eye=eye, clearance=CLEARANCE).any()


def seen_length(paths: Sequence[np.ndarray], phi: float, theta: float) -> float:
    """How much of their length the steps of ``paths`` (each ``(n, 3)`` display points, one per iterate)
    keep on screen seen from ``phi, theta`` (orthographic): the mean over the steps of a step's length on
    screen over its length in space (1: every step seen side on; a path seen end-on, near 0)."""
    _, right, up = screen_axes(phi, theta)
    steps = [np.diff(np.asarray(p, dtype=float).reshape(-1, 3), axis=0) for p in paths]
    every = np.vstack(steps) if steps else np.zeros((0, 3))
    length = np.linalg.norm(every, axis=1)
    every = every[length > 1e-9]
    if not len(every):
        return 1.0
    on_screen = np.hypot(every @ right, every @ up)
    return float(np.mean(on_screen / length[length > 1e-9]))


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
    eye_at: Callable[[float, float], np.ndarray | None] | None = None,
    paths: Sequence[np.ndarray] = (),
    foreshorten_cost: float = FORESHORTEN_COST,
) -> float:
    """The azimuth (radians) from ``candidates`` that best keeps a path in sight.

    First, the balls at rest (``rests``, default: the last point) must be fully
    visible (:func:`fully_visible`, balls of ``radius``) from every
    ``end_views`` entry ``(phi, turn)``: the camera's elevation and its azimuth
    relative to the chosen one during the final hold (default: ``(phi, 0)``).
    Then the share of ``points`` hidden, plus ``turn_cost`` per half turn away
    from ``preferred``, plus ``foreshorten_cost`` times what the steps of ``paths`` (display
    points of each path's iterates) lose to foreshortening (:func:`seen_length`), is smallest;
    ties go to the candidate closest to ``preferred``.
    """
    if candidates is None:
        candidates = preferred + np.radians(np.arange(-180, 180, 15))
    rests = np.asarray(points[-1:] if rests is None else rests, dtype=float).reshape(-1, 3)
    views = list(end_views) or [(phi, 0.0)]

    candidates = list(candidates)
    points = np.asarray(points, dtype=float)
    # Every ray of every candidate cast at once (the same rays as fully_visible and hidden cast, one call each).
    rims = [(rim(c, radius, p, theta + dt), p, theta + dt) for theta in candidates for c in rests for p, dt in views]
    starts = [points] * len(candidates) if len(points) else []
    starts_d = [_directions(points, phi, theta, None) for theta in candidates] if len(points) else []
    rim_d = [_directions(r, p, t, eye_at(p, t) if eye_at else None) for r, p, t in rims]
    rim_hidden = _hidden_many(view, [r for r, _, _ in rims], rim_d, RIM_RAY_SAMPLES, CLEARANCE)
    path_hidden = _hidden_many(view, starts, starts_d, RAY_SAMPLES, 0.0)
    per = len(rests) * len(views)

    def cost(index: int) -> tuple[int, float, float]:
        theta = candidates[index]
        turn = abs((theta - preferred + np.pi) % (2 * np.pi) - np.pi)
        blocked = sum(bool(h.any()) for h in rim_hidden[index * per:(index + 1) * per])
        share = float(path_hidden[index].mean()) if len(points) else 0.0
        lost = 1.0 - seen_length(paths, phi, theta) if len(paths) else 0.0
        return blocked, round(share + turn_cost * turn / np.pi + foreshorten_cost * lost, 9), turn

    return candidates[min(range(len(candidates)), key=cost)]


def _hidden_many(view: View, groups: Sequence[np.ndarray], directions: Sequence[np.ndarray], samples: int,
                 clearance: float) -> list[np.ndarray]:
    """:func:`_hidden_along` of each group of points (with its directions), in one call; one array a group."""
    if not groups:
        return []
    every = _hidden_along(view, np.vstack(groups), np.vstack([np.broadcast_to(d, g.shape) for g, d in zip(groups, directions)]),
                          samples, clearance)
    return np.split(every, np.cumsum([len(g) for g in groups])[:-1])
