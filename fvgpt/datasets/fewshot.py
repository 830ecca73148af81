"""CoOp's few-shot draw, and its portable cache file.

The draw restates Dassl's ``DatasetBase.generate_fewshot_dataset`` as CoOp's ``train.py`` runs it:
``random.seed(seed)`` (``set_random_seed``), then the train draw with ``num_shots`` per class, then
the validation draw with ``min(num_shots, 4)`` per class, from the one global ``random`` stream.
Each draw groups the items by label in the order labels first appear in the split list and takes
``random.sample(items, k)`` per label, or all items (and no random number) when a label has fewer
than ``k``. Here the stream is a private ``random.Random(seed)``, which yields the same numbers as
the seeded global one without touching the global state.

The draw is cached as JSON (paths relative to the image folder, labels, and the SHA-256 of the
split source it was drawn from), never as pickles of absolute paths, so it moves with the data and
between machines. A cache whose source hash differs from the current split is an error, not a
silent redraw.
"""
import hashlib
import json
import logging
import os
import os.path as osp
import random
from collections import OrderedDict
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from mmengine.logging import print_log

from fvgpt.utils.io import dump_json_atomic

#: ``format`` field of the cache files this module writes.
FEWSHOT_FORMAT = 'fvgpt-fewshot-v1'

#: Most shots of the validation draw (CoOp: ``min(num_shots, 4)``).
MAX_VAL_SHOTS = 4

FewShotItem = Tuple[str, int]


def sample_per_label(items: Sequence[tuple], num_shots: int, rng: random.Random) -> List[tuple]:
    """Dassl's per-label draw (``generate_fewshot_dataset`` with ``repeat=False``).

    Args:
        items (Sequence[tuple]): the split list; ``item[1]`` is the label.
        num_shots (int): items per label (at least 1).
        rng (random.Random): the random stream; consumed exactly as Dassl consumes ``random``.

    Returns:
        list[tuple]: the drawn items, label by label in first-appearance order.
    """
    by_label: 'OrderedDict[int, List[tuple]]' = OrderedDict()
    for item in items:
        by_label.setdefault(item[1], []).append(item)
    out: List[tuple] = []
    for group in by_label.values():
        out.extend(rng.sample(group, num_shots) if len(group) >= num_shots else group)
    return out


def draw_fewshot(train: Sequence[tuple], val: Optional[Sequence[tuple]], num_shots: int,
                 seed: int) -> Dict[str, List[FewShotItem]]:
    """The few-shot subset CoOp draws for ``(num_shots, seed)``.

    Args:
        train (Sequence[tuple]): the train split list, ``(relpath, label, ...)``.
        val (Sequence[tuple], optional): the validation split list; None when the dataset does
            not sample it (ImageNet, whose validation set is the test set).
        num_shots (int): shots per class of the train draw.
        seed (int): the seed.

    Returns:
        dict: ``train`` (and ``val``) lists of ``(relpath, label)``.
    """
    if num_shots < 1:
        raise ValueError(f'num_shots must be >= 1 to draw a few-shot subset, got {num_shots}.')
    rng = random.Random(seed)
    out = {'train': [(it[0], int(it[1])) for it in sample_per_label(train, num_shots, rng)]}
    if val is not None:
        val_shots = min(num_shots, MAX_VAL_SHOTS)
        out['val'] = [(it[0], int(it[1])) for it in sample_per_label(val, val_shots, rng)]
    return out


def fewshot_filename(num_shots: int, seed: int) -> str:
    """Name of the cache file of a draw: ``fewshot_{K}shot_seed{S}.json``."""
    return f'fewshot_{num_shots}shot_seed{seed}.json'


def sha256_of_files(paths: Sequence[str]) -> str:
    """SHA-256 of the bytes of ``paths``, each preceded by its base name."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(osp.basename(path).encode() + b'\0')
        with open(path, 'rb') as f:
            for chunk in iter(lambda: f.read(1 << 20), b''):
                digest.update(chunk)
    return digest.hexdigest()


def sha256_of_items(items: Sequence[tuple]) -> str:
    """SHA-256 of a listing of ``(relpath, label, ...)`` (for splits read from folders)."""
    digest = hashlib.sha256()
    for item in items:
        digest.update(f'{item[0]}\t{int(item[1])}\n'.encode())
    return digest.hexdigest()


def write_fewshot_file(path: str, draw: Dict[str, List[FewShotItem]], *, dataset: str,
                       num_shots: int, seed: int, source: str, source_sha256: str) -> None:
    """Writes a draw as a portable JSON cache, atomically (safe with several processes).

    Args:
        path (str): the file to write.
        draw (dict): ``train`` (and ``val``) lists of ``(relpath, label)``.
        dataset (str): the dataset name.
        num_shots (int): shots of the draw.
        seed (int): seed of the draw.
        source (str): the split source, relative to the dataset folder.
        source_sha256 (str): its hash.
    """
    content = OrderedDict(
        format=FEWSHOT_FORMAT,
        dataset=dataset,
        num_shots=num_shots,
        seed=seed,
        rule='CoOp/Dassl generate_fewshot_dataset: random.seed(seed); per label in first-'
        'appearance order random.sample(items, k) (all items when fewer); train with k = '
        'num_shots, then val with k = min(num_shots, 4); before the base/new cut',
        source=source,
        source_sha256=source_sha256,
        paths_relative_to='the image folder, as in the split file',
    )
    for key, items in draw.items():
        content[key] = [[rel, label] for rel, label in items]
    dump_json_atomic(content, path, indent=1)


def read_fewshot_file(path: str, *, num_shots: int, seed: int, source_sha256: str,
                      keys: Sequence[str]) -> Dict[str, List[FewShotItem]]:
    """Reads a draw written by :func:`write_fewshot_file` and checks that it still applies.

    Args:
        path (str): the cache file.
        num_shots (int): the shots asked for.
        seed (int): the seed asked for.
        source_sha256 (str): hash of the current split source.
        keys (Sequence[str]): the lists the draw must hold (``train`` and maybe ``val``).

    Returns:
        dict: ``train`` (and ``val``) lists of ``(relpath, label)``.

    Raises:
        ValueError: the file is not a fvgpt few-shot cache of this draw, or it was drawn from a
            different split source.
    """
    with open(path) as f:
        try:
            content = json.load(f)
        except json.JSONDecodeError as e:
            raise ValueError(f'The few-shot cache {path} is not valid JSON ({e}). Delete it; '
                             'it is redrawn identically on the next run.') from None
    if not isinstance(content, dict) or content.get('format') != FEWSHOT_FORMAT:
        raise ValueError(f'{path} is not a fvgpt few-shot cache (format {FEWSHOT_FORMAT}). '
                         'Move it away; the draw is redone on the next run.')
    if content.get('num_shots') != num_shots or content.get('seed') != seed:
        raise ValueError(f'{path} holds the draw of num_shots={content.get("num_shots")}, '
                         f'seed={content.get("seed")}, not num_shots={num_shots}, seed={seed}. '
                         'Was the file renamed? Delete it to redraw.')
    if content.get('source_sha256') != source_sha256:
        raise ValueError(
            f'The few-shot cache {path} was drawn from a split source '
            f'({content.get("source")}) with SHA-256 {content.get("source_sha256")}, but the '
            f'current one hashes to {source_sha256}: the split changed since the draw. Restore '
            'the original split file, or delete the cache to redraw from the current split '
            '(the same split, shots and seed always give the same draw).')
    out = {}
    for key in keys:
        if key not in content:
            raise ValueError(f'The few-shot cache {path} has no "{key}" list. Delete it to '
                             'redraw.')
        out[key] = [(str(rel), int(label)) for rel, label in content[key]]
    return out


def default_cache_home() -> str:
    """Where few-shot draws go when the dataset folder is read-only: ``$FVGPT_CACHE_DIR``, else
    ``~/.cache/fvgpt``."""
    return os.environ.get('FVGPT_CACHE_DIR') or osp.join(osp.expanduser('~'), '.cache', 'fvgpt')


def fewshot_cache_dirs(data_root: str,
                       dataset_root: str,
                       dataset_name: str,
                       source_sha256: str,
                       cache_dir: Optional[str] = None) -> List[str]:
    """The folders searched for a few-shot draw, the first being where it is written.

    Args:
        data_root (str): CoOp's ``$DATA`` folder (absolute).
        dataset_root (str): the dataset folder (absolute).
        dataset_name (str): the dataset's name (names the fallback folder).
        source_sha256 (str): the split source's SHA-256 (names the fallback folder).
        cache_dir (str, optional): the folder the user named (relative: from ``data_root``);
            then it is the only one. Defaults to ``<dataset folder>/split_fewshot``, then
            ``<default_cache_home()>/split_fewshot/<dataset_name>-<sha[:12]>``.

    Returns:
        list[str]: the folders, in the order they are tried.
    """
    if cache_dir:
        return [osp.join(data_root, osp.expanduser(cache_dir))]
    fallback = osp.join(default_cache_home(), 'split_fewshot',
                        f'{dataset_name}-{source_sha256[:12]}')
    return [osp.join(dataset_root, 'split_fewshot'), fallback]


def cached_fewshot_draw(dirs: Sequence[str], draw: Callable[[], Dict[str, List[FewShotItem]]], *,
                        dataset: str, num_shots: int, seed: int, source: str, source_sha256: str,
                        keys: Sequence[str]) -> Dict[str, List[FewShotItem]]:
    """The draw of ``(num_shots, seed)`` from the first of ``dirs`` that holds it, or ``draw()``
    written to the first of ``dirs`` that can be written (a warning names each one skipped).

    Args:
        dirs (Sequence[str]): cache folders (:func:`fewshot_cache_dirs`).
        draw (callable): makes the draw when no cache holds it.
        dataset (str): the dataset's name (logs, file header).
        num_shots (int): shots per class.
        seed (int): the draw's seed.
        source (str): the split's source, relative to the dataset folder (file header).
        source_sha256 (str): its SHA-256; a cached draw of another source is refused.
        keys (Sequence[str]): the lists the draw holds (``train``, and ``val`` when drawn).

    Returns:
        dict: the lists of ``(relpath, label)``.
    """
    name = fewshot_filename(num_shots, seed)
    for folder in dirs:
        path = osp.join(folder, name)
        if osp.isfile(path):
            result = read_fewshot_file(
                path, num_shots=num_shots, seed=seed, source_sha256=source_sha256, keys=keys)
            print_log(f'{dataset}: few-shot draw read from {path}', logger='current')
            return result
    result = draw()
    meta = dict(
        dataset=dataset, num_shots=num_shots, seed=seed, source=source, source_sha256=source_sha256)
    for i, folder in enumerate(dirs):
        path = osp.join(folder, name)
        try:
            write_fewshot_file(path, result, **meta)
        except OSError as e:
            if i + 1 == len(dirs):
                raise OSError(f'Cannot write the few-shot draw to {path} ({e}). Set '
                              'fewshot_cache_dir to a writable folder.') from e
            print_log(
                f'{dataset}: cannot write the few-shot draw in {folder} '
                f'({e.strerror or e}); writing it to {dirs[i + 1]} instead. Set '
                'fewshot_cache_dir to choose the folder.',
                logger='current',
                level=logging.WARNING)
            continue
        print_log(
            f'{dataset}: few-shot draw (num_shots={num_shots}, seed={seed}) written to {path}',
            logger='current')
        break
    return result
