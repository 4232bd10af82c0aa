"""A warm process's kept bakes (:class:`gdscenes.drawing.gl.renderer.BakedCache`): the least recently used are
dropped past the size limit, never released, since the render that made one may still draw it (a 1080p export
failed with moderngl's ``'InvalidObject' object has no attribute 'use'``)."""

from __future__ import annotations

from types import SimpleNamespace

from gdscenes.drawing.gl.renderer import BakedCache


class Bake:
    """A bake's stand-in: a texture size, and whether it was released."""

    def __init__(self, width: int, height: int) -> None:
        self.texture = SimpleNamespace(size=(width, height))
        self.released = False

    def release(self) -> None:
        self.released = True


def test_past_its_limit_the_cache_drops_the_least_recently_used_without_releasing_it() -> None:
    ctx = object()
    size = 64 * 64 * 4 * 4 // 3  # (a 64x64 texture with its mipmaps)
    cache = BakedCache(max_bytes=10 * size)  # (room for ten; none larger than a quarter of it is kept)
    bakes = [Bake(64, 64) for _ in range(12)]
    for i, bake in enumerate(bakes):
        cache.put(ctx, i, bake)
        if i == 5:
            assert cache.get(ctx, 0) is bakes[0]  # (used: the least recently used is now 1)
    assert cache.bytes == 10 * size and len(cache.entries) == 10
    assert cache.get(ctx, 1) is None and cache.get(ctx, 2) is None and cache.get(ctx, 0) is bakes[0]
    assert not any(b.released for b in bakes)  # (dropped, still drawable by whoever holds it)
    assert cache.get(object(), 5) is None  # (another context's: not this one's)
