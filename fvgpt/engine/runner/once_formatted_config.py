"""A Config whose formatted text (``pretty_text``) is computed once per distinct content."""
import hashlib
from collections import OrderedDict
from typing import Union

from mmengine.config import Config

#: Formatted texts kept, newest last: one entry per distinct config a process has formatted.
MAX_TEXTS = 64
# sha256 of mmengine's unformatted text -> the text yapf made of it.
_TEXTS: 'OrderedDict[str, str]' = OrderedDict()


class OnceFormattedConfig(Config):
    """mmengine's ``Config`` with ``pretty_text`` formatted by yapf once per distinct content.

    mmengine asks a Runner's config for ``pretty_text`` five or more times (the log, the dumped
    config, each visualizer backend, the runtime info, every checkpoint's meta), and each call
    runs yapf over the whole config, which costs far more than a toy-world stage. Here the text
    mmengine builds before yapf (its own formatter with ``format_python_code`` off, a cheap walk
    of the dict) is the key: the yapf output is a function of that text alone, so a hit returns
    exactly what mmengine would have returned, and any change of the config (a new key, another
    value, a value of another type) changes the key and formats again.
    """

    @property
    def pretty_text(self) -> str:
        """str: mmengine's formatted config text, from the process-wide cache when seen."""
        if not self._format_python_code:
            return Config.pretty_text.fget(self)
        key = hashlib.sha256(self.unformatted_text().encode('utf-8')).hexdigest()
        text = _TEXTS.get(key)
        if text is None:
            text = Config.pretty_text.fget(self)
            _TEXTS[key] = text
            while len(_TEXTS) > MAX_TEXTS:
                _TEXTS.popitem(last=False)
        else:
            _TEXTS.move_to_end(key)
        return text

    def unformatted_text(self) -> str:
        """The text mmengine gives to yapf: its ``pretty_text`` with formatting off.

        Returns:
            str: the config as Python source, not yet formatted.
        """
        own = self._format_python_code
        # Config.__setattr__ writes into the config dict, so the flag is set on the object.
        object.__setattr__(self, '_format_python_code', False)
        try:
            return Config.pretty_text.fget(self)
        finally:
            object.__setattr__(self, '_format_python_code', own)

    @classmethod
    def of(cls, cfg: Union[Config, dict]) -> 'OnceFormattedConfig':
        """The same config as an :class:`OnceFormattedConfig`, sharing its contents.

        Args:
            cfg (Config | dict): a config (its dict, file name, text and flags are kept) or a
                plain dict.

        Returns:
            OnceFormattedConfig: ``cfg`` itself when it is one already.
        """
        if isinstance(cfg, cls):
            return cfg
        if isinstance(cfg, Config):
            other = cls.__new__(cls)
            other.__setstate__(cfg.__getstate__())
            return other
        if isinstance(cfg, dict):
            return cls(cfg)
        raise TypeError(f'Expected an mmengine Config or a dict, got {type(cfg).__name__}.')


def clear_formatted_texts() -> None:
    """Forgets every formatted text (the next ``pretty_text`` of each config runs yapf)."""
    _TEXTS.clear()
