"""Slides: manim-slides reads our decks (one slide per section), and the HTML presenter steps through them.

The decks are made from short clips of known, different colours (ffmpeg), so
what a slide shows can be checked against the colour it was made from; one
test renders a lesson with ``gdscenes slides`` end to end.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gdscenes.production import slides

COLOURS = ("red", "lime", "blue")
NAMES = ("intro", "step 1", "result")


def clip(path: Path, colour: str, seconds: float = 0.4) -> Path:
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", f"color=c={colour}:s=160x96:r=15:d={seconds}",
                    "-pix_fmt", "yuv420p", "-c:v", "libx264", str(path)], check=True)
    return path


@pytest.fixture(scope="module")
def sections(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A render's section folder as gdscenes writes it: manim's index, the section videos, the timing hooks."""
    folder = tmp_path_factory.mktemp("render") / "videos" / "sections" / "lesson"
    folder.mkdir(parents=True)
    index = []
    for i, (name, colour) in enumerate(zip(NAMES, COLOURS)):
        video = clip(folder / f"lesson_{i:04d}_{name.replace(' ', '-')}.mp4", colour)
        index.append({"name": name, "type": "default.normal", "video": video.name})
    (folder / "lesson.json").write_text(json.dumps(index))
    cues = [{"name": n, "text": f"caption of {n}"} for n in NAMES]
    (folder.parents[1] / "lesson.sections.json").write_text(json.dumps({"sections": cues}))
    return folder


@pytest.fixture(scope="module")
def deck(sections: Path, tmp_path_factory: pytest.TempPathFactory) -> slides.Deck:
    found = slides.read_sections(sections / "lesson.json", sections.parents[1] / "lesson.sections.json")
    return slides.write_deck(found, tmp_path_factory.mktemp("out") / "deck", "lesson", (160, 96))


def test_deck_json_is_manim_slides_format(deck: slides.Deck) -> None:
    config = json.loads(deck.json.read_text())
    assert [s["notes"] for s in config["slides"]] == [f"caption of {n}" for n in NAMES]
    assert config["resolution"] == [160, 96]
    for entry in config["slides"]:
        # relative to the folder above the slides folder, starting with the slides folder's name
        assert entry["file"].startswith("deck/files/lesson/")
        assert (deck.folder.parent / entry["file"]).is_file()
        assert entry["rev_file"] == entry["file"]
    names = [Path(e["file"]).name for e in config["slides"]]
    assert len(set(names)) == len(names) == 3


def manim_slides() -> list[str]:
    exe = Path(sys.executable).with_name("manim-slides")
    if not exe.exists():
        pytest.skip("manim-slides is not installed (pip install -e '.[test]')")
    return [str(exe)]


def test_manim_slides_lists_and_converts_to_pptx_one_slide_per_section(deck: slides.Deck, tmp_path: Path) -> None:
    pptx = pytest.importorskip("pptx")
    listed = subprocess.run(manim_slides() + ["list-scenes", "--folder", str(deck.folder)], capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr
    assert "lesson" in listed.stdout
    out = tmp_path / "deck.pptx"
    run = subprocess.run(manim_slides() + ["convert", "--folder", str(deck.folder), "lesson", str(out), "--to", "pptx"],
                         capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    presentation = pptx.Presentation(str(out))
    assert len(presentation.slides) == len(NAMES)
    notes = [s.notes_slide.notes_text_frame.text for s in presentation.slides]
    assert notes == [f"caption of {n}" for n in NAMES]


def test_manim_slides_converts_to_html(deck: slides.Deck, tmp_path: Path) -> None:
    out = tmp_path / "deck.html"
    run = subprocess.run(manim_slides() + ["convert", "--folder", str(deck.folder), "lesson", str(out), "--to", "html"],
                         capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assets = sorted(p.name for p in (tmp_path / "deck_assets").iterdir())
    assert assets == sorted(c.name for c in deck.clips)


def test_presenter_page_is_local(deck: slides.Deck) -> None:
    page = deck.html.read_text()
    assert "http://" not in page and "https://" not in page  # no network: no CDN, no remote script
    for c in deck.clips:
        assert f'"src": "files/lesson/{c.name}"' in page


def test_a_new_deck_of_the_same_name_removes_the_clips_it_no_longer_lists(sections: Path, tmp_path: Path) -> None:
    found = slides.read_sections(sections / "lesson.json")
    first = slides.write_deck(found, tmp_path / "deck", "lesson")
    second = slides.write_deck(found[:1], tmp_path / "deck", "lesson")
    assert [p.exists() for p in first.clips] == [True, False, False]
    assert len(json.loads(second.json.read_text())["slides"]) == 1


def test_bad_section_index_is_one_line_error(tmp_path: Path) -> None:
    index = tmp_path / "x.json"
    index.write_text("{}")
    with pytest.raises(ValueError, match="lists no sections"):
        slides.read_sections(index)
    index.write_text(json.dumps([{"name": "intro", "video": "../../etc/passwd"}]))
    with pytest.raises(ValueError, match="is not a file"):
        slides.read_sections(index)


# -- the HTML presenter in headless Chromium ---------------------------------------
def chromium_driver():  # type: ignore[no-untyped-def]
    webdriver = pytest.importorskip("selenium.webdriver")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_exe = shutil.which("chromedriver")
    if not browser or not driver_exe:
        pytest.skip("no chromium/chromedriver (Debian: apt-get install chromium chromium-driver; dev.sh installs them)")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--autoplay-policy=no-user-gesture-required", "--allow-file-access-from-files"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(driver_exe), options=options)


def wait_for(driver, script: str, timeout: float = 30.0):  # type: ignore[no-untyped-def]
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: d.execute_script(script))


def shown_colour(driver) -> list[int]:  # type: ignore[no-untyped-def]
    """The RGB of the middle of the video's current frame (drawn on a canvas)."""
    return driver.execute_script("""
        var v = document.getElementById('video'); var c = document.createElement('canvas');
        c.width = v.videoWidth; c.height = v.videoHeight; var g = c.getContext('2d'); g.drawImage(v, 0, 0);
        return Array.from(g.getImageData(c.width / 2, c.height / 2, 1, 1).data).slice(0, 3);""")


EXPECTED_RGB = {"red": (255, 0, 0), "lime": (0, 255, 0), "blue": (0, 0, 255)}


def test_presenter_plays_a_section_waits_then_advances_on_keys_and_click(deck: slides.Deck) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver = chromium_driver()
    try:
        driver.get(deck.html.as_uri())
        body = driver.find_element(By.TAG_NAME, "body")

        def at(i: int) -> None:
            assert wait_for(driver, f"return window.presenter.index === {i} && "
                                    "document.getElementById('video').readyState >= 2")
            src = driver.execute_script("return document.getElementById('video').currentSrc")
            assert src.endswith(deck.clips[i].name), src
            # the frame shown is the section's own colour (h264 in Chromium decodes it)
            rgb = shown_colour(driver)
            want = EXPECTED_RGB[COLOURS[i]]
            assert all(abs(a - b) < 40 for a, b in zip(rgb, want)), (rgb, want)

        at(0)
        # it plays to the end of the section and then waits there
        assert wait_for(driver, "return window.presenter.ended === true")
        assert driver.execute_script("return document.getElementById('video').ended") is True
        assert driver.execute_script("return window.presenter.index") == 0
        body.send_keys(Keys.ARROW_RIGHT)
        at(1)
        body.send_keys(Keys.ARROW_LEFT)
        at(0)
        body.send_keys(Keys.SPACE)
        at(1)
        body.click()
        at(2)
        body.send_keys(Keys.ARROW_RIGHT)  # past the last section: stays there
        assert driver.execute_script("return window.presenter.index") == 2
    finally:
        driver.quit()


# -- end to end: a lesson rendered with sections ----------------------------------
@pytest.mark.render
def test_cli_slides_one_slide_per_section_of_the_lesson(tmp_path: Path) -> None:
    pptx = pytest.importorskip("pptx")
    media = tmp_path / "media"
    env = {k: v for k, v in os.environ.items() if k != "GDSCENES_RENDERER"}  # (the renderer a user gets)
    run = subprocess.run([str(Path(sys.executable).with_name("gdscenes")), "slides", "descent", "-q", "l", "--steps", "3",
                          "--media-dir", str(media), "--name", "lesson.v2", "--set", "scene.hold_seconds=0.5"],
                         capture_output=True, text=True, env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    folder = media / "slides"  # (the name has a dot: the sections must keep it, manim names them by its stem)
    config = json.loads((folder / "lesson.v2.json").read_text())
    # 3 steps of the default pacing are each longer than a section's minimum: intro, step 1, 2, 3, result
    assert [Path(s["file"]).stem.split("_", 2)[2] for s in config["slides"]] == \
        ["intro", "step-1", "step-2", "step-3", "result"]
    assert config["slides"][1]["notes"].startswith("Step 1: loss ")
    assert config["resolution"] == [854, 480]
    assert config["background_color"] == "#0E1117"  # the dark theme's background
    out = tmp_path / "lesson.pptx"
    converted = subprocess.run(manim_slides() + ["convert", "--folder", str(folder), "lesson.v2", str(out), "--to", "pptx"],
                               capture_output=True, text=True, cwd=tmp_path)
    assert converted.returncode == 0, converted.stderr
    assert len(pptx.Presentation(str(out)).slides) == 5
    assert (folder / "lesson.v2.html").is_file()


# -- the command line, without rendering -------------------------------------------
@pytest.mark.parametrize("argv", [["slides", "descent"], ["render", "descent", "--slides"]])
def test_cli_slides_and_render_slides_render_with_sections(argv: list[str], monkeypatch: pytest.MonkeyPatch,
                                                           tmp_path: Path) -> None:
    from gdscenes.cli.main import main

    seen = []

    def fake_make(spec, folder=None):  # type: ignore[no-untyped-def]
        seen.append((spec, folder))
        deck = slides.Deck("x", tmp_path, tmp_path / "x.json", tmp_path / "x.html", (tmp_path / "a.mp4",))
        return deck, {"video": str(tmp_path / "x.mp4")}

    monkeypatch.setattr(slides, "make", fake_make)
    assert main([*argv, "-q", "l", "--steps", "3", "--media-dir", str(tmp_path / "media")]) == 0
    (spec, folder), = seen
    assert spec.render["sections"] is True and spec.settings["steps"] == 3 and spec.render["quality"] == "l"
    assert folder is None


def test_cli_slides_bad_value_is_one_line_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from gdscenes.cli.main import main

    with pytest.raises(SystemExit) as exit_:
        main(["slides", "descent", "--lr", "-1", "--media-dir", str(tmp_path / "media")])
    assert exit_.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("gdscenes: error: ") and "optimizer.lr" in err and "\n" not in err
    assert not (tmp_path / "media").exists()
