"""Shared fixtures: frames of rendered videos read back with PyAV."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np
import pytest


def pytest_configure(config: pytest.Config) -> None:
    # manim keeps one renderer per process (its mobject classes are converted
    # in place), so the test process renders with Cairo throughout; tests of
    # the OpenGL path and of the "auto" default run in child processes.
    os.environ.setdefault("GDSCENES_RENDERER", "cairo")


def read_frames(path: Path) -> np.ndarray:
    """All frames of a video as RGB arrays, shape ``(n, height, width, 3)``."""
    with av.open(str(path)) as container:
        return np.stack([frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)])


@pytest.fixture
def media(tmp_path: Path) -> Path:
    return tmp_path / "media"


@pytest.fixture
def python_ctrl_c() -> Iterator[None]:
    """Ctrl-C handled by Python's own handler during the test, whatever the test process was started with (a job
    started in the background from a script ignores SIGINT, and Python then leaves it ignored); the old one after."""
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)
