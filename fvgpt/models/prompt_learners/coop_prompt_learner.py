"""CoOp's learnable context (Zhou et al., "Learning to Prompt for Vision-Language Models", 2022).

A prompt is the token sequence ``[SOT] X_1 ... X_M CLASSNAME . [EOT] [PAD]...`` where the embeddings
of ``X_1..X_M`` are learned. Shapes (N classes, M = n_ctx, L = context length, D = text width)::

    prefix  (N, 1, D)        SOT embedding, frozen
    ctx     (M, D) or (N, M, D) with class_specific=True, learned
    suffix  (N, L-1-M, D)    class-name tokens, '.', EOT, padding; frozen
    prompt  (N, L, D)        cat of the three, in the order set by class_token_position
"""
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn

from fvgpt.registry import MODELS
from fvgpt.utils.json_tensor import decode_json_tensor, encode_json_tensor

POSITIONS = ('end', 'middle', 'front')


@MODELS.register_module()
class CoOpPromptLearner(nn.Module):
    """Learnable context vectors shared by all classes (or one set per class).

    Args:
        clip (OpenCLIP): the CLIP wrapper, used at construction only (token embeddings of the
            init phrase, text width); not kept as a sub-module.
        n_ctx (int, optional): number of context tokens. With ``ctx_init`` it may be left None;
            if given, it must equal the number of BPE tokens of ``ctx_init``. Defaults to 16.
        ctx_init (str, optional): phrase whose token embeddings initialize the context, e.g.
            ``'a photo of a'``. None draws the context from N(0, ``init_std``^2).
        class_specific (bool): one context per class (CoOp's CSC). Needs ``num_classes``.
        num_classes (int, optional): number of classes, for ``class_specific``.
        class_token_position (str): where the class name goes: ``'end'`` (CoOp default),
            ``'middle'`` or ``'front'``.
        init_std (float): std of the random context init. Defaults to 0.02.
    """

    def __init__(self,
                 clip: nn.Module,
                 n_ctx: Optional[int] = 16,
                 ctx_init: Optional[str] = None,
                 class_specific: bool = False,
                 num_classes: Optional[int] = None,
                 class_token_position: str = 'end',
                 init_std: float = 0.02):
        super().__init__()
        if class_token_position not in POSITIONS:
            raise ValueError(f'class_token_position must be one of {POSITIONS}, '
                             f'got "{class_token_position}".')
        if class_specific and not num_classes:
            raise ValueError('class_specific=True needs num_classes (the number of classes the '
                             'context is learned for).')
        width = clip.text_width
        if ctx_init:
            ctx_init = ctx_init.strip()
            tokens = clip.tokenize([ctx_init])
            n_init = int(clip.eot_indices(tokens)[0]) - 1  # BPE tokens between SOT and EOT
            if n_ctx is not None and n_ctx != n_init:
                raise ValueError(f'n_ctx={n_ctx} but ctx_init "{ctx_init}" has {n_init} tokens: '
                                 f'set n_ctx={n_init} (or None) or change ctx_init.')
            n_ctx = n_init
            with torch.no_grad():
                init = clip.token_embedding(tokens)[0, 1:1 + n_ctx].float().cpu()
            if class_specific:
                init = init.unsqueeze(0).repeat(num_classes, 1, 1)
            ctx = init.clone()
        else:
            if not n_ctx:
                raise ValueError('n_ctx must be a positive integer when ctx_init is not given.')
            shape = (num_classes, n_ctx, width) if class_specific else (n_ctx, width)
            ctx = torch.empty(shape).normal_(std=init_std)
        self.ctx = nn.Parameter(ctx)
        self.n_ctx = n_ctx
        self.ctx_init = ctx_init or None
        self.class_specific = class_specific
        self.num_classes = num_classes
        self.class_token_position = class_token_position
        self.clip_model_name = getattr(clip, 'model_name', type(clip).__name__)
        # The context only means something with the CLIP weights it was tuned on: their hash
        # is part of the recipe (read lazily: hashing CLIP takes a moment).
        self._clip_identity = lambda: getattr(clip, 'weights_identity', None)
        # Class names of the last training forward: written into checkpoints for checks.
        self.fit_classnames: List[str] = []
        self._frozen_cache: Dict[Tuple, Tuple[torch.Tensor, ...]] = {}

    # --------------------------------------------------------------- prompts
    def frozen_parts(self, classnames: Sequence[str], clip: nn.Module) -> Tuple[torch.Tensor, ...]:
        """Token embeddings around the context, computed once per class list.

        Returns:
            tuple: ``prefix (N, 1, D)``, ``suffix (N, L-1-M, D)``, ``name_lens (N,)`` (BPE tokens
            of each class name) and ``eot (N,)`` (end-of-text positions).
        """
        key = (tuple(classnames), str(self.ctx.device))
        if key not in self._frozen_cache:
            placeholder = ' '.join(['X'] * self.n_ctx)
            prompts = [f'{placeholder} {name.replace("_", " ")}.' for name in classnames]
            with torch.no_grad():
                tokens = clip.tokenize(prompts)
                embedding = clip.token_embedding(tokens)
                eot = clip.eot_indices(tokens)
                name_tokens = clip.tokenize([name.replace('_', ' ') for name in classnames])
                name_lens = clip.eot_indices(name_tokens) - 1
            self._frozen_cache[key] = (embedding[:, :1], embedding[:,
                                                                   1 + self.n_ctx:], name_lens, eot)
        return self._frozen_cache[key]

    def forward(self, classnames: Sequence[str],
                clip: nn.Module) -> Tuple[torch.Tensor, torch.Tensor]:
        """Prompt embeddings ``(N, L, D)`` and end-of-text positions ``(N,)`` for the classes."""
        classnames = list(classnames)
        if self.class_specific and len(classnames) != self.num_classes:
            raise ValueError(
                f'This CoOp context is class-specific for {self.num_classes} classes, but '
                f'{len(classnames)} class names were given. Class-specific contexts cannot score '
                'other classes; use class_specific=False for base-to-new evaluation.')
        if self.training and torch.is_grad_enabled():
            self.fit_classnames = classnames
        prefix, suffix, name_lens, eot = self.frozen_parts(classnames, clip)
        ctx = self.ctx.to(prefix.dtype)
        if not self.class_specific:
            ctx = ctx.unsqueeze(0).expand(len(classnames), -1, -1)
        if self.class_token_position == 'end':
            prompts = torch.cat([prefix, ctx, suffix], dim=1)
        else:
            prompts = torch.stack([
                self._place_class_tokens(prefix[i], ctx[i], suffix[i], int(name_lens[i]))
                for i in range(len(classnames))
            ])
        return prompts, eot

    def _place_class_tokens(self, prefix: torch.Tensor, ctx: torch.Tensor, suffix: torch.Tensor,
                            name_len: int) -> torch.Tensor:
        name, rest = suffix[:name_len], suffix[name_len:]
        if self.class_token_position == 'front':
            return torch.cat([prefix, name, ctx, rest])
        half = self.n_ctx // 2
        return torch.cat([prefix, ctx[:half], name, ctx[half:], rest])

    # --------------------------------------------------------------- checkpoint checks
    def recipe(self) -> dict:
        """What a checkpoint of this context must agree on with the config that loads it."""
        identity = self._clip_identity() or {}
        return dict(
            n_ctx=self.n_ctx,
            class_specific=self.class_specific,
            num_classes=self.num_classes,
            class_token_position=self.class_token_position,
            clip_model=self.clip_model_name,
            clip_weights_sha256=identity.get('sha256'))

    def get_extra_state(self) -> torch.Tensor:
        # The recipe travels inside the state dict, so every way of loading it can check it. As
        # JSON bytes in a tensor: loads with weights_only=True, and mmengine's DDP start-up
        # broadcasts every state-dict entry, which must therefore be a tensor.
        return encode_json_tensor(
            dict(
                self.recipe(),
                ctx_init=self.ctx_init,
                classnames=list(self.fit_classnames),
                clip_pretrained=(self._clip_identity() or {}).get('pretrained')))

    def set_extra_state(self, state: torch.Tensor) -> None:
        self.fit_classnames = list(decode_extra_state(state).get('classnames', []))

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        extra = state_dict.get(prefix + '_extra_state')
        extra = None if extra is None else decode_extra_state(extra)
        if prefix + 'ctx' not in state_dict:
            raise ValueError(f'The checkpoint has no CoOp context ("{prefix}ctx"): it was not '
                             'written by a CoOp model of fvgpt.')
        if extra is not None:
            diffs = [
                f'{k}: checkpoint {extra.get(k)!r}, config {v!r}' for k, v in self.recipe().items()
                if extra.get(k) != v
            ]
            if any(d.startswith('clip_weights_sha256') for d in diffs):
                diffs.append('the context was tuned on other CLIP weights (checkpoint: pretrained='
                             f'{extra.get("clip_pretrained")!r}, config: pretrained='
                             f'{(self._clip_identity() or {}).get("pretrained")!r}): train it '
                             'again with this CLIP, or set model.clip.pretrained to the weights '
                             'it was trained with')
            shape = tuple(state_dict[prefix + 'ctx'].shape)
            if shape[-1] != self.ctx.shape[-1]:
                diffs.append(f'context width: checkpoint {shape[-1]}, config {self.ctx.shape[-1]}')
            if diffs:
                raise ValueError('The CoOp checkpoint does not fit this config: ' +
                                 '; '.join(diffs) + '.')
        elif tuple(state_dict[prefix + 'ctx'].shape) != tuple(self.ctx.shape):
            raise ValueError(f'The CoOp context in the checkpoint has shape '
                             f'{tuple(state_dict[prefix + "ctx"].shape)}, this config builds '
                             f'{tuple(self.ctx.shape)} (n_ctx, class_specific or the CLIP model '
                             'differ).')
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys,
                                      unexpected_keys, error_msgs)


# The recipe dict stored by :meth:`CoOpPromptLearner.get_extra_state`.
decode_extra_state = decode_json_tensor
