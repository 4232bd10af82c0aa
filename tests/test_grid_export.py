"""Grid compositing and exports, on small synthetic videos whose every frame is known."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from PIL import Image

from gdscenes.production.export import frame_at, gif, still, write_exports
from gdscenes.production.grid import compose, layout
from gdscenes.scenes.registry import SCENES
from tests.conftest import read_frames

W, H, FPS = 160, 96, 10


def solid_video(path: Path, colours: list[tuple[int, int, int]]) -> Path:
    """One frame per colour, a flat picture each (x264 keeps flat colours within a few levels)."""
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = W, H, "yuv420p"
        for colour in colours:
            image = np.empty((H, W, 3), dtype=np.uint8)
            image[:] = colour
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


RED, GREEN, BLUE, WHITE, GREY = (220, 30, 30), (30, 200, 40), (40, 40, 220), (235, 235, 235), (128, 128, 128)


def close(pixels: np.ndarray, colour: tuple[int, int, int], tol: float = 25) -> bool:
    return bool(np.abs(pixels.reshape(-1, 3).astype(float).mean(axis=0) - colour).max() < tol)


@pytest.fixture
def clips(tmp_path: Path) -> list[Path]:
    return [
        solid_video(tmp_path / "a.mp4", [RED] * 6),
        solid_video(tmp_path / "b.mp4", [GREEN] * 3),  # shorter: holds its last frame
        solid_video(tmp_path / "c.mp4", [BLUE] * 4 + [WHITE] * 2),
    ]


def test_layout_leaves_no_spare_tile_where_the_count_fits_a_screen_shaped_grid() -> None:
    assert [layout(n) for n in (1, 2, 3, 4, 6, 8, 9, 10, 12)] == [
        (1, 1), (2, 1), (3, 1), (2, 2), (3, 2), (4, 2), (3, 3), (5, 2), (4, 3)
    ]
    # 5 and 7 tiles in one row would be slivers: one spare tile each, never a whole spare row
    assert [layout(n) for n in (5, 7, 11)] == [(3, 2), (4, 2), (4, 3)]
    for n in range(1, 30):
        columns, rows = layout(n)
        assert columns * rows >= n and (columns - 1) * rows < n and columns * (rows - 1) < n, n


def test_grid_tiles_every_clip_under_its_label_and_holds_short_ones(clips: list[Path], tmp_path: Path) -> None:
    out = compose(clips, ["lr=0.001", "lr=0.01", "lr=0.1"], tmp_path / "grid.mp4")
    frames = read_frames(out)
    # 3 clips -> a row of 3 tiles of the clips' size (no empty fourth tile), each under a label strip
    strip = frames.shape[1] - H
    assert frames.shape[2] == 3 * W and strip >= 14
    assert len(frames) == 6  # the longest clip
    def tile(frame: np.ndarray, i: int) -> np.ndarray:
        row, col = divmod(i, 3)
        y, x = row * (H + strip) + strip, col * W
        return frame[y + 4 : y + H - 4, x + 4 : x + W - 4]
    first, last = frames[0], frames[-1]
    assert close(tile(first, 0), RED) and close(tile(first, 1), GREEN) and close(tile(first, 2), BLUE)
    assert close(tile(last, 1), GREEN)  # held
    assert close(tile(last, 2), WHITE)  # the third clip's own end
    assert frames.shape[2] == 3 * W  # (no fourth tile)
    labels = [first[row * (H + strip) : row * (H + strip) + strip, col * W : (col + 1) * W].astype(int)
              for row, col in ((0, 0), (0, 1), (0, 2))]
    for label in labels:
        assert (label.max(axis=-1) > 180).mean() > 0.005  # light text on the dark strip
    assert np.abs(labels[0] - labels[1]).sum() > 0 and np.abs(labels[1] - labels[2]).sum() > 0


def test_a_failed_grid_leaves_the_earlier_one(clips: list[Path], tmp_path: Path) -> None:
    out = compose(clips[:1], ["a"], tmp_path / "grid.mp4")
    before = out.read_bytes()
    with pytest.raises(ValueError, match="one label per video"):
        compose(clips, ["a"], out)
    with pytest.raises(OSError):
        compose([tmp_path / "missing.mp4"], ["x"], out)
    assert out.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == [
        "a.mp4", "b.mp4", "c.mp4", "grid.mp4"
    ]


def test_stills_pick_the_frame_at_a_time_or_the_last(clips: list[Path], tmp_path: Path) -> None:
    third = clips[2]  # blue for 0.0-0.3 s, white from 0.4 s
    assert close(frame_at(third, 0.25), BLUE) and close(frame_at(third, 0.45), WHITE)
    png = still(third, tmp_path / "last.png")
    image = np.asarray(Image.open(png).convert("RGB"))
    assert image.shape == (H, W, 3) and close(image, WHITE)


def test_gif_has_reduced_rate_and_size(clips: list[Path], tmp_path: Path) -> None:
    source = solid_video(tmp_path / "d.mp4", [RED, GREEN, BLUE, WHITE, GREY, GREEN])
    out = gif(source, tmp_path / "d.gif", fps=5, width=80)
    with Image.open(out) as image:
        assert image.size == (80, 48)
        # 6 frames at 10 fps = 0.6 s -> the frames at 0, 0.2 and 0.4 s
        assert image.n_frames == 3
        for k, colour in enumerate((RED, BLUE, GREY)):
            image.seek(k)
            assert close(np.asarray(image.convert("RGB")), colour)


def test_write_exports_puts_files_next_to_the_video(clips: list[Path], tmp_path: Path) -> None:
    from gdscenes.core.runner import run
    from gdscenes.core.losses import get_loss

    video = clips[0].rename(tmp_path / "clip_lr0.05.mp4")
    trajectory = run(get_loss("booth"), "gd", start=(1.0, -2.0), lr=0.05, steps=3)
    written = write_exports({"csv": True, "json": True, "gif": True, "stills": (0.1, "last")}, video, trajectory)
    assert [p.name for p in written] == [
        "clip_lr0.05.csv", "clip_lr0.05.json", "clip_lr0.05.gif", "clip_lr0.05_t0.1.png", "clip_lr0.05_last.png"
    ]
    assert all(p.exists() for p in written)
    assert (tmp_path / "clip_lr0.05.csv").read_text() == trajectory.to_csv()


def test_spare_tiles_show_a_legend_of_the_varied_settings_not_black(tmp_path: Path) -> None:
    """5 clips fill a 3 x 2 grid: the sixth tile names the varied setting instead of staying black."""
    from gdscenes.production.grid import LEGEND_BACKGROUND, varied_names

    colours = [RED, GREEN, BLUE, WHITE, GREY]
    videos = [solid_video(tmp_path / f"{i}.mp4", [c] * 2) for i, c in enumerate(colours)]
    labels = [f"lr={v}  momentum=0.9" for v in (0.001, 0.003, 0.01, 0.03, 0.1)]
    assert varied_names(labels) == ["lr", "momentum"]
    frames = read_frames(compose(videos, labels, tmp_path / "grid.mp4"))
    assert layout(5) == (3, 2)
    cell = frames.shape[1] // 2
    assert frames.shape[2] == 3 * W
    for i in range(6):  # no black cell: every tile (and the spare one) has something drawn
        row, col = divmod(i, 3)
        tile = frames[-1, row * cell + 2 : (row + 1) * cell - 2, col * W + 2 : (col + 1) * W - 2].astype(float)
        assert tile.mean() > 15, (i, tile.mean())
    spare = frames[-1, cell + 2 : 2 * cell - 2, 2 * W + 2 : 3 * W - 2].astype(int)
    assert close(spare, LEGEND_BACKGROUND, tol=30)  # mostly the legend's card
    assert (spare.max(axis=-1) > 150).mean() > 0.01  # with light text on it
    empty = compose(videos[:3], labels[:3], tmp_path / "row.mp4")  # (a full grid gets no legend)
    assert read_frames(empty).shape[2] == 3 * W


def test_a_sweep_shares_one_camera_that_keeps_every_path_in_sight() -> None:
    """Two learning rates of the descent lesson: the lesson's own camera hides both paths (and both
    balls at rest) behind Himmelblau's hills; the shared camera, chosen over both paths, shows them."""
    from gdscenes.display.view import View
    from gdscenes.display.visibility import fully_visible, hidden
    from gdscenes.production.grid import BALL_RADIUS
    from gdscenes.production.sweep import expand

    variants = expand(None, ["optimizer.lr=0.005,0.01"], raw={"scene": {"name": "descent"}}, same_camera=True)
    thetas = {v.spec.raw["camera"]["theta"] for v in variants}
    assert len(thetas) == 1 and all(v.spec.raw["camera"]["keep_in_sight"] is False for v in variants)
    shared = thetas.pop()
    assert all(v.spec.scene_class().orbit.theta == shared for v in variants)
    # One orbit speed for both tiles: the lesson's 1.5 degrees a second, or slower so the longer clip turns 20 degrees.
    def turning(variant: Any) -> float:  # (how long its camera turns: the steps and the hold)
        _, steps, hold = variant.spec.scene_class().clip_timing(int(variant.spec.found[0].stop_step[0]))
        return float(steps.sum()) + hold

    rates = {v.spec.scene_class().orbit.theta_rate for v in variants}
    assert len(rates) == 1 and 0 < rates.pop() * max(turning(v) for v in variants) <= 20.0 + 1e-6

    def in_sight(theta: float) -> list[tuple[bool, float]]:
        seen = []
        for v in variants:
            cls = v.spec.scene_class()
            loss = cls.get_loss()
            view = View.fit(loss.value, cls.plot_domain(loss), f_min=0.0)
            t = v.spec.found[0]
            stop = int(t.stop_step[0])
            path = view.resting_points(t.points[: stop + 1, 0, 0], t.points[: stop + 1, 0, 1], BALL_RADIUS)
            opening, steps, hold = cls.clip_timing(stop)
            rate, phi = cls.orbit.theta_rate, np.radians(cls.orbit.phi)
            end = np.radians(theta + rate * (opening + steps.sum() + hold))
            middle = np.radians(theta + rate * (opening + 0.6 * steps.sum()))
            seen.append((fully_visible(view, path[-1], BALL_RADIUS, phi, end), float(hidden(view, path, phi, middle).mean())))
        return seen

    own = in_sight(-60.0)  # the lesson's own orbit (Orbit().theta)
    assert not any(rest for rest, _ in own) and min(share for _, share in own) > 0.9
    chosen = in_sight(shared)
    assert all(rest for rest, _ in chosen) and max(share for _, share in chosen) < 0.1, chosen


@pytest.mark.parametrize("name", sorted(SCENES))
def test_every_lesson_takes_the_sweeps_shared_camera(name: str) -> None:
    """``gdscenes export`` and ``sweep`` expand two variants through the shared camera: every lesson, a
    curve's included (its camera does not turn: nothing changed), gets through it; a landscape's is turned.
    One variant alone keeps the lesson's own camera (turned for its own path, as ``render`` does)."""
    from gdscenes.production.sweep import expand

    variants = expand(None, ["scene.hold_seconds=3,4"], raw={"scene": {"name": name}}, same_camera=True)
    cls = variants[0].spec.scene_class()
    curve = len(cls.plot_domain(cls.get_loss())) == 1
    turned = not curve and getattr(cls, "orbit", None) is not None
    assert [("theta" in v.spec.raw.get("camera", {})) for v in variants] == [turned, turned]
    (alone,) = expand(None, [], raw={"scene": {"name": name}}, same_camera=True)
    assert "camera" not in alone.spec.raw
    orbit = getattr(alone.spec.scene_class(), "orbit", None)
    assert orbit is None or orbit.keep_in_sight


def test_a_grids_labels_name_the_settings_in_words(tmp_path: Path) -> None:
    """Each tile's label names what its variant sets in words, an optimizer by its name ("learning rate = 0.005
    optimizer = Adam", not "lr=0.005  optimizer=adam"), and the spare tile's heading lists them."""
    from gdscenes.production.grid import varied_names
    from gdscenes.production.sweep import MANIFEST_FORMAT, expand, finished_videos

    variants = expand(None, ["optimizer.lr=0.005,0.01", "optimizer.name=gd,adam"], raw={"scene": {"name": "descent"}})
    manifest = tmp_path / "clip.manifest.json"
    manifest.write_text(json.dumps({"format": MANIFEST_FORMAT,
                                    "outputs": {v.name: {"status": "ok", "video": f"{v.name}.mp4"} for v in variants}}))
    _, labels = finished_videos(variants, manifest)
    assert sorted(labels) == sorted(f"learning rate = {lr}  optimizer = {name}" for lr in ("0.005", "0.01")
                                    for name in ("Gradient descent", "Adam"))
    assert varied_names(labels) == ["learning rate", "optimizer"]
