"""Every lesson is registered, checks its settings, and has a short file in scenes/."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from manim import Scene

from gdscenes.production.render import variant
from gdscenes.scenes.lesson import LessonScene
from gdscenes.scenes.registry import SCENES, get_scene

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ("learning-rate", "local-minima", "valley", "race", "contour", "loss-curve", "saddle")


@pytest.mark.parametrize("name", sorted(SCENES))
def test_lesson_is_registered_and_its_defaults_check(name: str) -> None:
    scene = get_scene(name)
    assert issubclass(scene, LessonScene)
    scene.check()


def test_options_a_lesson_does_not_have_are_ignored_when_not_given_and_refused_when_given() -> None:
    race = get_scene("race")
    assert variant(race, optimizer=None, steps=3).steps == 3
    with pytest.raises(ValueError, match="no setting 'optimizer'"):
        variant(race, optimizer="adam")


@pytest.mark.parametrize("name", LESSONS)
def test_lessons_accept_a_user_expression(name: str) -> None:
    scene = get_scene(name)
    if name == "local-minima":  # starts must lie in the expression's default domain
        scene = variant(scene, starts=((1.0, 1.0), (-1.0, 0.5)))
    elif name in ("learning-rate", "race"):
        scene = variant(scene, domain=((-3.0, 3.0), (-3.0, 3.0)))
    else:  # the expression's own default start
        scene = type(scene.__name__, (scene,), {"start": None})
    runs = variant(scene, loss="x^2 + 3*y^2 + 0.5*x*y", steps=20).check()
    assert runs is not None


def lesson_classes(path: Path) -> list[type[Scene]]:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [v for v in vars(module).values() if isinstance(v, type) and issubclass(v, LessonScene)
            and v.__module__ == module.__name__]


@pytest.mark.parametrize("path", sorted((ROOT / "scenes").glob("*.py")), ids=lambda p: p.name)
def test_scene_files_are_short_and_their_lessons_check(path: Path) -> None:
    assert len(path.read_text().splitlines()) <= 40
    classes = lesson_classes(path)
    assert classes
    for cls in classes:
        cls.check()


def test_every_registered_lesson_has_a_scene_file() -> None:
    bases = {base for path in (ROOT / "scenes").glob("*.py") for cls in lesson_classes(path) for base in cls.__mro__}
    assert set(SCENES.values()) <= bases


def test_gdscenes_is_a_manim_plugin() -> None:
    from importlib.metadata import entry_points

    (entry,) = [e for e in entry_points(group="manim.plugins") if e.name == "gdscenes"]
    assert entry.value == "gdscenes.plugin"
    from gdscenes.scenes import LearningRateScene

    assert entry.load().LearningRateScene is LearningRateScene


def test_name_module_and_class_agree() -> None:
    # race -> gdscenes/scenes/race.py -> RaceScene; sgd-noise -> sgd_noise.py -> SGDNoiseScene
    assert len(SCENES) == 20  # the README's "Twenty lessons"
    # every lesson has its file in the repository's scenes/, and every file there is a lesson
    assert {p.stem for p in (ROOT / "scenes").glob("*.py")} == {name.replace("-", "_") for name in SCENES}
    for name, cls in SCENES.items():
        assert cls.__module__ == "gdscenes.scenes." + name.replace("-", "_")
        assert cls.__name__.lower() == name.replace("-", "") + "scene"
        assert (ROOT / "scenes" / (name.replace("-", "_") + ".py")).is_file()


def test_public_scene_imports_keep_working() -> None:
    import gdscenes.scenes as scenes
    from gdscenes.scenes import DescentScene, OptimizerRaceScene, RaceScene, Run  # noqa: F401

    before = ["AdamPreconditionerScene", "CurvatureScene", "DerivationScene", "InternalsScene", "MomentumInertiaScene",
              "SGDNoiseScene", "ComparisonScene", "ContourScene", "DescentScene", "LearningRateScene", "LessonScene",
              "LocalMinimaScene", "LossCurveScene", "OptimizerRaceScene", "Run", "SaddleScene", "ValleyScene"]
    assert set(before) <= set(scenes.__all__)
    assert OptimizerRaceScene is RaceScene is SCENES["race"] and DescentScene is get_scene("descent")
    with pytest.raises(AttributeError):
        scenes.NoSuchScene  # noqa: B018


def test_a_lesson_registers_itself_with_the_decorator() -> None:
    from gdscenes.scenes.registry import lesson

    with pytest.raises(ValueError, match="lesson name 'race' is taken by gdscenes.scenes.race.RaceScene"):

        @lesson("race")
        class Impostor(LessonScene):
            pass

    # a new name registers (and is taken out again so other tests see the 20 lessons)
    try:

        @lesson("brand-new")
        class BrandNewScene(LessonScene):
            pass

        assert get_scene("brand-new") is BrandNewScene
    finally:
        dict.pop(SCENES, "brand-new")


def test_unknown_scene_names_suggest_the_closest() -> None:
    with pytest.raises(ValueError, match="unknown scene 'rcae'; did you mean 'race'"):
        get_scene("rcae")
    with pytest.raises(ValueError, match="choose one of: adam-preconditioner, contour"):
        get_scene("zzzzzz")


def test_the_catalog_reads_the_lessons_without_importing_manim() -> None:
    import subprocess
    import sys

    from gdscenes.scenes.registry import catalog

    listed = catalog()
    assert list(listed) == sorted(SCENES)
    for name, summary in listed.items():
        assert summary == (SCENES[name].__doc__ or "").strip().splitlines()[0]
    code = "import sys; from gdscenes.scenes.registry import catalog; catalog(); print('manim' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
