"""The landscape: floor axes, the loss surface coloured by height, the contour floor.

All positions come from a :class:`gdscenes.display.view.View`; this module only turns
them into manim mobjects.
"""

from __future__ import annotations

import numpy as np
from manim import (
    MathTex,
    Mobject,
    NumberLine,
    Polygon,
    RendererType,
    Surface,
    VGroup,
    config,
)
from manim.mobject.opengl.opengl_surface import OpenGLSurface

from gdscenes.display.contours import contour_lines
from gdscenes.drawing.gl import surface_shader
from gdscenes.drawing.camera import FLOOR, SURFACE, set_layer
from gdscenes.drawing.gl.overlay import LINE_WIDTH_UNIT
from gdscenes.drawing.polyline import Polyline
from gdscenes.drawing.typeset import math_tex
from gdscenes.display.palette import FLOOR_OPACITY, Theme, colormap, hex_to_rgb, rgb_to_hex
from gdscenes.display.view import View


def nice_step(span: float, target: int = 5) -> float:
    """A 1-2-5 tick step giving about ``target`` ticks over ``span``."""
    raw = span / target
    power = 10.0 ** np.floor(np.log10(raw))
    return float(min((m * power for m in (1, 2, 5, 10)), key=lambda s: abs(s - raw)))


def floor_axes(view: View, theme: Theme) -> tuple[VGroup, VGroup]:
    """Number lines along the front and left edges of the contour floor.

    Returns the lines (lying in the floor plane) and their labels: tick
    numbers and the names ``x``, ``y``, which the scene keeps facing the camera.
    """
    (x0, x1), (y0, y1) = view.domain
    lines, labels = VGroup(), VGroup()
    typeset: dict[str, MathTex] = {}  # both axes often share their numbers: each made once
    for axis, (lo, hi), length in (("x", (x0, x1), view.width), ("y", (y0, y1), view.depth)):
        step = nice_step(hi - lo)
        line = NumberLine(
            x_range=(lo, hi, step), length=length, color=theme.axes, stroke_width=2,
            include_tip=False, tick_size=0.06, include_numbers=False,
        )
        ticks = np.arange(np.ceil(lo / step) * step, hi + step / 2, step)
        if axis == "x":
            line.shift(view.floor_points(lo, y0) - line.n2p(lo))
            where = view.floor_points(ticks, np.full_like(ticks, y0)) + np.array([0, -0.3, 0])
            name_at = view.floor_points(hi, y0) + np.array([0.45, 0, 0])
        else:
            line.rotate(np.pi / 2, about_point=line.n2p(lo))
            line.shift(view.floor_points(x0, lo) - line.n2p(lo))
            where = view.floor_points(np.full_like(ticks, x0), ticks) + np.array([-0.35, 0, 0])
            name_at = view.floor_points(x0, hi) + np.array([0, 0.45, 0])
        lines.add(line)
        for value, point in zip(ticks, where):
            text = f"{value:g}"
            if text not in typeset:
                typeset[text] = math_tex(text, color=theme.muted).scale(0.4)
            labels.add(typeset[text].copy().move_to(point))
        labels.add(math_tex(axis, color=theme.text).scale(0.7).move_to(name_at))
    # Under OpenGL the lines are baked into the floor texture and the labels
    # drawn as camera-facing quads (gdscenes.drawing.gl.renderer); Cairo ignores this.
    lines.gd_bake = True
    labels.gd_billboards = True
    return set_layer(lines, FLOOR), set_layer(labels, FLOOR)


class LossMesh(OpenGLSurface):
    """The loss surface as one triangle mesh (OpenGL renderer), coloured per vertex.

    manim's :class:`Surface` is a group of one vectorized mobject per face;
    under OpenGL a single mesh is drawn by the GPU (or llvmpipe) in one call
    and depth-tested, so the ball is hidden exactly where the surface is in front.
    """

    def __init__(self, view: View, resolution: int, opacity: float, **kwargs: object) -> None:
        self.view = view
        (x0, x1), (y0, y1) = view.domain
        # The shader takes normals from points nudged by +epsilon; keep those
        # inside the domain, where the view would clamp them onto the edge.
        inset = 2 * 1e-5
        super().__init__(
            u_range=(x0, x1 - inset), v_range=(y0, y1 - inset), resolution=(resolution, resolution),
            opacity=opacity, epsilon=1e-5, **kwargs,
        )

    def init_points(self) -> LossMesh:
        nu, nv = self.resolution
        u, v = np.meshgrid(np.linspace(*self.u_range, nu), np.linspace(*self.v_range, nv), indexing="ij")
        u, v = u.ravel(), v.ravel()
        eps = self.epsilon
        self.set_points(np.vstack([self.view.surface_points(u + du, v + dv) for du, dv in ((0, 0), (eps, 0), (0, eps))]))
        heights = self.view.z_of(u, v) / self.view.height
        self.vertex_rgbas = np.column_stack([colormap(heights), np.full(len(u), self.opacity)])
        return self

    def fill_in_shader_color_info(self, shader_data: np.ndarray) -> np.ndarray:
        shader_data["color"] = self.vertex_rgbas
        return shader_data


def loss_surface(
    view: View,
    theme: Theme,
    resolution: int = 40,
    opacity: float = 0.9,
    mesh_opacity: float = 0.25,
) -> Mobject:
    """The loss surface, coloured by height.

    Under Cairo, ``resolution`` x ``resolution`` faces each filled by the
    colormap at its mean height, with a faint mesh; under OpenGL one smooth
    mesh (:class:`LossMesh`) with twice the resolution.
    """
    if config.renderer == RendererType.OPENGL:
        mesh = LossMesh(view, 2 * resolution + 1, opacity=1.0, gloss=0.1, shadow=0.15)
        mesh.gd_static = True  # never changes: the renderer keeps its vertex buffers
        mesh.gd_shader = surface_shader.PROGRAM  # lit per vertex, with the Cairo faces' mesh lines
        mesh.uniforms.update({
            "mesh_rows": float(mesh.resolution[1]), "mesh_step": 2.0,  # a line between Cairo's faces
            "mesh_color": (*hex_to_rgb(theme.mesh), mesh_opacity),
            # Cairo's 0.4-wide stroke in pixels (0.01 frame units per width unit, 8 units a frame high)
            "mesh_width": 0.4 * LINE_WIDTH_UNIT * config.pixel_height / config.frame_height,
        })
        return set_layer(mesh, SURFACE)
    (x0, x1), (y0, y1) = view.domain
    surface = Surface(
        lambda u, v: view.surface_points(u, v),
        u_range=(x0, x1),
        v_range=(y0, y1),
        resolution=resolution,
        fill_opacity=opacity,
        checkerboard_colors=False,
        stroke_color=theme.mesh,
        stroke_width=0.4,
    )
    faces = list(surface.submobjects)
    centres = np.array([[(f.u1 + f.u2) / 2, (f.v1 + f.v2) / 2] for f in faces])
    colours = colormap(view.z_of(centres[:, 0], centres[:, 1]) / view.height)
    for face, rgb in zip(faces, colours):
        face.set_fill(rgb_to_hex(rgb), opacity=opacity)
        face.set_stroke(theme.mesh, width=0.4, opacity=mesh_opacity)
    return set_layer(surface, SURFACE)


def contour_floor(view: View, theme: Theme, count: int = 14, stroke_width: float = 2.0) -> VGroup:
    """Contour lines of the loss on the floor plane, coloured like the surface
    (made legible on the floor: :meth:`~gdscenes.display.palette.Theme.line_color`).

    All lines of one level form one mobject of several subpaths: a few draw
    calls per frame instead of one per line.
    """
    (x0, x1), (y0, y1) = view.domain
    corners = view.floor_points(np.array([x0, x1, x1, x0]), np.array([y0, y0, y1, y1]))
    plate = Polygon(*corners, stroke_width=0, fill_color=theme.panel, fill_opacity=FLOOR_OPACITY)
    levels: dict[float, Polyline] = {}
    for line in contour_lines(view, count):
        points = view.floor_points(line.points[:, 0], line.points[:, 1])
        level = levels.get(line.height)
        if level is None:
            levels[line.height] = Polyline(
                points, stroke_width=stroke_width, stroke_color=theme.line_color(line.height)
            )
        else:
            level.start_new_path(points[0])
            level.add_points_as_corners(points[1:])
    floor = VGroup(plate, VGroup(*levels.values()))
    floor.gd_bake = True  # under OpenGL: painted once into a texture (gdscenes.drawing.gl.renderer)
    return set_layer(floor, FLOOR)


