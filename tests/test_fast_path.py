"""The OpenGL fast path's caches (baked floor, labels, static surface) and the encoder settings.

OpenGL renders run in child processes (manim keeps one renderer per process).
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from gdscenes.display.palette import DARK, hex_to_rgb
from gdscenes.production.render import ENCODER_OPTIONS, render
from tests.conftest import read_frames
from tests.test_render_descent import FPS, TinyDescent, render_elsewhere

pytestmark = pytest.mark.render


class FlatFloor(TinyDescent):
    """No surface: the whole contour floor, its axes and labels are in sight."""

    show_surface = False


@pytest.fixture(scope="module")
def floors(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The flat floor baked and drawn as manim's vectors (both OpenGL), a small lesson
    under OpenGL, and the flat floor under Cairo."""
    media = tmp_path_factory.mktemp("floors")
    cairo = render(FlatFloor, "floor_cairo", quality="l", media_dir=media, fps=FPS)
    out = render_elsewhere(
        "from tests.test_fast_path import FlatFloor, TinyDescent, FPS; from gdscenes.production.render import render\n"
        "from gdscenes.drawing.gl.renderer import LessonRenderer\n"
        f"r = render(FlatFloor, 'floor_gl', quality='l', media_dir={str(media)!r}, fps=FPS)\n"
        "print('floor bakes', LessonRenderer.bakes, 'static', len(r.scene.renderer._static))\n"
        f"r = render(TinyDescent, 'tiny_gl', quality='l', media_dir={str(media)!r}, fps=FPS)\n"
        "print('tiny bakes', LessonRenderer.bakes, 'static', len(r.scene.renderer._static))\n"
        "LessonRenderer.bake = False\n"
        f"r = render(FlatFloor, 'floor_vectors', quality='l', media_dir={str(media)!r}, fps=FPS)\n",
        env={"GDSCENES_RENDERER": "opengl"},
    ).stdout
    videos = media / "videos"
    return {"cairo": read_frames(cairo.path), "cairo_path": cairo.path, "out": out,
            "baked": read_frames(videos / "floor_gl.mp4"), "vectors": read_frames(videos / "floor_vectors.mp4")}


def drawn(frame: np.ndarray) -> np.ndarray:
    """Pixels right of the panel that differ clearly from the background (lines, ticks, labels)."""
    mask = np.linalg.norm(frame.astype(float) - hex_to_rgb(DARK.background) * 255, axis=-1) > 45
    mask[:, : frame.shape[1] // 2] = False
    return mask


def grown(mask: np.ndarray, by: int = 2) -> np.ndarray:
    near = np.zeros_like(mask)
    for dy in range(-by, by + 1):
        for dx in range(-by, by + 1):
            near |= np.roll(np.roll(mask, dy, axis=0), dx, axis=1)
    return near


def test_baked_floor_has_the_vector_floors_lines_ticks_and_labels(floors: Any) -> None:
    baked, vectors = floors["baked"], floors["vectors"]
    assert baked.shape == vectors.shape == floors["cairo"].shape  # same size and frame count
    # First frame: the ball is still faded out; only the floor, its axes and labels are drawn.
    ours, manims = drawn(baked[0]), drawn(vectors[0])
    assert manims.sum() > 2000
    # Every line manim strokes is in the texture (at most 2 pixels away: the texture's lines
    # are as wide as the Cairo renderer's, manim's thinner; the labels, at the caption size
    # since issue 15, lie flat in manim's picture and stand up in ours) ...
    assert grown(ours)[manims].mean() > 0.85
    # ... and what the texture shows is where manim draws (labels stand up instead of lying flat).
    assert grown(manims)[ours].mean() > 0.8
    assert 1.0 < ours.sum() / manims.sum() < 3.0


def test_floor_and_labels_are_painted_once_and_the_surface_buffers_kept(floors: Any) -> None:
    out = floors["out"]
    # One floor texture and one label atlas per scene (bakes count across the process),
    # and the surface mesh cached once (none without a surface).
    assert "floor bakes 2 static 0" in out, out
    # (a lesson's atlases: the axes' labels, and the minima's stars and values)
    assert "tiny bakes 5 static 1" in out, out


def x264_options(path: Path) -> dict[str, str]:
    """The settings x264 records in its stream (``key=value`` pairs of its SEI text)."""
    text = re.search(rb"x264 - core .*? options: ([^\x00]*)", path.read_bytes())
    assert text, f"no x264 settings in {path}"
    return dict(pair.split("=", 1) for pair in text.group(1).decode().split() if "=" in pair)


def encode_one(path: Path, options: dict[str, str]) -> dict[str, str]:
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=Fraction(10), options=options)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        frame = av.VideoFrame.from_ndarray(np.zeros((64, 64, 3), np.uint8), format="rgb24")
        for packet in [*stream.encode(frame), *stream.encode()]:
            container.mux(packet)
    return x264_options(path)


def test_videos_are_encoded_with_gdscenes_settings(floors: Any, tmp_path: Path) -> None:
    written = x264_options(floors["cairo_path"])
    ours = encode_one(tmp_path / "ours.mp4", dict(ENCODER_OPTIONS))
    manims = encode_one(tmp_path / "manim.mp4", {"crf": "23"})
    keys = ("crf", "subme", "me", "ref", "trellis", "rc_lookahead")
    assert ours["subme"] != manims["subme"]  # the preset shows in the stream
    assert {k: written.get(k) for k in keys} == {k: ours.get(k) for k in keys}


READBACK = """
import ctypes, moderngl, numpy as np
from gdscenes.drawing.gl import readback
try:
    ctx = moderngl.create_context(standalone=True)
except Exception:
    ctx = moderngl.create_context(standalone=True, backend="egl")
program = ctx.program(vertex_shader="#version 330\\nin vec2 p; void main() { gl_Position = vec4(p, 0.0, 1.0); }",
                      fragment_shader="#version 330\\nout vec4 c; void main() { c = vec4(1.0, 0.0, 0.0, 1.0); }")
top_quarter = ctx.vertex_array(program, [(ctx.buffer(np.array([-1, .5, 1, .5, -1, 1, 1, 1], "f4").tobytes()), "2f", "p")])
gl = ctypes.CDLL("libOpenGL.so.0")
for width in (64, 34):  # rows of 256 bytes fit a video frame's plane; rows of 136 are padded there
    fbo = ctx.simple_framebuffer((width, 32))
    fbo.use()
    for top_first in (True, False):
        assert not top_first or readback.origin_at_top(ctx)
        if not top_first:
            gl.glClipControl(0x8CA1, 0x935E)  # back to OpenGL's lower-left origin
        fbo.clear(0, 0, 0, 1)
        top_quarter.render(moderngl.TRIANGLE_STRIP)
        pixels = readback.read(fbo, top_first)
        red = pixels[:, :, 0].max(axis=1) > 200
        frame = getattr(pixels, "av_frame", None)
        same = frame is None or np.array_equal(frame.to_ndarray(format="rgba"), pixels)
        print(width, top_first, type(pixels).__name__, "".join("x" if r else "." for r in red), same)
"""


def test_frames_are_read_top_row_first_and_straight_into_the_video_frame() -> None:
    out = render_elsewhere(READBACK).stdout.split("\n")
    rows = "x" * 8 + "." * 24  # the quad covers the top quarter of 32 rows
    # With the origin at the top the frame is read into a video frame's plane (no copy) where
    # its rows are not padded there; either way, and with manim's flip, the same picture.
    assert out[:4] == [f"64 True Pixels {rows} True", f"64 False ndarray {rows} True",
                       f"34 True ndarray {rows} True", f"34 False ndarray {rows} True"], out


def test_the_change_digest_sees_what_painting_reads_and_nothing_else() -> None:
    """The overlay and baked layers are repainted when their digest changes: it must change with
    points, colours and widths changed in place, and with the mobjects drawn, but not with data
    derived from the points (painting never reads them)."""
    from manim import Circle, Square, VGroup, tempconfig

    from gdscenes.drawing.gl.renderer import DERIVED_DATA, fingerprint

    with tempconfig({"renderer": "opengl"}):
        group = VGroup(Circle(), Square())
        before = fingerprint([group])
        assert fingerprint([group]) == before
        circle = group[0]
        for key in DERIVED_DATA & set(circle.data):
            circle.data[key][...] += 1.0
        assert fingerprint([group]) == before
        circle.data["points"][3, 0] += 1e-9  # one coordinate, in place
        moved = fingerprint([group])
        assert moved != before
        circle.data["stroke_rgba"][..., 0] = 0.5
        assert fingerprint([group]) != moved
        assert fingerprint([VGroup(group[1], group[0])]) != fingerprint([VGroup(group[0], group[1])])
        # An array that is not contiguous is read as the same numbers.
        crc = fingerprint([group])[0]
        circle.data["points"] = np.asfortranarray(circle.data["points"])
        assert not circle.data["points"].flags.c_contiguous and fingerprint([group])[0] == crc


def test_the_overlay_compares_the_data_painting_reads() -> None:
    """An overlay layer is repainted when :func:`painted_data` differs from its last paint's: it must differ
    with points and colours changed in place and with the mobjects drawn, but not with derived data."""
    from manim import Circle, Square, VGroup, tempconfig

    from gdscenes.drawing.gl.renderer import DERIVED_DATA, painted_data

    with tempconfig({"renderer": "opengl"}):
        group = VGroup(Circle(), Square())
        before = painted_data([group])
        circle = group[0]
        for key in DERIVED_DATA & set(circle.data):
            circle.data[key][...] += 1.0
        assert painted_data([group]) == before
        circle.data["points"][3, 0] += 1e-9
        moved = painted_data([group])
        assert moved != before
        circle.data["fill_rgba"][..., 1] = 0.25
        assert painted_data([group]) != moved
        assert painted_data([VGroup(group[1], group[0])]) != painted_data([VGroup(group[0], group[1])])


def test_an_overlay_repaint_starts_from_the_image_of_the_members_that_did_not_change(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """With a :class:`Prefix`, a repaint gives the pixels of a paint from scratch, bit for bit, but paints
    only the members from the first one that changed since the last paint (translucent, overlapping
    squares: the order of painting shows in the pixels), adding the kept paths of those that did not."""
    from manim import RIGHT, Square, VGroup, tempconfig

    from gdscenes.drawing.gl import renderer

    painted: list[Any] = []
    paint_one = renderer.paint_one
    monkeypatch.setattr(renderer, "paint_one", lambda ctx, mob, *paths: (painted.append(mob), paint_one(ctx, mob, *paths)))
    with tempconfig({"renderer": "opengl"}):
        squares = VGroup(*(Square(0.8, fill_color=c, fill_opacity=0.6, stroke_width=2).shift(0.3 * i * RIGHT)
                           for i, c in enumerate(["#ff0000", "#00ff00", "#0000ff", "#ffff00", "#00ffff"])))
        box = renderer.overlay_pixels([squares], 320, 180)
        prefix = renderer.Prefix()

        def repaint() -> tuple[bytes, list[Any]]:
            painted.clear()
            kept = bytes(renderer.paint_region([squares], 320, 180, box, prefix).get_data())
            members = list(painted)
            fresh = bytes(renderer.paint_region([squares], 320, 180, box).get_data())
            assert kept == fresh  # the same pixels as a paint from scratch
            return kept, members

        first, members = repaint()
        assert members == list(squares)
        squares[3].set_fill("#ffffff")  # the fourth: its image after three members is kept now
        second, members = repaint()
        assert members == list(squares) and second != first
        squares[3].set_fill("#808080")
        assert repaint()[1] == list(squares[3:])  # from the kept image
        squares[4].set_stroke(width=4)
        assert repaint()[1] == list(squares[3:])  # from the image after three (the one after four is kept now)
        squares[1].set_fill("#000000")  # an earlier one: from scratch again
        assert repaint()[1] == list(squares)


def test_respelling_a_number_moves_only_the_glyphs_that_change(monkeypatch: pytest.MonkeyPatch) -> None:
    """A re-spelled :class:`GlyphString` gives each slot the points a fresh one spelling that number has,
    and leaves alone (no ``set_points``, so no refresh) the slots whose glyph and place stay."""
    from manim import tempconfig

    from gdscenes.drawing.glyphs import GlyphString, spell_number

    with tempconfig({"renderer": "opengl"}):
        line = GlyphString("#ffffff", 0.5, capacity=10)
        left = np.array([-1.0, 0.0, 0.0])
        line.spell(spell_number(3.142), left, 0.0)
        moved: list[Any] = []
        slot_class = type(line.submobjects[0])
        set_points = slot_class.set_points
        monkeypatch.setattr(slot_class, "set_points", lambda self, points: (moved.append(self), set_points(self, points))[1])
        line.spell(spell_number(3.142), left, 0.0)
        assert moved == []
        line.spell(spell_number(3.147), left, 0.0)  # only the last digit
        assert moved == [line.submobjects[4]]
        for value in (3.147, -12.5, 0.0):
            line.spell(spell_number(value), left, 0.0)
            fresh = GlyphString("#ffffff", 0.5, capacity=10).spell(spell_number(value), left, 0.0)
            for slot, truth in zip(line.submobjects, fresh.submobjects, strict=True):
                assert np.array_equal(slot.points, truth.points)


def test_a_kept_path_paints_the_pixels_of_a_traced_one() -> None:
    """:class:`Paths` adds a member's path again from Cairo's copy of it: the same pixels as tracing it,
    for glyph outlines (curves, holes), in several boxes and frame sizes, and a member that moved is traced anew."""
    import cairo
    from manim import MathTex, tempconfig

    from gdscenes.drawing.gl.overlay import Paths, paint_one

    with tempconfig({"renderer": "opengl"}):
        glyphs = list(MathTex(r"0.0123\,(-4.56, 7.89)\times 10^{-3}").scale(0.9).family_members_with_points())

        def paint(paths: Paths | None, size: tuple[int, int], offset: tuple[int, int]) -> bytes:
            surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, 320, 120)
            ctx = cairo.Context(surface)
            ctx.set_matrix(cairo.Matrix(size[0] / 14.2, 0, 0, -size[1] / 8.0, size[0] / 2 - offset[0], size[1] / 2 - offset[1]))
            for glyph in glyphs:
                paint_one(ctx, glyph, paths)
            if paths is not None:
                paths.next_paint()
            surface.flush()
            return bytes(surface.get_data())

        for size, offset in (((854, 480), (267, 180)), ((1920, 1080), (800, 480))):
            paths = Paths()
            assert paint(paths, size, offset) == paint(None, size, offset)
            assert len(paths.last) == len({g.points.tobytes() for g in glyphs})
            kept = dict(paths.last)
            assert paint(paths, size, offset) == paint(None, size, offset)  # every path added from the kept ones
            assert all(paths.last[key] is path for key, path in kept.items())
            glyphs[0].shift([0.013, 0.0, 0.0])
            assert paint(paths, size, offset) == paint(None, size, offset)


@pytest.mark.parametrize("loss", ["himmelblau", "rosenbrock"])
def test_the_cairo_surface_is_manims_surface_mapped_at_once(loss: str) -> None:
    """The Cairo surface's faces (``LossFaces``: every point mapped onto the landscape in one call, the handles
    scaled as manim scales them) have the points of manim's own ``Surface`` of the same function (mapped one point
    at a time: 25,600 calls at 40 x 40 faces, 4 of the 6 s a lesson took to build), a log-height one included."""
    from manim import Surface

    from gdscenes.core.losses import get_loss
    from gdscenes.display.view import View
    from gdscenes.drawing.landscape import LossFaces

    f = get_loss(loss)
    view = View.fit(f.value, ((-2.0, 2.0), (-1.0, 3.0)), scale="log" if loss == "rosenbrock" else "linear")
    (x0, x1), (y0, y1) = view.domain
    options = dict(u_range=(x0, x1), v_range=(y0, y1), resolution=12, checkerboard_colors=False)
    ours = LossFaces(view, **options)
    manims = Surface(lambda u, v: view.surface_points(u, v), **options)
    a = np.vstack([face.points for face in ours.family_members_with_points()])
    b = np.vstack([face.points for face in manims.family_members_with_points()])
    assert a.shape == b.shape == (12 * 12 * 16, 3)
    assert np.abs(a - b).max() < 1e-9
    assert np.ptp(a[:, 2]) > 0.5  # (a landscape, not the flat (u, v, 0) faces)
