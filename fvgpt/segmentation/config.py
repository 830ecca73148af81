"""Loading an mmseg segmenter's config and computing the model key that identifies it."""
import copy
import hashlib
import json
import os
import os.path as osp
from typing import Any, Dict, Optional, Tuple, Union

from mmengine.config import Config

#: Config keys that do not change what a built-and-loaded segmenter predicts.
_IGNORED_KEYS = ('pretrained', 'init_cfg', 'train_cfg')
_file_digests: Dict[Tuple[str, int, int], str] = {}


def mmseg_config_dir() -> str:
    """The configs shipped inside the installed mmseg wheel (``mmseg/.mim/configs``)."""
    import mmseg
    return osp.join(osp.dirname(mmseg.__file__), '.mim', 'configs')


def resolve_config_path(config: str) -> str:
    """A config file's path; ``'mmseg::segformer/x.py'`` names a config shipped with mmseg."""
    path = config
    if config.startswith('mmseg::'):
        path = osp.join(mmseg_config_dir(), config[len('mmseg::'):])
    if not osp.isfile(path):
        hint = (f' (mmseg ships its configs in {mmseg_config_dir()})'
                if config.startswith('mmseg::') else '')
        raise FileNotFoundError(f'Segmenter config not found: {path}{hint}.')
    return path


def load_seg_config(config: Union[str, dict, Config], cfg_options: Optional[dict] = None) -> Config:
    """A private copy of a segmenter config that holds ``model`` and ``test_pipeline``.

    Args:
        config (str | dict | Config): A file path, ``'mmseg::<path>'`` (a config of the installed
            mmseg), a dict or a :class:`Config`.
        cfg_options (dict, optional): Overrides merged into the config. Defaults to None.
    """
    if isinstance(config, Config):
        cfg = copy.deepcopy(config)
    elif isinstance(config, dict):
        cfg = Config(copy.deepcopy(config))
    else:
        cfg = Config.fromfile(resolve_config_path(str(config)))
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    missing = [key for key in ('model', 'test_pipeline') if key not in cfg]
    if missing:
        raise ValueError(f'The segmenter config lacks {" and ".join(missing)}: a segmenter config '
                         'needs `model` (an mmseg segmentor) and `test_pipeline` (its inference '
                         'transforms, starting with a loading transform).')
    return cfg


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in _IGNORED_KEYS}
    if isinstance(value, (list, tuple)):
        return [_strip(v) for v in value]
    return value


def config_digest(cfg: Config) -> str:
    """sha256 of the parts of a config that decide predictions: ``model`` and ``test_pipeline``
    (without pretrained-weight and training settings)."""
    relevant = dict(
        model=_strip(cfg.model.to_dict()),
        test_pipeline=_strip([dict(t) for t in cfg.test_pipeline]))
    text = json.dumps(relevant, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode('utf-8')).hexdigest()


def file_digest(path: str) -> str:
    """sha256 of a file's bytes, computed once per process for a given size and mtime."""
    stat = os.stat(path)
    key = (osp.abspath(path), stat.st_size, stat.st_mtime_ns)
    if key not in _file_digests:
        sha = hashlib.sha256()
        with open(path, 'rb') as f:
            for block in iter(lambda: f.read(1 << 20), b''):
                sha.update(block)
        _file_digests[key] = sha.hexdigest()
    return _file_digests[key]
