"""The equation panel shows the numbers it is given, inside its frame."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from gdscenes.drawing.glyphs import GlyphString, spell_number, spell_vector
from gdscenes.drawing.panel import UpdatePanel
from gdscenes.core.optimizers import OPTIMIZERS
from gdscenes.display.palette import DARK


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_values_stay_inside_the_panel_even_for_a_diverging_run(name: str) -> None:
    cls = OPTIMIZERS[name]
    panel = UpdatePanel(f"{cls.label} on Goldstein price", r" \\ ".join(cls.rule_latex_lines), DARK)
    for theta, grad in (((0.5, -1.25), (3.0, 4.0)), ((-4.35e6, 2.2e8), (-1.23e15, 9.9e17))):
        rows = panel.show_step(7, theta, grad, 0.01, (1.0, 2.0), 1.18e8)
        right = panel.background.get_right()[0]
        for label, row in zip(panel.labels, rows):
            drawn = [g for g in row.submobjects if len(g.points)]
            assert drawn
            assert max(g.get_right()[0] for g in drawn) <= right + 1e-6
            assert label.get_right()[0] < min(g.get_left()[0] for g in drawn)


def test_rows_spell_exactly_the_numbers_given() -> None:
    panel = UpdatePanel("Gradient descent on Himmelblau", OPTIMIZERS["gd"].rule_latex, DARK)
    rows = panel.show_step(12, (-0.5, -4.5), (56.0, -260.0), 0.01, (-1.06, -1.9), 395.125)
    assert [r.text for r in rows] == [
        "12", "(-0.500, -4.500)", "(56.000, -260.000)", "0.010", "(-1.060, -1.900)", "395.1250",
    ]
    # A second step changes the same slots in place (the renderer keeps drawing them).
    before = [id(g) for r in rows for g in r.submobjects]
    rows = panel.show_step(13, (-1.06, -1.9), (1.0, 2.0), 0.01, None, 3.0)
    assert [id(g) for r in rows for g in r.submobjects] == before
    assert rows[4].text == "-"


def test_spelling_of_numbers() -> None:
    assert spell_number(3.14159) == list("3.142")
    assert spell_number(0.0005, decimals=4) == list("0.0005")
    assert spell_number(-1.18e8) == [*"-1.18", "×", "1", "0", "^8"]
    assert spell_number(2.5e-7) == list("0.000")
    assert spell_number(-2.5e-7) == list("0.000") and spell_number(-0.0004) == list("0.000")  # (no "-0.000")
    assert spell_number(-0.0006) == list("-0.001") and spell_number(-0.0) == list("0.000")
    assert spell_vector((-0.0001, -0.0012)) == [*"(0.000", ",", " ", *"-0.001)"]  # (sweep grid's GD at lr 0.02: "-0.000")
    assert spell_number(float("nan")) == ["-"]
    assert spell_vector((1.0, -2.0), decimals=1) == [*"(1.0", ",", " ", *"-2.0)"]


def test_glyphs_sit_on_one_baseline_and_do_not_overlap() -> None:
    line = GlyphString(DARK.text, 0.62).spell(list("(10.5, -3)"), np.array([0.0, 0.0, 0.0]), 0.0)
    drawn = [g for g in line.submobjects if len(g.points)]
    lefts = [g.get_left()[0] for g in drawn]
    assert lefts == sorted(lefts)
    for a, b in zip(drawn, drawn[1:]):
        assert a.get_right()[0] <= b.get_left()[0] + 1e-9
    digits = [g for g, k in zip(line.submobjects, line.keys) if k.isdigit()]
    assert np.ptp([g.get_bottom()[1] for g in digits]) < 0.02


def test_opengl_draw_order_follows_lesson_layers_and_splits_mixed_groups() -> None:
    """Under OpenGL, VMobjects are drawn in order without a depth test: floor
    decorations before the surface, the ball after its trail and the step arrows."""
    from manim import Circle, Group, Square

    from gdscenes.drawing.camera import BALL, FLOOR, MARKS, ON_SURFACE, set_layer
    from gdscenes.drawing.gl.renderer import in_layer_order

    surface = Square()
    floor_path, trail, ball = set_layer(Circle(), FLOOR), set_layer(Circle(), ON_SURFACE), set_layer(Circle(), BALL)
    rolling = Group(floor_path, trail, ball)
    arrow = set_layer(Square(), MARKS)
    tint = set_layer(Square(), FLOOR)
    order = in_layer_order([surface, rolling, arrow, tint])
    assert order == [floor_path, tint, surface, trail, arrow, ball]
    same = Group(set_layer(Circle(), ON_SURFACE), set_layer(Circle(), ON_SURFACE))
    assert in_layer_order([same]) == [same]  # a group on one layer is drawn whole


def test_formulas_and_texts_are_kept_between_runs_and_made_again_when_their_file_is_bad(tmp_path, monkeypatch) -> None:
    from manim import MathTex

    from gdscenes.drawing import typeset

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    formula = r"\nabla f(\theta_k) = 2\theta_k"
    reference = MathTex(formula, color="#ffcc00")
    shapes = [np.asarray(m.points) for m in reference.family_members_with_points()]

    def same_as_reference(made: MathTex) -> bool:
        members = made.family_members_with_points()
        return len(members) == len(shapes) and all(np.allclose(m.points, p) for m, p in zip(members, shapes)) \
            and made.get_color() == reference.get_color()

    made = typeset.math_tex(formula, color="#ffcc00")  # typeset, then kept
    (kept,) = typeset.folder().iterdir()
    assert same_as_reference(made)
    again = typeset.math_tex(formula, color="#ffcc00")  # read back: an equal, separate mobject
    assert same_as_reference(again) and again is not made
    # Kept without the glyphs' SVG paths (read only while the points were made); copies are whole.
    assert any(getattr(m, "path_obj", None) is not None for m in reference.get_family())
    assert all(getattr(m, "path_obj", None) is None for m in [*made.get_family(), *again.get_family()])
    assert same_as_reference(again.copy())
    again.shift(np.ones(3))
    assert same_as_reference(typeset.math_tex(formula, color="#ffcc00"))
    # Other arguments are other formulas.
    typeset.math_tex(formula, color="#00ccff")
    assert len(list(typeset.folder().iterdir())) == 2
    # A damaged file is made again and replaced.
    kept.write_bytes(b"not a pickle")
    assert same_as_reference(typeset.math_tex(formula, color="#ffcc00"))
    assert kept.read_bytes() != b"not a pickle"
    # Pango text too.
    from manim import Text

    words = [np.asarray(m.points) for m in Text("converged at step 15", font_size=20).family_members_with_points()]
    for _ in range(2):  # made, then read back
        made = typeset.plain_text("converged at step 15", font_size=20).family_members_with_points()
        assert len(made) == len(words) and all(np.allclose(m.points, p) for m, p in zip(made, words))
    assert len(list(typeset.folder().iterdir())) == 3


def private_tex(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A LaTeX folder shared by renders (``tmp_path/Tex``, manim's ``tex_dir``) and empty cache and temporary folders
    of the test's own (``tmp_path/cache``, ``tmp_path/tmp``)."""
    import tempfile

    from manim import config

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    monkeypatch.setattr(tempfile, "tempdir", None)
    (tmp_path / "tmp").mkdir()
    shared = tmp_path / "Tex"
    shared.mkdir()
    monkeypatch.setattr(config, "tex_dir", str(shared))
    return shared


def test_a_formula_is_typeset_in_a_folder_of_its_own_and_kept_in_the_shared_one(tmp_path, monkeypatch) -> None:
    """manim deletes every file but SVGs and sources from its LaTeX folder after each formula: in a
    folder shared by renders running at once, the other render's DVI went before its dvisvgm read it.
    The shared folder's files are left alone; the new SVG lands there; the private folder is gone."""
    from manim import MathTex, config

    from gdscenes.drawing import typeset

    shared = private_tex(tmp_path, monkeypatch)
    (shared / "other.dvi").write_bytes(b"another render's DVI, being converted")
    made = typeset.math_tex(r"\theta_{k+1} = \theta_k - 0.25")
    assert isinstance(made, MathTex) and len(made.family_members_with_points()) > 5
    assert (shared / "other.dvi").read_bytes() == b"another render's DVI, being converted"
    assert [p.suffix for p in shared.iterdir() if p.name != "other.dvi"] == [".svg"]
    assert config.tex_dir == str(shared) and list((tmp_path / "tmp").iterdir()) == []


def test_typesetting_skips_svgs_another_render_is_writing_or_has_just_removed(tmp_path, monkeypatch) -> None:
    """Another render writes an SVG into the shared folder under a hidden temporary name and renames it
    (``replace_into``); a file listed a moment ago may be gone when it is linked. Neither is an error:
    the hidden file is never taken, a vanished one is passed over (CI failed once on each)."""
    import os

    from manim import MathTex, config

    from gdscenes.drawing import typeset

    shared = private_tex(tmp_path, monkeypatch)
    writing = shared / ".26c83814d1665e6d.svg.partial-7876-sm1qxfle.svg"
    writing.write_text("<svg>half written")
    (shared / "pruned.svg").write_text("<svg/>")
    linked: list[str] = []
    real_link = os.link

    def link(source: os.PathLike[str], target: os.PathLike[str]) -> None:
        linked.append(Path(source).name)
        if Path(source).name == "pruned.svg":
            Path(source).unlink()  # (removed by another process between listing and linking)
        real_link(source, target)

    monkeypatch.setattr(os, "link", link)
    made = typeset.math_tex(r"\theta_{k+1} = \theta_k - 0.5")
    assert isinstance(made, MathTex) and len(made.family_members_with_points()) > 5
    assert writing.name not in linked and "pruned.svg" in linked
    assert writing.read_text() == "<svg>half written"  # (left to its writer)
    assert config.tex_dir == str(shared) and list((tmp_path / "tmp").iterdir()) == []


def test_trails_leave_out_only_points_too_close_to_see() -> None:
    from gdscenes.drawing.ball import spaced

    TRAIL_SPACING = 0.003  # (0.4 pixels at 1080p)

    t = np.linspace(0.0, 1.0, 2001)
    spiral = np.column_stack([t * np.cos(12 * t), t * np.sin(12 * t), t])  # steps of 0.0005 to 0.007
    kept = spaced(spiral, TRAIL_SPACING)
    assert kept[0] == 0 and np.all(np.diff(kept) > 0)
    gaps = np.linalg.norm(np.diff(spiral[kept], axis=0), axis=1)
    assert gaps.min() >= TRAIL_SPACING
    assert np.sum(kept < 200) <= 60  # the slow, dense start is thinned out (steps of about 0.0007) ...
    assert np.all(np.isin(np.arange(1900, 2001), kept))  # ... the fast end (steps over 0.005) is not ...
    # ... and every point left out lies within the spacing of the line drawn through the rest.
    a, b = spiral[kept[:-1]], spiral[kept[1:]]
    for point in spiral[np.setdiff1d(np.arange(len(spiral)), kept)]:
        along = np.clip(np.einsum("ij,ij->i", point - a, b - a) / np.einsum("ij,ij->i", b - a, b - a), 0, 1)
        off = np.linalg.norm(a + along[:, None] * (b - a) - point, axis=1).min() if len(a) else np.inf
        assert off <= TRAIL_SPACING


def test_the_kept_formulas_are_capped(tmp_path, monkeypatch) -> None:
    from gdscenes.drawing import typeset

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(typeset, "MAX_FILES", 5)
    for k in range(6):
        typeset.math_tex(f"x^{k}")
    assert len(list(typeset.folder().iterdir())) == 4  # past 5: the oldest fifth and more go, down to 4


def test_kept_arrays_read_back_equal_writable_and_separate() -> None:
    """Kept formulas write their arrays as bytes: read back, each is an equal, writable array
    of its own (manim writes into points in place); empty ones may be shared, nothing fits in them."""
    import pickle

    from gdscenes.drawing import typeset

    points = np.arange(12.0).reshape(4, 3)
    ints = np.array([[3]], dtype=np.int64)
    empty = np.zeros(0, dtype=[("point", "<f4", (3,)), ("color", "<f4", (4,))])
    strided = np.arange(20.0).reshape(4, 5)[:, ::2]  # not contiguous: numpy's own form
    original = {"points": points, "ints": ints, "empty": empty, "strided": strided, "again": points}
    back = pickle.loads(typeset.dumps(original))
    for key, value in original.items():
        assert back[key].dtype == value.dtype and back[key].shape == value.shape and np.array_equal(back[key], value)
    assert back["again"] is back["points"]  # (the same array twice stays one array)
    assert back["points"].flags.writeable and back["ints"].flags.writeable
    back["points"][0, 0] = 99.0
    assert pickle.loads(typeset.dumps(original))["points"][0, 0] == 0.0


def test_a_square_bands_panel_with_extra_rows_is_a_grid_at_the_type_scale() -> None:
    """Curvature's panel (eight rows) in a square frame: too tall as a column for the 2.9-unit band, it sets its
    numbers on one line and its vectors two to a line, at the body size, each row's numbers clear of the next cell,
    the status right of the rule; in a wide frame it stays a column."""
    from manim import tempconfig

    from gdscenes.drawing import type_scale
    from gdscenes.drawing.key import Key
    from gdscenes.production.render import frame_config

    extra = [("eig", r"\lambda_{1,2}(\theta_k) ="), ("kappa", r"\kappa =")]
    rule = OPTIMIZERS["gd"].rule_latex
    with tempconfig(frame_config("l", "16:9")):
        assert not UpdatePanel("Gradient descent on Himmelblau", rule, DARK, extra_rows=extra).grid
    with tempconfig(frame_config("l", "1:1")):
        panel = UpdatePanel("Gradient descent on Himmelblau", rule, DARK, width=7.4, extra_rows=extra)
        assert panel.grid and panel.height <= 2.9 - 0.25  # (room left in the band for nothing else: the key goes inside)
        rows = panel.show_step(5, (3.027, 0.776), (-34.82, -16.732), 0.01, (3.223, 0.902), 161.6341,
                               extra=[spell_vector((-9.53, 73.9), 2), spell_number(7.75, 2)])
        assert [r.text for r in rows] == ["5", "(3.027, 0.776)", "(-34.820, -16.732)", "0.010", "(3.223, 0.902)",
                                          "161.6341", "(-9.53, 73.90)", "7.75"]
        keys = [key for key, _ in panel.rows]
        numbers = [keys.index(k) for k in ("k", "lr", "loss", "kappa")]
        ys = {round(float(panel.labels[i][0][-1].get_y()), 6) for i in numbers}
        assert len(ys) == 1  # one line
        theta, grad, nxt, eig = (keys.index(k) for k in ("theta", "grad", "next", "eig"))
        assert panel.labels[theta][0][-1].get_y() == pytest.approx(panel.labels[grad][0][-1].get_y())
        assert panel.labels[nxt][0][-1].get_y() == pytest.approx(panel.labels[eig][0][-1].get_y())
        assert panel.labels[theta].get_right()[0] == pytest.approx(panel.labels[nxt].get_right()[0])  # aligned columns
        for label, (_, tex) in zip(panel.labels, panel.rows):  # nothing shrunk
            assert label.height == pytest.approx(type_scale.math(tex, "body").height, rel=1e-6)
        card = panel.background
        cells = sorted(zip(panel.labels, rows), key=lambda c: (-round(float(c[0].get_y()), 1), c[0].get_x()))
        for (label, row), (after, _) in zip(cells, cells[1:]):
            drawn = [g for g in row.submobjects if len(g.points)]
            at = next(i for i, c in enumerate(row.text) if c.isdigit())  # (not squeezed into its cell: a digit at its height)
            assert drawn[at].height == pytest.approx(row.font.digit_height if row.text[at] == "0" else
                                                     np.ptp(row.font.outlines[row.text[at]][:, 1]), rel=1e-3), row.text
            right = max(g.get_right()[0] for g in drawn)
            assert right <= card.get_right()[0] - 0.2 + 1e-6
            if abs(after.get_y() - label.get_y()) < 0.05:  # (same line: the numbers end before the next label)
                assert right < after.get_left()[0]
        status = panel.set_status("diverged, left the plot at step 123")
        assert status.get_left()[0] > panel.rule.get_right()[0] and status.get_right()[0] <= card.get_right()[0]
        assert status.get_bottom()[1] > min(label.get_top()[1] for label in panel.labels)
        key = panel.add_below(Key([("#ffffff", r"\tfrac12 d^\top \nabla^2 f(\theta_k)\, d = c")], DARK, width=7.4).entries)
        assert key.get_top()[1] < min(label.get_bottom()[1] for label in panel.labels)
        assert card.get_bottom()[1] < key.get_bottom()[1] and panel.height <= 2.9


def test_a_compact_panel_shows_only_its_rows_and_puts_the_status_under_them() -> None:
    """loss-curve's square panel (beside its curve, 3.6 wide): the step, the rate and the loss, k and eta on one
    line, the status under the rows (no room right of the rule), inside a card at most the band's 2.9 tall."""
    from manim import tempconfig

    from gdscenes.production.render import frame_config

    with tempconfig(frame_config("l", "1:1")):
        panel = UpdatePanel("Gradient descent on Himmelblau", OPTIMIZERS["gd"].rule_latex, DARK, width=3.6,
                            shown_rows=("k", "lr", "loss"))
        assert [key for key, _ in panel.rows] == ["k", "lr", "loss"] and panel.grid and panel.height <= 2.9
        rows = panel.show_step(15, (3.0, 2.0), (0.001, -0.002), 0.01, None, 1.25e-5)
        assert [r.text for r in rows] == ["15", "0.010", "0.0000"]
        k, lr, loss = panel.labels
        assert k[0][-1].get_y() == pytest.approx(lr[0][-1].get_y()) and loss.get_top()[1] < k.get_bottom()[1]  # ("=" level)
        assert max(g.get_right()[0] for g in rows[0] if len(g.points)) < lr.get_left()[0]
        status = panel.set_status("converged at step 15")
        card = panel.background
        assert status.get_top()[1] < loss.get_bottom()[1] and card.get_bottom()[1] < status.get_bottom()[1]
        assert status.get_right()[0] < card.get_right()[0]
        # Vectors that do not fit two to a line go one to a line, every row kept.
        narrow = UpdatePanel("Gradient descent on Himmelblau", OPTIMIZERS["gd"].rule_latex, DARK, width=4.2,
                             shown_rows=("k", "theta", "grad", "lr"))
        assert narrow.grid
        rows = narrow.show_step(3, (3.0, 2.0), (-34.82, -16.73), 0.01, None, 1.0)
        assert [r.text for r in rows] == ["3", "(3.000, 2.000)", "(-34.820, -16.730)", "0.010"]
        k, theta, grad, lr = narrow.labels
        assert k[0][-1].get_y() == pytest.approx(lr[0][-1].get_y())
        assert theta.get_top()[1] < k.get_bottom()[1] and grad.get_top()[1] < theta.get_bottom()[1]


@pytest.mark.parametrize("renderer", ["cairo", "opengl"])
def test_a_grid_that_is_not_shorter_leaves_the_panel_as_it_was(renderer: str) -> None:
    """AdaGrad's panel in a square band: the grid is tried (the panel is taller than the band) and is no shorter,
    so the rows stay in their column (it was left with the rows moved into the grid's places; under OpenGL too,
    where a mobject's centre is a view of its points: momentum-inertia's rows stood outside its card at 1:1)."""
    from manim import tempconfig

    from gdscenes.production.render import frame_config

    rule = r" \\ ".join(OPTIMIZERS["adagrad"].rule_latex_lines)
    with tempconfig({**frame_config("l", "1:1"), "renderer": renderer}):
        tried = UpdatePanel("AdaGrad on Himmelblau", rule, DARK, width=7.4)
        assert tried.height > 2.9 and not tried.grid
        rights = [label.get_right()[0] for label in tried.labels]
        assert np.allclose(rights, rights[0])  # (one column, right-aligned)
        tops = [label.get_top()[1] for label in tried.labels]
        assert all(a > b for a, b in zip(tops, tops[1:]))


def test_a_constant_appended_to_a_rule_line_goes_on_a_line_of_its_own_at_the_caption_size() -> None:
    """Momentum's rule with its constant (``,\\quad \\mu = 0.8``, as :func:`with_constants` writes it: no space)
    in a tall frame's text column, 3.2 wide: the constant goes on a line of its own and the rule is set at the
    caption size, not scaled below it (it was one line too wide, scaled to 0.84 of the caption size)."""
    from manim import tempconfig

    from gdscenes.drawing import type_scale
    from gdscenes.drawing.panel import rule_block
    from gdscenes.production.render import frame_config
    from gdscenes.scenes.descent import with_constants

    lines = with_constants(OPTIMIZERS["momentum"].rule_latex_lines, {"lr": 0.05, "momentum": 0.8})
    assert lines[0].endswith(r",\quad \mu = 0.8")
    with tempconfig(frame_config("l", "9:16")):
        rule = rule_block(r" \\ ".join(lines), 3.2, "#ffffff")
        three = type_scale.math(r"v_{k+1} &= \mu v_k + \nabla f(\theta_k) \\ \mu &= 0.8 \\ "
                                r"\theta_{k+1} &= \theta_k - \eta\, v_{k+1}", "caption")
        assert rule.height == pytest.approx(three.height, rel=1e-6) and rule.width == pytest.approx(three.width, rel=1e-6)
        assert rule.width <= 3.2


def test_a_status_line_under_the_rows_goes_under_the_key_in_the_card() -> None:
    """A grid whose status line has no room right of the rule (Adam's five-line rule in a tall frame) puts it under
    the key that :meth:`add_below` put under the rows, inside the card, clear of the key (it was drawn over it)."""
    from manim import tempconfig

    from gdscenes.drawing.key import Key
    from gdscenes.production.render import frame_config

    rule = r" \\ ".join(OPTIMIZERS["adam"].rule_latex_lines)
    extra = [("m", r"m_{k+1} ="), ("v", r"v_{k+1} ="), ("precond", r"P_{k+1} =")]
    with tempconfig(frame_config("l", "9:16")):
        panel = UpdatePanel("Adam on an ill-conditioned quadratic", rule, DARK, width=4.3, extra_rows=extra,
                            max_height=0.0)
        assert panel.grid and not panel.status_beside
        key = panel.add_below(Key([("#8e44ad", r"12.3 \times P_{k+1},\ \ P = \eta / (\sqrt{\hat v}+\epsilon)")],
                                  DARK, width=4.3).entries)
        status = panel.set_status("loss 0.0006494 after 60 steps")
        assert status.get_top()[1] < key.get_bottom()[1]
        assert panel.background.get_bottom()[1] < status.get_bottom()[1]


def test_split_constants_takes_the_constants_and_keeps_the_equations() -> None:
    """The constants :func:`with_constants` appends (``\\mu = 0.8``, ``\\epsilon = 10^{-8}``) come out, in order;
    an equation after ``\\quad`` (Adam's ``\\hat v``) stays in the rule."""
    from gdscenes.drawing.panel import split_constants
    from gdscenes.scenes.descent import with_constants

    lines = with_constants(OPTIMIZERS["momentum"].rule_latex_lines, {"lr": 0.05, "momentum": 0.8})
    rule, constants = split_constants(r" \\ ".join(lines))
    assert constants == [(r"\mu", "0.8")]
    assert rule == r" \\ ".join(OPTIMIZERS["momentum"].rule_latex_lines)
    adam = with_constants(OPTIMIZERS["adam"].rule_latex_lines, {"lr": 0.1, "betas": (0.9, 0.999), "eps": 1e-8})
    rule, constants = split_constants(r" \\ ".join(adam))
    assert constants == [(r"\beta_1", "0.9"), (r"\beta_2", "0.999"), (r"\epsilon", "10^{-8}")]
    assert r"\hat v_{k+1}" in rule and "0.999" not in rule and r"\quad" in rule  # (m-hat's line keeps v-hat)


def test_a_wide_panel_too_tall_for_its_band_puts_the_constants_on_the_rate_row() -> None:
    """Momentum's panel in a square frame's band, 7.4 wide, 2.9 tall (momentum-inertia at 1:1): with mu on a line of
    its own the rule column is three lines of caption size and the card 3.03 tall, shrunk to fit. Mu goes on eta's
    row, right of the room for eta's number (its "=" on that row's middle), the rule is two lines at the body size,
    and the card fits. Eta's number, however long, stops short of mu."""
    from manim import tempconfig

    from gdscenes.drawing import type_scale
    from gdscenes.production.render import frame_config
    from gdscenes.scenes.descent import with_constants

    rule = r" \\ ".join(with_constants(OPTIMIZERS["momentum"].rule_latex_lines, {"lr": 0.05, "momentum": 0.8}))
    with tempconfig(frame_config("l", "1:1")):
        tall = UpdatePanel("Momentum on an ill-conditioned quadratic", rule, DARK, width=7.4,
                           extra_rows=[("velocity", r"v_{k+1} =")], max_height=100.0)
        panel = UpdatePanel("Momentum on an ill-conditioned quadratic", rule, DARK, width=7.4,
                            extra_rows=[("velocity", r"v_{k+1} =")], max_height=2.9)
        assert panel.wide and not panel.grid and tall.wide
        assert tall.background.height > 2.9 >= panel.background.height
        two = type_scale.math(r" \\ ".join(OPTIMIZERS["momentum"].rule_latex_lines), "body")
        assert panel.rule.height == pytest.approx(two.height, rel=1e-6)
        (mu,) = panel.constants
        eta = panel.labels[[key for key, _ in panel.rows].index("lr")]
        assert mu[0][-1].get_center()[1] == pytest.approx(eta[0][-1].get_center()[1], abs=1e-6)
        assert mu.get_right()[0] <= panel.background.get_right()[0]
        for lr in (0.05, 0.000123):
            rows = panel.show_step(3, (1.0, 2.0), (0.5, -0.25), lr, (0.9, 2.1), 1.5, extra=[spell_vector((0.5, 1.0))])
            drawn = [g for g in rows[3].submobjects if len(g.points)]
            assert max(g.get_right()[0] for g in drawn) < mu.get_left()[0] - 0.1
        assert rows[3].text == "0.000123"


def test_a_wide_panel_is_as_tall_as_its_taller_column() -> None:
    """A wide panel whose title and rule column is taller than its rows (a long title over Adam's five lines): the
    card holds that column, its status line and the padding, no more (it was that column's excess over the rows
    taller again)."""
    from manim import tempconfig

    from gdscenes.drawing.card import PAD
    from gdscenes.drawing import type_scale
    from gdscenes.production.render import frame_config

    rule = r" \\ ".join(OPTIMIZERS["adam"].rule_latex_lines)
    with tempconfig(frame_config("l", "1:1")):
        panel = UpdatePanel("Adam on the six-hump camel, a long title that wraps", rule, DARK, width=7.4,
                            max_height=100.0)
        assert panel.wide
        column = panel.title.get_top()[1] - panel.rule.get_bottom()[1]
        assert column > panel.labels.height
        want = column + 2.6 * type_scale.height("caption") + 2 * PAD
        assert panel.background.height == pytest.approx(want, abs=1e-6)
