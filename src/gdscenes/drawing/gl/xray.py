"""X-ray silhouettes: a ball the surface covers is still seen, as an outlined ghost.

Under OpenGL the balls are depth-tested spheres, so a ridge between a ball
and the camera hides it (the picture is right, but the lesson loses its
subject). :class:`XRay` draws, for every ball, a camera-facing disc without
a depth test *before* the balls themselves: a ring in the ball's colour with a
dark edge around a translucent fill, all inside the ball's own silhouette. Where the ball is in
view, its opaque sphere (drawn next, depth-tested) covers the disc exactly;
where the surface covers the ball, the disc shows through: the viewer sees
the ball's place and colour, and that it lies behind the surface.

The same pass draws the ring around a ball that has one (its ``gd_ring`` colour, see
:func:`gdscenes.drawing.ball.ball_mobject`): an opaque band from just inside the ball's
outline to :data:`~gdscenes.display.palette.RING_SHARE` of its radius outside it, so the
ball stands out from its ring and the ring from the surface (light theme, dark series
colours on viridis' dark end). Inside the outline the ball covers it where it is in view.
Around a ball that has a ``gd_outline`` (around its ring, if it has one) it draws a thin dark line
(:data:`~gdscenes.display.palette.OUTLINE_SHARE` of the radius), where the ball and its ring fade into
viridis' middle or light end.

Under Cairo the balls are drawn on a layer above the surface
(:func:`gdscenes.drawing.camera.set_layer`) and are never covered.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import moderngl
import numpy as np

from gdscenes.display.palette import OUTLINE, RING_SHARE, hex_to_rgb, outer_share
from gdscenes.drawing.gl.surface_shader import include

#: Opacity of the silhouette's fill (its ring is opaque).
FILL_OPACITY = 0.35
#: The ring in the ball's colour runs between these shares of the ball's radius,
#: then a dark edge to :data:`EDGE_TO`; all inside the ball, which covers it where it is in view.
RING_FROM, RING_TO, EDGE_TO = 0.42, 0.80, 0.97

_VERTEX = "#version 330\n" + include("camera_uniform_declarations.glsl") + """
in vec3 center;
in vec2 corner;
in float radius;
in vec4 color;
in vec4 ring;
in float outline;
out vec2 uv;
out vec4 v_color;
out vec4 v_ring;
out float v_outline;
""" + include("position_point_into_frame.glsl") + include("get_gl_Position.glsl") + """
void main() {
    // (ring.a: the ring's outer radius over the ball's; 0 without a ring; outline: the dark line's, 0 without one)
    uv = corner * max(1.0, max(ring.a, outline));
    v_color = color;
    v_ring = ring;
    v_outline = outline;
    // The disc lies in the plane facing the camera through the ball's centre: it is
    // projected (perspective included) like the ball's silhouette.
    gl_Position = get_gl_Position(position_point_into_frame(center) + vec3(uv * radius, 0.0));
}
"""

_OUTLINE_RGB = "vec3({:.6f}, {:.6f}, {:.6f})".format(*hex_to_rgb(OUTLINE))

_FRAGMENT = f"""
#version 330
uniform vec3 edge_color;
in vec2 uv;
in vec4 v_color;
in vec4 v_ring;
in float v_outline;
out vec4 frag_color;
void main() {{
    float d = length(uv);
    float aa = max(fwidth(d), 1e-4);
    float outer = max({EDGE_TO}, max(v_ring.a, v_outline));
    if (d > outer + aa) discard;
    float ring = smoothstep({RING_FROM} - aa, {RING_FROM} + aa, d);
    float edge = smoothstep({RING_TO} - aa, {RING_TO} + aa, d);
    float inside = 1.0 - smoothstep(outer - aa, outer + aa, d);
    vec4 c = mix(vec4(v_color.rgb, {FILL_OPACITY}), vec4(v_color.rgb, 1.0), ring);
    c = mix(c, vec4(edge_color, 0.85), edge);
    if (v_ring.a > 0.0) c = mix(c, vec4(v_ring.rgb, 1.0), smoothstep({EDGE_TO} - aa, {EDGE_TO} + aa, d));
    float line_from = v_ring.a > 0.0 ? v_ring.a : {EDGE_TO};
    if (v_outline > 0.0) c = mix(c, vec4({_OUTLINE_RGB}, 1.0), smoothstep(line_from - aa, line_from + aa, d));
    frag_color = vec4(c.rgb, c.a * inside * v_color.a);
}}
"""

_CORNERS = np.array([[-1, -1], [1, -1], [-1, 1], [-1, 1], [1, -1], [1, 1]], dtype="f4")


def targets(parts: Sequence[Any], layer: float) -> list[Any]:
    """The balls among mobjects in draw order: depth-tested meshes (``rgbas``, no vector
    strokes) on the ball ``layer``, or any mobject marked ``gd_xray``."""
    from gdscenes.drawing.camera import layer_of

    found = []
    for part in parts:
        marked = getattr(part, "gd_xray", None)
        if marked is False:
            continue
        if marked or (layer_of(part, None) == layer and getattr(part, "depth_test", False) and "rgbas" in part.data):
            found.append(part)
    return found


def ball_rows(balls: Sequence[Any]) -> np.ndarray:
    """One row per ball: centre (3), radius, colour and opacity (4), as float32."""
    return rows_with_rings(balls)[:, :8]


def rows_with_rings(balls: Sequence[Any]) -> np.ndarray:
    """:func:`ball_rows`, each followed by its ring's colour (3) and outer radius over the ball's
    (``1 + RING_SHARE``; all four 0 for a ball without a ``gd_ring``), and its dark line's outer radius
    over the ball's (:func:`~gdscenes.display.palette.outer_share`; 0 for a ball without a ``gd_outline``)."""
    rows = []
    for ball in balls:
        if not ball.has_points():
            continue
        rgba = np.asarray(ball.data["rgbas"], dtype=float).reshape(-1, 4)[0]
        if rgba[3] <= 0.01:
            continue
        radius = getattr(ball, "radius", None)
        if radius is None:
            radius = 0.5 * max(ball.get_width(), ball.get_height())
        ring = getattr(ball, "gd_ring", None)
        ring_row = [*hex_to_rgb(ring), 1.0 + RING_SHARE] if ring else [0.0] * 4
        line = getattr(ball, "gd_outline", None)
        outline = outer_share(ring, line) if line else 0.0
        rows.append([*ball.get_center(), float(radius), *rgba, *ring_row, outline])
    return np.asarray(rows, dtype="f4").reshape(-1, 13)


class XRay:
    """The silhouettes of the balls, drawn in one call (see the module's notes)."""

    def __init__(self, ctx: moderngl.Context) -> None:
        self.ctx = ctx
        self.program = ctx.program(vertex_shader=_VERTEX, fragment_shader=_FRAGMENT)
        self.buffer: moderngl.Buffer | None = None
        self.vao: moderngl.VertexArray | None = None
        self.capacity = 0

    def draw(self, balls: Sequence[Any], uniforms: dict[str, Any], edge_rgb: Sequence[float]) -> int:
        """Draw the silhouettes of ``balls`` (and their rings) over what is there; returns how many were drawn."""
        rows = rows_with_rings(balls)
        if not len(rows):
            return 0
        vertices = np.empty((len(rows), 6, 15), dtype="f4")
        vertices[:, :, 0:3] = rows[:, None, 0:3]
        vertices[:, :, 3:5] = _CORNERS[None]
        vertices[:, :, 5] = rows[:, None, 3]
        vertices[:, :, 6:15] = rows[:, None, 4:13]
        data = vertices.tobytes()
        if self.buffer is None or len(data) > self.capacity:
            self.release_buffers()
            self.capacity = max(len(data), 6 * 15 * 4 * 8)
            self.buffer = self.ctx.buffer(reserve=self.capacity, dynamic=True)
            self.vao = self.ctx.vertex_array(
                self.program, [(self.buffer, "3f 2f 1f 4f 4f 1f", "center", "corner", "radius", "color", "ring", "outline")])
        self.buffer.write(data)
        program: Any = self.program  # (moderngl types a member as any kind of member)
        for name, value in uniforms.items():
            if name in program:
                program[name].value = value
        for name in ("is_fixed_in_frame", "is_fixed_orientation"):
            if name in program:
                program[name].value = 0.0
        program["edge_color"].value = tuple(float(v) for v in edge_rgb[:3])
        self.ctx.disable(moderngl.DEPTH_TEST)  # (nor does it write depth: the balls drawn next are tested as before)
        assert self.vao is not None
        self.vao.render(moderngl.TRIANGLES, vertices=6 * len(rows))
        return len(rows)

    def release_buffers(self) -> None:
        for thing in (self.vao, self.buffer):
            if thing is not None:
                thing.release()
        self.vao = self.buffer = None

    def release(self) -> None:
        self.release_buffers()
        self.program.release()
