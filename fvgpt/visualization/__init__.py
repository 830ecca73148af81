"""Pictures of what fvgpt's pipelines and models see (``tools/visualization/``)."""
from .sample_grid import SampleView, draw_tile, make_grid, sample_view, tile_shape

__all__ = ['SampleView', 'sample_view', 'draw_tile', 'make_grid', 'tile_shape']
