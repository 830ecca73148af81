from .atomic_local_backend import ATOMIC_LOCAL_BACKEND, AtomicLocalBackend, write_bytes_atomic

__all__ = ['ATOMIC_LOCAL_BACKEND', 'AtomicLocalBackend', 'write_bytes_atomic']
