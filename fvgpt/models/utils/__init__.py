from .frozen_state import freeze, is_frozen, keep_frozen_in_eval

__all__ = ['freeze', 'is_frozen', 'keep_frozen_in_eval']
