"""The OpenGL fast path: the lesson renderer, its overlay and floor textures, the
surface shader, frame read-back, and the probe that asks whether a GL context can
be made here (the probe imports no manim)."""
