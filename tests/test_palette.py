"""Colour for everyone: the palette computed against colour-vision deficiencies and contrast.

The colour science (Machado et al. 2009 simulation, CIEDE2000, WCAG contrast)
is checked first against published values; then every theme's colours are
measured with it: series colours of a lesson at least 20 apart (CIEDE2000)
under deuteranopia, protanopia and tritanopia, lines and marks at least 3:1
and text at least 4.5:1 against what lies behind them.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from gdscenes.display import palette, vision
from gdscenes.display.palette import MARK_CONTRAST, MIN_SERIES_DIFFERENCE, TEXT_CONTRAST, THEMES, Theme

# -- the colour science, against published numbers ----------------------------------------

#: Sharma, Wu & Dalal (2005), table 1: pairs 1, 7, 13, 17, 25 and 34 with their CIEDE2000.
SHARMA = [
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.4900, -0.0010), (50.0, -2.4900, 0.0011), 7.2195),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
]


@pytest.mark.parametrize("lab1, lab2, expected", SHARMA)
def test_ciede2000_matches_sharma(lab1: tuple, lab2: tuple, expected: float) -> None:
    assert float(vision.delta_e2000(np.array(lab1), np.array(lab2))) == pytest.approx(expected, abs=1e-4)
    assert float(vision.delta_e2000(np.array(lab2), np.array(lab1))) == pytest.approx(expected, abs=1e-4)


def test_lab_and_contrast_against_known_values() -> None:
    assert vision.lab("#FFFFFF") == pytest.approx([100.0, 0.0, 0.0], abs=1e-3)
    assert vision.lab("#FF0000") == pytest.approx([53.24, 80.09, 67.20], abs=0.02)  # sRGB red, D65
    assert vision.contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert vision.contrast("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)  # the grey WCAG calls the least for text
    assert vision.contrast("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)


def test_machado_simulation() -> None:
    # Each matrix keeps white and black (rows sum to 1), as in the paper.
    for deficiency, matrix in vision.MACHADO.items():
        assert matrix.sum(axis=1) == pytest.approx(np.ones(3), abs=2e-3), deficiency
        assert vision.simulate("#FFFFFF", deficiency) == pytest.approx(np.ones(3), abs=2e-3)
    # Deuteranopia's classic confusion: red and green become close; tritanopia keeps them apart.
    red, green = "#D0312D", "#4C9A2A"
    assert vision.difference(red, green, "deuteranopia") < 0.5 * vision.difference(red, green)
    assert vision.difference(red, green, "tritanopia") > 0.7 * vision.difference(red, green)
    # Hand-worked: pure red under protanopia is M[:, 0] of linear light, re-encoded.
    expected = vision.encode(vision.MACHADO["protanopia"][:, 0])
    assert vision.simulate("#FF0000", "protanopia") == pytest.approx(expected)


def test_legible_reaches_the_ratio_and_keeps_the_hue() -> None:
    dark_yellow = vision.legible("#FDE725", "#FFFFFF", 3.0)
    assert vision.contrast(dark_yellow, "#FFFFFF") == pytest.approx(3.0, abs=0.02)
    hue = np.degrees(np.arctan2(*vision.lab(dark_yellow)[[2, 1]]))
    assert hue == pytest.approx(np.degrees(np.arctan2(*vision.lab("#FDE725")[[2, 1]])), abs=12)


# -- the palette ------------------------------------------------------------------------


def worst_pair(colours: list[str]) -> tuple[float, str, str, str]:
    """The closest pair of ``colours`` over normal vision and the three deficiencies."""
    worst = (np.inf, "", "", "")
    for a, b in itertools.combinations(colours, 2):
        for deficiency in (None, *vision.DEFICIENCIES):
            d = vision.difference(a, b, deficiency)
            if d < worst[0]:
                worst = (d, a, b, deficiency or "normal vision")
    return worst


@pytest.mark.parametrize("theme", THEMES.values(), ids=THEMES)
def test_series_colours_apart_for_every_deficiency(theme: Theme) -> None:
    worst, a, b, how = worst_pair(list(theme.series))
    assert worst >= MIN_SERIES_DIFFERENCE, f"{theme.name}: {a} and {b} only {worst:.1f} apart under {how}"
    assert theme.trail == theme.ball
    # The single ball is the first series colour, but in the light theme, where that rust is faint on the
    # surface's dark purple (test_the_single_ball_stands_out_where_it_rests): a brighter red-orange there.
    assert theme.ball == (theme.series[0] if theme.name == "dark" else palette.LIGHT_BALL)


def lesson_colours(theme_name: str) -> dict[str, list[str]]:
    """The series colours each comparison lesson and each internals lesson draws, in ``theme_name``."""
    from gdscenes.production.render import variant
    from gdscenes.scenes.compare import ComparisonScene
    from gdscenes.scenes.optimizer_internals import InternalsScene
    from gdscenes.scenes.registry import SCENES

    theme = palette.get_theme(theme_name)
    found = {}
    for name, cls in SCENES.items():
        if issubclass(cls, ComparisonScene):
            lesson = variant(cls, theme=theme_name)
            runs = lesson.descend(lesson.get_loss())
            found[name] = sorted({r.color for r in runs})
        elif issubclass(cls, InternalsScene):
            found[name] = [theme.ball, theme.series_color(1), theme.series_color(3)]
    return found


@pytest.mark.parametrize("theme_name", THEMES)
def test_each_lesson_series_apart_for_every_deficiency(theme_name: str) -> None:
    found = lesson_colours(theme_name)
    assert {"race", "learning-rate", "sgd-noise", "local-minima"} <= set(found)
    assert len(found["race"]) == 5  # five optimizers, five colours
    for name, colours in found.items():
        worst, a, b, how = worst_pair(colours)
        assert worst >= MIN_SERIES_DIFFERENCE, f"{name} ({theme_name}): {a} and {b} only {worst:.1f} apart under {how}"


@pytest.mark.parametrize("theme", THEMES.values(), ids=THEMES)
def test_text_contrast(theme: Theme) -> None:
    # Text lies on the background (axis names, tick labels, colour bar) and on the cards (panels, legends).
    for behind, where in ((theme.background, "background"), (theme.card, "card"), (theme.floor, "floor")):
        for colour, what in ((theme.text, "text"), (theme.muted, "muted text")):
            ratio = vision.contrast(colour, behind)
            assert ratio >= TEXT_CONTRAST, f"{theme.name}: {what} {colour} on the {where}: {ratio:.2f}:1"


@pytest.mark.parametrize("theme", THEMES.values(), ids=THEMES)
def test_marks_contrast(theme: Theme) -> None:
    marks = {"axes": theme.axes, "shadow": theme.shadow, **{f"series {i}": c for i, c in enumerate(theme.series)}}
    for behind, where in ((theme.background, "background"), (theme.card, "card"), (theme.floor, "floor")):
        for what, colour in marks.items():
            ratio = vision.contrast(colour, behind)
            assert ratio >= MARK_CONTRAST, f"{theme.name}: {what} {colour} on the {where}: {ratio:.2f}:1"


@pytest.mark.parametrize("theme", THEMES.values(), ids=THEMES)
def test_contour_lines_contrast_on_the_floor(theme: Theme) -> None:
    for h in np.linspace(0.0, 1.0, 41):
        line = theme.line_color(float(h))
        ratio = vision.contrast(line, theme.floor)
        assert ratio >= MARK_CONTRAST, f"{theme.name}: contour at height {h:.2f} ({line}) {ratio:.2f}:1 on the floor"
    # Still the surface's colour, only lighter or darker: the hue of the mid levels is kept.
    mid = vision.lab(theme.line_color(0.5))
    surface = vision.lab(palette.colormap(0.5))
    assert np.degrees(np.arctan2(mid[2], mid[1])) == pytest.approx(np.degrees(np.arctan2(surface[2], surface[1])), abs=15)


def test_arrows_on_the_surface_have_a_halo() -> None:
    # An arrow drawn over the surface (any viridis colour) is set off by its halo at 3:1.
    for theme in THEMES.values():
        for colour in theme.series:
            assert vision.contrast(colour, palette.halo(colour)) >= MARK_CONTRAST, colour


def test_minimum_markers_stand_out_on_the_surface() -> None:
    from gdscenes.drawing.markers import STAR_FILL, STAR_RIM

    # A minimum lies at the bottom of the colormap (and near it): the white star keeps 3:1 there, its rim against it.
    for h in np.linspace(0.0, 0.5, 11):
        assert vision.contrast(STAR_FILL, palette.colormap(h)) >= MARK_CONTRAST, h
    assert vision.contrast(STAR_FILL, STAR_RIM) >= MARK_CONTRAST


def test_todays_palette_fails() -> None:
    """The palette before issue 15 fails these checks (so they can fail)."""
    old_accents = ("#FF5A1F", "#56B4E9", "#F0E442", "#CC79A7", "#E69F00")
    assert worst_pair(list(old_accents))[0] < MIN_SERIES_DIFFERENCE  # gd vs adam in the race under deuteranopia
    assert vision.contrast("#F0E442", "#FAFAF7") < MARK_CONTRAST  # the yellow accent in the light theme
    assert vision.contrast(palette.colormap(1.0), vision.over("#FFFFFF", "#FAFAF7", 0.6)) < MARK_CONTRAST  # outer contours


@pytest.mark.parametrize("theme", THEMES.values(), ids=THEMES)
def test_the_single_ball_stands_out_where_it_rests(theme: Theme) -> None:
    """The ball of a one-run lesson (and its trail) comes to rest at a minimum, on the bottom of the
    colormap: 3:1 against that surface, as against the background, the cards and the floor."""
    for h in np.linspace(0.0, palette.LOW_SURFACE, 7):
        for what, colour in (("ball", theme.ball), ("trail", theme.trail)):
            ratio = vision.contrast(colour, palette.colormap(h))
            assert ratio >= MARK_CONTRAST, f"{theme.name}: {what} {colour} on the surface at {h:.2f}: {ratio:.2f}:1"
    for behind in (theme.background, theme.card, theme.floor):
        assert vision.contrast(theme.ball, behind) >= MARK_CONTRAST
    # The light theme's old rust ball was faint there.
    assert vision.contrast("#C33C00", palette.colormap(palette.LOW_SURFACE)) < 2.0
