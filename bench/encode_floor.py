"""The encoding floor: x264 alone on the frames of a clip, at gdscenes' settings.

    python bench/encode_floor.py CLIP.mp4 --out floor.mp4

Decodes ``CLIP.mp4`` into RGBA frames in memory (not timed), then times only
encoding them with libx264 at the settings gdscenes writes its videos with
(:data:`gdscenes.production.render.ENCODER_OPTIONS`, yuv420p), through PyAV from RGBA
frames as manim's encoder thread does. Prints the seconds and the settings as JSON.
"""

from __future__ import annotations

import argparse
import json
import time
from fractions import Fraction

import av

from gdscenes.production.render import ENCODER_OPTIONS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clip")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with av.open(args.clip) as source:
        stream = source.streams.video[0]
        rate = stream.average_rate or Fraction(30)
        frames = [f.to_ndarray(format="rgba") for f in source.decode(video=0)]
    height, width = frames[0].shape[:2]
    began = time.perf_counter()
    with av.open(args.out, mode="w") as target:
        out = target.add_stream("libx264", rate=rate, options=dict(ENCODER_OPTIONS))
        out.width, out.height, out.pix_fmt = width, height, "yuv420p"
        for pixels in frames:
            target.mux(out.encode(av.VideoFrame.from_ndarray(pixels, format="rgba")))
        target.mux(out.encode())
    print(json.dumps({"encode_seconds": time.perf_counter() - began, "frames": len(frames),
                      "settings": {"codec": "libx264", "pix_fmt": "yuv420p", **ENCODER_OPTIONS}}))


if __name__ == "__main__":
    main()
