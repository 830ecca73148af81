from .b2n import aggregate_b2n, format_b2n_table, format_b2n_tables, harmonic_mean

__all__ = ['aggregate_b2n', 'format_b2n_table', 'format_b2n_tables', 'harmonic_mean']
