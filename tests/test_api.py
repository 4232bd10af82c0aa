"""The Python API (``import gdscenes as gd``) and the quick-start notebook docs/quickstart.ipynb."""

from __future__ import annotations

import base64
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import gdscenes as gd
from gdscenes.production.spec import SpecError

ROOT = Path(__file__).resolve().parents[1]


def run_python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_import_is_light_until_a_function_is_used() -> None:
    out = run_python("import sys, inspect, gdscenes as gd; gd.render; gd.trajectory; gd.losses; inspect.signature(gd.render); "
                     "print(sorted(m for m in ('sympy', 'manim', 'numpy') if m in sys.modules)); "
                     "gd.losses(); print('sympy' in sys.modules, 'manim' in sys.modules)")
    assert out.splitlines() == ["[]", "True False"]


def test_old_module_names_still_import_beside_the_api_names() -> None:
    # gdscenes.render / .trajectory / .losses were modules before; they are API functions now
    out = run_python(
        "import gdscenes.render as r, gdscenes.trajectory, gdscenes.losses, gdscenes as gd\n"
        "from gdscenes.production.render import variant\n"
        "from gdscenes.losses import get_loss\n"
        "from gdscenes.core.trajectory import Trajectory\n"
        "print(r.variant is variant, gdscenes.trajectory.Trajectory is Trajectory, gd.losses.get_loss is get_loss,"
        " callable(gd.render), type(gd.losses()).__name__)")
    assert out == "True True True True dict"


def test_trajectory_matches_the_closed_form_of_gradient_descent_on_a_bowl() -> None:
    # f = x^2 + 3 y^2: one GD step multiplies x by 1 - 2 lr and y by 1 - 6 lr
    t = gd.trajectory("x**2 + 3*y**2", lr=0.1, start=(1.0, -2.0), steps=4)
    k = np.arange(5)[:, None]
    expected = np.hstack([0.8**k, -2.0 * 0.4**k])
    np.testing.assert_allclose(t.path(0), expected, rtol=1e-12)
    assert isinstance(t, gd.Trajectory)


def test_trajectory_passes_hyperparameters_and_library_names() -> None:
    # heavy-ball momentum on f = x^2 (1-D in x): v1 = g0, x1 = x0 - lr v1; v2 = m v1 + g1, x2 = x1 - lr v2
    t = gd.trajectory("x**2 + y**2", optimizer="momentum", lr=0.1, start=(1.0, 0.0), steps=2, momentum=0.9)
    x0 = 1.0
    x1 = x0 - 0.1 * (2 * x0)
    x2 = x1 - 0.1 * (0.9 * 2 * x0 + 2 * x1)
    np.testing.assert_allclose(t.path(0)[:, 0], [x0, x1, x2], rtol=1e-12)
    him = gd.trajectory("himmelblau", steps=0, start=(3.0, 2.0))
    assert him.final_losses[0] == pytest.approx(0.0, abs=1e-12)  # (3, 2) is a minimum of Himmelblau


def test_losses_is_the_library() -> None:
    library = gd.losses()
    assert {"himmelblau", "rosenbrock"} <= set(library)
    assert isinstance(library["rosenbrock"], gd.Loss)
    assert float(library["rosenbrock"].value(1.0, 1.0)) == pytest.approx(0.0)


@pytest.mark.parametrize(("settings", "message"), [
    ({"lr": -1.0}, "optimizer.lr"),
    ({"steps": 0}, "scene.steps"),
    ({"lrr": 0.1}, "scene.lrr"),
    ({"quality": "z"}, "render.quality"),
    ({"camera": "spin"}, "camera.preset"),
    ({"loss": "x**"}, "x**"),
])
def test_render_checks_settings_like_the_cli_before_rendering(settings: dict, message: str, tmp_path: Path) -> None:
    with pytest.raises(SpecError) as error:
        gd.render("descent", media_dir=str(tmp_path / "media"), **settings)
    assert message in str(error.value) and "\n" not in str(error.value)
    assert not (tmp_path / "media").exists()  # nothing written


def test_unknown_scene_names_the_choices() -> None:
    with pytest.raises(SpecError, match="descnt"):
        gd.render("descnt")


def test_spec_for_maps_keywords_to_spec_keys() -> None:
    spec = gd.spec_for("descent", loss="rosenbrock", lr=0.002, steps=5, start=(-1.0, 1.5), camera={"preset": "static"},
                       momentum=0.5, optimizer="momentum", quality="l", seconds_per_step=0.2)
    assert spec.settings["loss"] == "rosenbrock" and spec.settings["steps"] == 5
    assert spec.settings["lr"] == 0.002 and tuple(spec.settings["start"]) == (-1.0, 1.5)
    assert spec.settings["optimizer"] == "momentum" and spec.settings["hyperparams"]["momentum"] == 0.5
    assert spec.settings["camera_preset"] == "static" and spec.settings["seconds_per_step"] == 0.2
    assert spec.render["quality"] == "l"


def test_a_lesson_class_renders_as_itself_with_the_settings() -> None:
    from gdscenes.scenes.registry import SCENES

    base = SCENES["descent"]
    mine = type("MyDescent", (base,), {"seconds_per_step": 0.2})
    spec = gd.spec_for(mine, steps=4)
    cls = spec.scene_class()
    assert issubclass(cls, mine) and cls.steps == 4 and cls.seconds_per_step == 0.2
    assert gd.spec_for(base, steps=4).scene_class().__mro__[1] is base
    with pytest.raises(SpecError, match="not a lesson"):
        gd.spec_for(int)


def test_video_is_a_path_that_shows_as_an_embedded_video(tmp_path: Path) -> None:
    clip = tmp_path / "clip.mp4"
    subprocess.run(["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", "color=c=red:s=64x48:r=5:d=0.4",
                    "-pix_fmt", "yuv420p", str(clip)], check=True)
    video = gd.Video(clip)
    assert isinstance(video, Path) and video.exists() and video == clip
    page = video._repr_html_()
    found = re.search(r'<video[^>]*>\s*<source src="data:video/mp4;base64,([A-Za-z0-9+/=]+)" type="video/mp4">', page)
    assert found and base64.b64decode(found.group(1)) == clip.read_bytes()
    assert video._repr_mimebundle_()["text/html"] == page
    assert "no video" in gd.Video(tmp_path / "missing.mp4")._repr_html_()


# -- the notebook ----------------------------------------------------------------
@pytest.mark.render
def test_quickstart_notebook_runs_and_shows_the_video(tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    notebook = nbformat.read(ROOT / "docs" / "quickstart.ipynb", as_version=4)
    # the kernel is this interpreter's (ipykernel installed here registers "python3" for it)
    client = nbclient.NotebookClient(notebook, kernel_name="python3", timeout=600,
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code and all(c.execution_count for c in code)
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    shown = [o for c in code for o in c.outputs if o.output_type == "execute_result" and "text/html" in o.get("data", {})]
    assert len(shown) == 1 and "<video" in shown[0]["data"]["text/html"]
    assert (tmp_path / "media" / "videos" / "quickstart.mp4").stat().st_size > 0
    # the bowl cell's closed form: (0.8^k, 0.4^k)
    bowl = next(c for c in code if "bowl" in c.source)
    text = bowl.outputs[0]["data"]["text/plain"]
    assert "0.8" in text and "0.64" in text and "0.16" in text


def test_slides_renders_the_spec_with_sections(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from gdscenes.production import slides

    seen = []

    def fake_make(spec, folder=None):  # type: ignore[no-untyped-def]
        seen.append((spec, folder))
        return slides.Deck("x", tmp_path, tmp_path / "x.json", tmp_path / "x.html", ()), {}

    monkeypatch.setattr(slides, "make", fake_make)
    assert gd.slides("descent", steps=3, out=tmp_path / "deck") == tmp_path / "x.html"
    (spec, folder), = seen
    assert spec.render["sections"] is True and spec.render["quality"] == "l" and spec.settings["steps"] == 3
    assert folder == tmp_path / "deck"
