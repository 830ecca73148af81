"""A Config whose formatted text (``pretty_text``) is computed once per distinct content."""
import ast
import hashlib
from collections import OrderedDict
from typing import Optional, Union

import mmengine.config.config as mmengine_config
from mmengine.config import Config

#: Formatted texts kept, newest last: one entry per distinct config a process has formatted.
MAX_TEXTS = 64
#: Formatted top-level statements kept (a config has ~30; a protocol's stages share most).
MAX_STATEMENTS = 4096
#: mmengine's yapf style of ``Config.pretty_text``.
YAPF_STYLE = dict(
    based_on_style='pep8',
    blank_line_before_nested_class_or_def=True,
    split_before_expression_after_opening_paren=True)
# sha256 of mmengine's unformatted text -> the text yapf made of it.
_TEXTS: 'OrderedDict[str, str]' = OrderedDict()
# one top-level statement of an unformatted text -> yapf's formatting of it
_STATEMENTS: 'OrderedDict[str, str]' = OrderedDict()


class OnceFormattedConfig(Config):
    """mmengine's ``Config`` with ``pretty_text`` formatted by yapf once per distinct content.

    mmengine asks a Runner's config for ``pretty_text`` five or more times (the log, the dumped
    config, each visualizer backend, the runtime info, every checkpoint's meta), and each call
    runs yapf over the whole config, which costs far more than a toy-world stage. Here the text
    mmengine builds before yapf (its own formatter with ``format_python_code`` off, a cheap walk
    of the dict) is the key: the yapf output is a function of that text alone, so a hit returns
    exactly what mmengine would have returned, and any change of the config (a new key, another
    value, a value of another type) changes the key and formats again.

    A text not seen yet is formatted one top-level statement (``key = value``) at a time, each
    statement once per process: the stages of a protocol differ in a few statements (work dir,
    seed, checkpoint), and yapf's time grows faster than the text. mmengine's text has no
    comments or blank lines, so yapf formats each statement as it would within the whole file
    (a test compares the two on the shipped configs); a text that does not parse is formatted
    whole, as mmengine does.
    """

    @property
    def pretty_text(self) -> str:
        """str: mmengine's formatted config text, from the process-wide cache when seen."""
        if not self._format_python_code:
            return Config.pretty_text.fget(self)
        key = hashlib.sha256(self.unformatted_text().encode('utf-8')).hexdigest()
        text = _TEXTS.get(key)
        if text is None:
            text = _format_by_statement(self.unformatted_text())
            if text is None:
                text = Config.pretty_text.fget(self)  # mmengine's yapf call, and its error
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


def _format_by_statement(text: str) -> Optional[str]:
    """yapf's formatting of ``text``, one cached top-level statement at a time; None when the
    text does not parse."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    lines = text.split('\n')
    out, end = [], 0
    for node in tree.body:
        if node.lineno <= end:  # two statements on one line: not mmengine's text
            return None
        end = node.end_lineno
        statement = '\n'.join(lines[node.lineno - 1:node.end_lineno])
        formatted = _STATEMENTS.get(statement)
        if formatted is None:
            # mmengine's module attribute: the FormatCode mmengine itself would call
            formatted, _ = mmengine_config.FormatCode(statement, style_config=YAPF_STYLE)
            _STATEMENTS[statement] = formatted
            while len(_STATEMENTS) > MAX_STATEMENTS:
                _STATEMENTS.popitem(last=False)
        else:
            _STATEMENTS.move_to_end(statement)
        out.append(formatted)
    return ''.join(out)


def clear_formatted_texts() -> None:
    """Forgets every formatted text and statement (the next ``pretty_text`` of each config runs
    yapf)."""
    _TEXTS.clear()
    _STATEMENTS.clear()
