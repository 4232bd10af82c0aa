"""The loss surface's OpenGL shader: manim's lighting per vertex, and a faint mesh.

manim's ``surface`` shader lights every fragment (normalisations, ``exp``,
``pow``); on a CPU rasterizer that is most of the surface's cost. The mesh
is fine (81 x 81 vertices), so lighting its vertices with the same function
(manim's ``finalize_color``) and interpolating looks the same for a
fraction of the work. The fragment shader adds the mesh lines the Cairo
renderer draws between faces: anti-aliased lines every ``mesh_step`` vertices,
``mesh_width`` pixels wide, in ``mesh_color`` (alpha: their opacity). The grid
position comes from the vertex index: :class:`~gdscenes.drawing.landscape.LossMesh`
lays its vertices out row by row, ``mesh_rows`` to a row.
"""

from __future__ import annotations

from manim.renderer.shader import SHADER_FOLDER, get_shader_code_from_file


def include(name: str) -> str:
    """The text of one of manim's GLSL include files."""
    return get_shader_code_from_file(SHADER_FOLDER / "include" / name)


VERTEX = "#version 330\n" + include("camera_uniform_declarations.glsl") + """
uniform vec3 light_source_position;
uniform float gloss;
uniform float shadow;
uniform float mesh_rows;
uniform float mesh_step;
in vec3 point;
in vec3 du_point;
in vec3 dv_point;
in vec4 color;
out vec4 v_color;
out vec2 grid;
""" + include("position_point_into_frame.glsl") + include("get_gl_Position.glsl") \
    + include("get_rotated_surface_unit_normal_vector.glsl") + include("finalize_color.glsl") + """
void main() {
    vec3 xyz = position_point_into_frame(point);
    vec3 normal = get_rotated_surface_unit_normal_vector(point, du_point, dv_point);
    v_color = finalize_color(color, xyz, normal, light_source_position, gloss, shadow);
    grid = vec2(floor(float(gl_VertexID) / mesh_rows), mod(float(gl_VertexID), mesh_rows)) / mesh_step;
    gl_Position = get_gl_Position(xyz);
}
"""

FRAGMENT = """
#version 330
uniform vec4 mesh_color;
uniform float mesh_width;
in vec4 v_color;
in vec2 grid;
out vec4 frag_color;
void main() {
    vec2 pixels = abs(fract(grid - 0.5) - 0.5) / max(fwidth(grid), vec2(1e-6));
    float line = clamp(1.0 - min(pixels.x, pixels.y), 0.0, 1.0) * min(mesh_width, 1.0);
    frag_color = vec4(mix(v_color.rgb, mesh_color.rgb, line * mesh_color.a), v_color.a);
}
"""

PROGRAM = {"vertex_shader": VERTEX, "fragment_shader": FRAGMENT}
