"""Loading the stage-1 (backbone) checkpoint FVG-PT's stage 2 starts from, with errors that name
the command producing the right one."""
import os.path as osp
from typing import List, Optional

import torch.nn as nn

from fvgpt.utils import load_checkpoint_file
from fvgpt.utils.json_tensor import decode_json_tensor


class Stage1CheckpointError(RuntimeError):
    """The stage-1 checkpoint is missing or does not fit the stage-2 config."""


def stage1_command(stage1_config: Optional[str], work_dir: str) -> str:
    """The command that trains the backbone and writes its checkpoint into ``work_dir``."""
    config = stage1_config or '<the stage-1 config of this backbone>'
    return f'python tools/train.py {config} --work-dir {work_dir}'


def stage1_error(message: str, path: str, stage1_config: Optional[str]) -> Stage1CheckpointError:
    """A :class:`Stage1CheckpointError` saying what is wrong and how to produce the checkpoint."""
    work_dir = path if osp.isdir(path) or not osp.splitext(path)[1] else osp.dirname(path)
    return Stage1CheckpointError(
        f'{message}\nFVG-PT (stage 2) starts from a backbone tuned on the same base classes with '
        f'the same CLIP. Train it first:\n    {stage1_command(stage1_config, work_dir or ".")}\n'
        '(with the same dataset, seed and shots as this run: pass the same --cfg-options), then '
        'point `model.backbone_ckpt` at that work dir or at one of its checkpoints.')


def _in_work_dir(ckpt: str, work_dir: str) -> str:
    """``ckpt`` as named in the work dir's files, or its base name in ``work_dir`` (moved)."""
    if not osp.isabs(ckpt) and not osp.isfile(ckpt):
        return osp.join(work_dir, osp.basename(ckpt))
    return ckpt


def resolve_checkpoint(path: str, stage1_config: Optional[str] = None) -> str:
    """A checkpoint file from ``path``: the file itself, or the checkpoint a stage-1 work dir
    deploys: the best validation epoch's when stage 1 selected one (Dassl's ``FINAL_MODEL
    "best_val"``; the message hub of its last checkpoint names it, ``best_ckpt``), else its
    ``last_checkpoint``, as :func:`fvgpt.apis.final_checkpoint` chooses."""
    if osp.isdir(path):
        last = osp.join(path, 'last_checkpoint')
        if not osp.isfile(last):
            raise stage1_error(
                f'The stage-1 work dir {path} has no "last_checkpoint" file: stage '
                '1 did not finish there.', path, stage1_config)
        with open(last) as f:
            ckpt = _in_work_dir(f.read().strip(), path)
        if osp.isfile(ckpt):
            try:
                saved = load_checkpoint_file(ckpt)
            except Exception as err:  # noqa: BLE001 - any failure is reported with the fix
                raise stage1_error(f'Cannot read the stage-1 checkpoint {ckpt}: {err}', path,
                                   stage1_config) from err
            hub = saved.get('message_hub') if isinstance(saved, dict) else None
            best = ((hub or {}).get('runtime_info') or {}).get('best_ckpt')
            if best:
                ckpt = _in_work_dir(str(best), path)
        path = ckpt
    if not osp.isfile(path):
        raise stage1_error(f'Stage-1 checkpoint not found: {path}', path, stage1_config)
    return path


def load_stage1_checkpoint(backbone: nn.Module,
                           path: str,
                           stage1_config: Optional[str] = None) -> Optional[List[str]]:
    """Loads a stage-1 checkpoint into ``backbone`` and returns the classes it was trained on.

    The checkpoint's recipe (``BasePromptClassifier.recipe()``: the backbone class, its CLIP, its
    prompt learner's depths and token counts, stored in the state dict's ``_extra_state``) must
    equal the config's backbone's; then every tensor the backbone writes into its checkpoints
    (its ``state_dict()``: the tuned parts, not the frozen CLIP) must be in the file, with the
    same shapes, and the file holds nothing else.

    Args:
        backbone (nn.Module): the backbone classifier of the stage-2 config.
        path (str): the checkpoint file, or the stage-1 work dir (its ``last_checkpoint``).
        stage1_config (str, optional): the stage-1 config, for the error messages.

    Returns:
        list[str] | None: the class names of the stage-1 training set (the checkpoint's
        ``meta.dataset_meta.classes``), None when the checkpoint does not say.

    Raises:
        Stage1CheckpointError: the file is missing, unreadable or does not fit ``backbone``.
    """
    file = resolve_checkpoint(path, stage1_config)
    try:
        ckpt = load_checkpoint_file(file)  # torch.load(weights_only=True)
    except Exception as err:  # noqa: BLE001 - any failure is reported with the fix
        raise stage1_error(f'Cannot read the stage-1 checkpoint {file}: {err}', path,
                           stage1_config) from err
    if not isinstance(ckpt, dict) or 'state_dict' not in ckpt:
        raise stage1_error(f'{file} is not an mmengine checkpoint (no "state_dict").', path,
                           stage1_config)
    state_dict = {
        k[len('module.'):] if k.startswith('module.') else k: v
        for k, v in ckpt['state_dict'].items()
    }
    check_recipe(backbone, state_dict, file, path, stage1_config)
    expected = set(backbone.state_dict().keys())
    try:
        incompatible = backbone.load_state_dict(state_dict, strict=False)
    except (RuntimeError, ValueError, KeyError) as err:
        raise stage1_error(
            f'The stage-1 checkpoint {file} does not fit the backbone of this '
            f'config ({type(backbone).__name__}): {err}', path, stage1_config) from err
    missing = sorted(k for k in incompatible.missing_keys if k in expected)
    if missing or incompatible.unexpected_keys:
        raise stage1_error(
            f'The stage-1 checkpoint {file} does not fit the backbone of this config '
            f'({type(backbone).__name__}): missing {missing or "nothing"}, unexpected '
            f'{sorted(incompatible.unexpected_keys) or "nothing"}.', path, stage1_config)
    classes = (ckpt.get('meta') or {}).get('dataset_meta', {}).get('classes')
    return [str(c) for c in classes] if classes else None


def check_recipe(backbone: nn.Module, state_dict: dict, file: str, path: str,
                 stage1_config: Optional[str]) -> None:
    """Stops when the checkpoint was written by another backbone recipe than the config's."""
    recipe = getattr(backbone, 'recipe', None)
    if not callable(recipe):
        return
    # Imported here: the classifiers package imports nothing of FVG-PT, and stays so.
    from ..classifiers.base_prompt_classifier import format_recipe, recipe_differences
    current = recipe()
    extra = state_dict.get('_extra_state')
    saved = None
    if extra is not None:
        try:
            saved = decode_json_tensor(extra).get('recipe')
        except (ValueError, UnicodeDecodeError, AttributeError):
            saved = None
    if saved is None:
        raise stage1_error(
            f'The stage-1 checkpoint {file} carries no backbone recipe ("_extra_state"), so it '
            f'was not written by an fvgpt backbone (or by an older fvgpt); this config\'s '
            f'backbone is {format_recipe(current)}.', path, stage1_config)
    diffs = recipe_differences(saved, current)
    if diffs:
        raise stage1_error(
            f'The stage-1 checkpoint {file} was trained with another backbone recipe than this '
            f'config\'s.\n  checkpoint: {format_recipe(saved)}\n  config:     '
            f'{format_recipe(current)}\n  differences: {"; ".join(diffs)}', path, stage1_config)
