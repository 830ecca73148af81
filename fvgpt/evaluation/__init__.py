from .b2n import aggregate_b2n, format_b2n_table, format_b2n_tables, harmonic_mean
from .published import load_published_b2n, published_for
from .transfer import (aggregate_few_shot, aggregate_transfer, format_few_shot_table,
                       format_transfer_table)

__all__ = [
    'aggregate_b2n', 'format_b2n_table', 'format_b2n_tables', 'harmonic_mean', 'load_published_b2n',
    'published_for', 'aggregate_few_shot', 'aggregate_transfer', 'format_few_shot_table',
    'format_transfer_table'
]
