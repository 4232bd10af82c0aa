"""Step-by-step presentations of a lesson: one slide per section.

``gdscenes slides NAME|SPEC`` renders the lesson with sections (the intro,
each narrated step or group of fast steps, the result; see
:mod:`gdscenes.display.timeline`) and writes, into ``MEDIA_DIR/slides/``::

    slides/NAME.json              manim-slides' presentation (``manim-slides present|convert NAME``)
    slides/NAME.html              our own presenter: no network, videos by relative path
    slides/files/NAME/NAME_000_intro.mp4, ...   the section videos, one per slide

The JSON is manim-slides' ``PresentationConfig`` (5.1 and later read it):
each slide's ``file`` and ``rev_file`` are relative to the folder *above* the
slides folder (manim-slides joins them onto it), so they start with the
slides folder's own name; the clip names are unique in the deck (its HTML
converter flattens them into one folder); a slide's notes are its caption.

The presenter page plays a section and then waits on its last frame: the
right arrow, space, Page Down or a click go on to the next section, the left
arrow (or Page Up) goes back. Its script and styles are in the page itself.
Every file is written whole (:mod:`gdscenes.atomic`); clips of an earlier deck
of the same name that this one does not list are removed.
"""

from __future__ import annotations

import functools
import html
import json
import os
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from gdscenes.atomic import make_folder, replace_into, write_text
from gdscenes.production.names import slug

__all__ = ["Deck", "Slide", "read_sections", "write_deck", "make"]

#: The presenter page's template (package data).
TEMPLATE = "presenter.html"


@dataclass(frozen=True)
class Slide:
    """One section: its ``name`` (``"intro"``, ``"step 3"``, ``"steps 4-9"``, ``"result"``),
    the section ``video`` and the caption ``text`` (the slide's notes)."""

    name: str
    video: Path
    text: str = ""


@dataclass(frozen=True)
class Deck:
    """What :func:`write_deck` wrote."""

    name: str
    folder: Path
    json: Path
    html: Path
    clips: tuple[Path, ...]


def read_sections(index: str | Path, timing: str | Path | None = None) -> list[Slide]:
    """The slides of a render with sections: manim's section index ``index`` (``videos/sections/NAME/NAME.json``,
    a list of ``{"name", "video", ...}``) and, if given, the timing hooks ``NAME.sections.json`` for the captions."""
    index = Path(index)
    entries = json.loads(index.read_text(encoding="utf-8"))
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{index} lists no sections; render with sections (gdscenes render NAME --sections)")
    captions: dict[str, str] = {}
    if timing is not None and Path(timing).is_file():
        cues = json.loads(Path(timing).read_text(encoding="utf-8")).get("sections", [])
        captions = {str(c["name"]): str(c.get("text", "")) for c in cues}
    slides = []
    for entry in entries:
        video = index.parent / str(entry["video"])
        if Path(entry["video"]).name != entry["video"] or not video.is_file():
            raise ValueError(f"{index}: section video {entry['video']!r} is not a file in {index.parent}")
        name = str(entry.get("name", video.stem))
        slides.append(Slide(name, video, captions.get(name, "")))
    return slides


def write_deck(slides: list[Slide], folder: str | Path, name: str, resolution: tuple[int, int] = (1920, 1080),
               background: str = "#000000") -> Deck:
    """``folder/name.json`` (manim-slides), ``folder/name.html`` (our presenter) and the clips in
    ``folder/files/name/``; returns the :class:`Deck`."""
    if not slides:
        raise ValueError("a presentation needs at least one slide")
    if slug(name) != name:
        raise ValueError(f"presentation name {name!r} is not a plain file name")
    folder = make_folder(Path(folder)).resolve()
    clips_dir = make_folder(folder / "files" / name)
    clips: list[Path] = []
    for i, slide in enumerate(slides):
        clip = clips_dir / f"{name}_{i:03d}_{slug(slide.name.replace(' ', '-')) or 'section'}{slide.video.suffix}"
        replace_into(clip, functools.partial(_copy, slide.video))
        clips.append(clip)
    listed = {c.name for c in clips}
    for old in clips_dir.iterdir():  # an earlier deck's clips that this one does not list
        if old.is_file() and old.name.startswith(f"{name}_") and old.name not in listed:
            old.unlink(missing_ok=True)

    def from_parent(path: Path) -> str:  # manim-slides joins these onto the folder above ``folder``
        return (Path(folder.name) / path.relative_to(folder)).as_posix()

    config = {
        "slides": [{"file": from_parent(c), "rev_file": from_parent(c), "loop": False, "auto_next": False,
                    "notes": s.text} for s, c in zip(slides, clips)],
        "resolution": [int(resolution[0]), int(resolution[1])],
        "background_color": background,
    }
    json_path = write_text(folder / f"{name}.json", json.dumps(config, indent=2) + "\n")
    sections = [{"name": s.name, "src": c.relative_to(folder).as_posix(), "text": s.text} for s, c in zip(slides, clips)]
    html_path = write_text(folder / f"{name}.html", presenter_page(name, sections, background))
    return Deck(name, folder, json_path, html_path, tuple(clips))


def _copy(source: Path, temp: Path) -> None:
    shutil.copyfile(source, temp)


def presenter_page(title: str, sections: list[dict[str, Any]], background: str = "#000000") -> str:
    """The self-contained presenter page for ``sections`` (``{"name", "src", "text"}``, ``src`` relative to the page)."""
    template = resources.files("gdscenes").joinpath(TEMPLATE).read_text(encoding="utf-8")
    data = json.dumps(sections).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return (template.replace("{{TITLE}}", html.escape(title)).replace("{{BACKGROUND}}", html.escape(background))
            .replace("{{SECTIONS}}", data))


def make(spec: Any, folder: str | os.PathLike[str] | None = None) -> tuple[Deck, dict[str, Any]]:
    """Render validated ``spec`` with sections (through the render job) and write its deck into
    ``folder`` (default ``MEDIA_DIR/slides``); returns the deck and the render's record."""
    import dataclasses

    from gdscenes.production.job import run

    if not spec.render.get("sections"):
        spec = dataclasses.replace(spec, render=dict(spec.render, sections=True))
    name = spec.output_name()
    media = Path(spec.render["media_dir"])
    out = Path(folder) if folder is not None else media / "slides"
    record = run({"name": name, "raw": spec.raw}, spec)
    index = next((Path(p) for p in record["sections"] if p.endswith(".json")), None)
    if index is None:
        raise ValueError(f"scene {spec.scene!r} wrote no sections; it cannot be shown as slides")
    video = Path(record["video"])
    slides = read_sections(index, video.with_name(f"{video.stem}.sections.json"))
    deck = write_deck(slides, out, name, (int(record["width"]), int(record["height"])), _background(spec))
    return deck, record


def _background(spec: Any) -> str:
    """The lesson's background colour (its theme's), as ``#rrggbb``."""
    from gdscenes.display.palette import THEMES

    theme = spec.settings.get("theme", getattr(spec.scene_class(), "theme", "dark"))
    return str(THEMES[theme].background if theme in THEMES else "#000000")
