"""Published numbers shipped as data: the ``metafile.yml`` of each method folder under configs/.

The files follow mmpretrain's model-zoo form (``Collections`` and ``Models``, each model with
``Results``: ``Task``, ``Dataset``, ``Metrics``), with a ``Source`` per result that says where the
number was published. Base-to-new results use ``Task: Base-to-New Generalization``, ``Dataset``
a CoOp dataset name or ``average`` (over the 11 datasets), and ``Metrics`` ``Base Accuracy``,
``New Accuracy``, ``HM``.
"""
import glob
from typing import Dict, Iterable, Optional, Union

import yaml

B2N_TASK = 'Base-to-New Generalization'
B2N_METRICS = {'Base Accuracy': 'base', 'New Accuracy': 'new', 'HM': 'hm'}
DEFAULT_METAFILES = 'configs/*/metafile.yml'


def load_published_b2n(
        metafiles: Union[str, Iterable[str]] = DEFAULT_METAFILES) -> Dict[str, Dict[str, dict]]:
    """Reads the published base-to-new results of every model in the metafiles.

    Args:
        metafiles (str | iterable of str): a glob pattern or paths. Defaults to
            ``'configs/*/metafile.yml'`` (relative to the working directory, the repository
            root for the tools).

    Returns:
        dict: ``{model name: {dataset: {'base', 'new', 'hm', 'source'}}}``.

    Raises:
        ValueError: a result lacks one of the three metrics or its source, or a model name
            appears twice; the message names the file and the model.
    """
    paths = sorted(glob.glob(metafiles)) if isinstance(metafiles, str) else list(metafiles)
    published: Dict[str, Dict[str, dict]] = {}
    where: Dict[str, str] = {}
    for path in paths:
        with open(path) as f:
            meta = yaml.safe_load(f) or {}
        for model in meta.get('Models', []):
            name = model.get('Name')
            if not name:
                raise ValueError(f'{path}: a model without "Name".')
            if name in where:
                raise ValueError(f'{path}: model "{name}" is also in {where[name]}; names must '
                                 'be unique across metafiles.')
            where[name] = path
            rows = {}
            for result in model.get('Results', []):
                if result.get('Task') != B2N_TASK:
                    continue
                metrics = result.get('Metrics', {})
                missing = [k for k in B2N_METRICS if k not in metrics]
                if not result.get('Source'):
                    missing.append('Source')
                if missing:
                    raise ValueError(
                        f'{path}: model "{name}", dataset "{result.get("Dataset")}": a '
                        f'{B2N_TASK} result needs {", ".join(B2N_METRICS)} and a Source '
                        f'(missing: {", ".join(missing)}).')
                row = {key: float(metrics[k]) for k, key in B2N_METRICS.items()}
                row['source'] = str(result['Source'])
                rows[str(result['Dataset'])] = row
            if rows:
                published[name] = rows
    return published


def published_for(
        protocol_methods: Iterable[dict],
        metafiles: Union[str, Iterable[str]] = DEFAULT_METAFILES) -> Dict[str, Dict[str, dict]]:
    """The published rows of each protocol method that names one (its ``paper`` key).

    Args:
        protocol_methods: the protocol config's ``methods`` entries.
        metafiles: as :func:`load_published_b2n`.

    Returns:
        dict: ``{method name: {dataset: row}}`` for the methods with ``paper``.

    Raises:
        KeyError: a ``paper`` names no model of the metafiles (the known ones are listed).
    """
    wanted = {m['name']: m['paper'] for m in protocol_methods if m.get('paper')}
    if not wanted:
        return {}
    published = load_published_b2n(metafiles)
    out = {}
    for method, model in wanted.items():
        if model not in published:
            raise KeyError(f'Method "{method}" names paper="{model}", which no metafile '
                           f'({metafiles}) holds. Known: {", ".join(sorted(published))}.')
        out[method] = published[model]
    return out


def paper_row(published: Optional[Dict[str, dict]], dataset: str) -> Optional[dict]:
    """The published row of ``dataset`` (``'average'`` for the average), or None."""
    return (published or {}).get(dataset)
