from .protocol import B2NProtocol

__all__ = ['B2NProtocol']
