"""Production: specs, rendering a configured scene, sweeps (local and Dask), exports,
comparison grids, thumbnails, progress and system checks.

Imports the layers below (``core``, ``display``, ``scenes``); manim is imported
only where a video is rendered or decoded, never when a spec is read.
"""
