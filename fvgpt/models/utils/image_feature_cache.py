"""A disk cache of frozen image-encoder features, keyed by everything that determines them.

A feature of a frozen, prompt-free image encoder (a backbone with ``image_encoder = 'clip'``,
docs/backbone_contract.md) depends on the encoder's weights, the input it was given (the image
file and the deterministic pipeline that made the input from it) and the precision it ran in;
nothing else. :meth:`ImageFeatureCache.entry_key` hashes exactly these:

- ``encoder``: the encoder's identity (model name, SHA-256 of its weights, the input
  normalization), from :meth:`BasePromptClassifier.feature_cache_encoder`;
- the image file: absolute path, size, modification and change times (``mtime_ns``,
  ``ctime_ns``) and inode: a rewritten or replaced file is another entry;
- ``pipeline``: the key of the pipeline config (``fvgpt.datasets.pipeline_identity``);
- ``precision``: the encoder's dtype, autocast dtype and device type.

On disk (``root``): ``chunks/<name>.pt``, one per stored batch (``{'keys': [...], 'feats':
(N, K, d)}`` in the dtype the encoder produced, and ``'metas'``: per feature, what the pipeline
put in the data sample and the input's shape, or None; ``CacheHitPipeline`` rebuilds a sample
from it without loading the image), written to a temporary file and renamed, and
``index.jsonl``, one line ``{"key", "chunk", "row"}`` per feature, appended after its chunk is in
place. An interrupted write leaves either no chunk (its lines were never written) or a torn last
index line, which does not parse; a line whose chunk is missing or unreadable, or whose chunk
holds another key at that row, is a miss. So an interruption costs recomputation, never a wrong
feature. Several processes may share a folder (each appends whole lines; readers pick up what
others appended on their next miss).
"""
import hashlib
import json
import logging
import os
import os.path as osp
import tempfile
import uuid
from typing import Any, Dict, List, Optional, Sequence, Tuple

import torch
from mmengine.logging import print_log

INDEX = 'index.jsonl'
CHUNKS = 'chunks'


class ImageFeatureCache:
    """Image features on disk under ``root``, with hit and miss counts.

    Args:
        root (str): the cache folder (created on the first store).
        max_chunks_in_memory (int): how many chunk files stay loaded. Defaults to 256.
    """

    _shared: Dict[str, 'ImageFeatureCache'] = {}

    def __init__(self, root: str, max_chunks_in_memory: int = 256):
        self.root = osp.abspath(osp.expanduser(root))
        self.max_chunks_in_memory = max_chunks_in_memory
        self._index: Dict[str, Tuple[str, int]] = {}
        self._index_offset = 0
        self._chunks: Dict[str, Dict[str, object]] = {}
        self._bad_chunks: set = set()
        #: Features served from the cache and features computed (missed) through it.
        self.hits = 0
        self.misses = 0
        self._refresh()

    @classmethod
    def shared(cls, root: str) -> 'ImageFeatureCache':
        """One cache object per folder in this process, so Runners run one after the other (a
        protocol's methods and seeds) share its loaded index and chunks and its counts."""
        root = osp.abspath(osp.expanduser(root))
        if root not in cls._shared:
            cls._shared[root] = cls(root)
        return cls._shared[root]

    # ------------------------------------------------------------------ keys
    @staticmethod
    def entry_key(encoder: str, pipeline: str, precision: str, img_path: str) -> Optional[str]:
        """The key of one feature, or None when the image file cannot be read (not cached)."""
        path = osp.abspath(img_path)
        try:
            stat = os.stat(path)
        except OSError:
            return None
        ident = [
            encoder, pipeline, precision, path, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns,
            stat.st_ino
        ]
        return hashlib.sha256(json.dumps(ident).encode()).hexdigest()

    # ------------------------------------------------------------------ reading
    def __len__(self) -> int:
        return len(self._index)

    def get(self, keys: Sequence[Optional[str]]) -> List[Optional[torch.Tensor]]:
        """The stored feature of each key (None for a miss or a None key); counts hits."""
        out = [entry[0] if entry is not None else None for entry in self.entries(keys)]
        self.hits += sum(f is not None for f in out)
        return out

    def entries(self, keys: Sequence[Optional[str]]) -> List[Optional[Tuple[torch.Tensor, Any]]]:
        """``(feature, meta)`` of each key (None for a miss or a None key), ``meta`` as
        :meth:`put` stored it (None when it was not given). Counts nothing: a data loader worker
        reads here, the model counts the features it uses."""
        out = [self._get_one(k) if k is not None else None for k in keys]
        if any(e is None and k is not None for e, k in zip(out, keys)):
            self._refresh()  # another process may have stored them meanwhile
            out = [e if e is not None or k is None else self._get_one(k) for e, k in zip(out, keys)]
        return out

    def _get_one(self, key: str) -> Optional[Tuple[torch.Tensor, Any]]:
        where = self._index.get(key)
        if where is None:
            return None
        chunk = self._load_chunk(where[0])
        if chunk is None:
            return None
        keys, feats = chunk['keys'], chunk['feats']
        row = where[1]
        if not (0 <= row < len(keys)) or keys[row] != key or row >= feats.shape[0]:
            return None
        metas = chunk.get('metas')
        meta = metas[row] if isinstance(metas, list) and row < len(metas) else None
        return feats[row], meta

    def _load_chunk(self, name: str) -> Optional[Dict[str, object]]:
        if name in self._chunks:
            return self._chunks[name]
        if name in self._bad_chunks:
            return None
        path = osp.join(self.root, CHUNKS, name)
        try:
            chunk = torch.load(path, map_location='cpu', weights_only=True)
            if not isinstance(chunk, dict) or not isinstance(chunk.get('feats'), torch.Tensor) \
                    or not isinstance(chunk.get('keys'), list):
                raise ValueError('not a feature chunk')
        except Exception as err:  # a missing or damaged chunk is a miss, said once
            self._bad_chunks.add(name)
            print_log(
                f'Feature cache: ignoring {path} ({type(err).__name__}: {err}); its '
                'features are recomputed.',
                logger='current',
                level=logging.WARNING)
            return None
        if len(self._chunks) >= self.max_chunks_in_memory:
            self._chunks.pop(next(iter(self._chunks)))
        self._chunks[name] = chunk
        return chunk

    def _refresh(self) -> None:
        """Reads the index lines appended since the last read (complete lines only)."""
        path = osp.join(self.root, INDEX)
        if not osp.isfile(path):
            return
        with open(path, 'rb') as f:
            f.seek(self._index_offset)
            data = f.read()
        end = data.rfind(b'\n') + 1  # a line still being written is read next time
        for line in data[:end].splitlines():
            try:
                entry = json.loads(line)
                self._index[entry['key']] = (str(entry['chunk']), int(entry['row']))
            except (ValueError, KeyError, TypeError):
                continue  # a torn line (interrupted append): its features are misses
        self._index_offset += end

    # ------------------------------------------------------------------ writing
    def put(self,
            keys: Sequence[Optional[str]],
            feats: torch.Tensor,
            metas: Optional[Sequence[Any]] = None) -> None:
        """Stores ``feats[i]`` under ``keys[i]`` (None keys are skipped); counts misses.

        Args:
            keys (Sequence[str | None]): one key per row of ``feats``.
            feats (torch.Tensor): ``(N, K, d)`` features.
            metas (Sequence, optional): per row, plain data (None, bool, int, float, str and
                lists, tuples and str-keyed dicts of them) stored with the feature and returned
                by :meth:`entries`; a value of another type is stored as None.
        """
        rows = [i for i, k in enumerate(keys) if k is not None]
        self.misses += len(rows)
        if not rows:
            return
        keys = [keys[i] for i in rows]
        feats = feats[rows].detach().to('cpu').contiguous().clone()
        chunk = dict(keys=keys, feats=feats)
        if metas is not None:
            # plain data only: chunks load with weights_only=True
            chunk['metas'] = [metas[i] if _is_plain(metas[i]) else None for i in rows]
        os.makedirs(osp.join(self.root, CHUNKS), exist_ok=True)
        name = f'{uuid.uuid4().hex}.pt'
        fd, tmp = tempfile.mkstemp(prefix='.', suffix='.tmp', dir=osp.join(self.root, CHUNKS))
        try:
            with os.fdopen(fd, 'wb') as f:
                torch.save(chunk, f)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, osp.join(self.root, CHUNKS, name))
        except BaseException:
            if osp.exists(tmp):
                os.remove(tmp)
            raise
        lines = ''.join(
            json.dumps(dict(key=k, chunk=name, row=i), separators=(',', ':')) + '\n'
            for i, k in enumerate(keys))
        # one write of whole lines in append mode: other writers' lines never interleave within
        fd = os.open(osp.join(self.root, INDEX), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, lines.encode())
        finally:
            os.close(fd)
        self._chunks[name] = chunk
        for i, k in enumerate(keys):
            self._index[k] = (name, i)


def _is_plain(value: Any) -> bool:
    """Whether ``value`` is built of None, bool, int, float, str, lists, tuples and str-keyed
    dicts only (what ``torch.load(weights_only=True)`` reads back as it was)."""
    # exact types: numpy's float64 is a float but does not load back with weights_only=True
    if value is None or type(value) in (bool, int, float, str):
        return True
    if type(value) in (list, tuple):
        return all(_is_plain(v) for v in value)
    if type(value) is dict:
        return all(isinstance(k, str) and _is_plain(v) for k, v in value.items())
    return False
