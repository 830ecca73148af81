"""Deep prompts for open_clip's transformers, without forking or patching open_clip.

A prompt method gives its prompt tokens to :class:`OpenCLIP` as a call ARGUMENT
(:class:`DeepPrompts`); the CLIP module never stores them, so a call without prompts is exactly
CLIP and a prompt-free pass is prompt-free by construction. :func:`run_blocks` runs the blocks of
an open_clip ``Transformer`` one by one and puts the prompt tokens into the sequence before the
blocks that have tokens:

- the prompt span is ``n`` consecutive positions starting at ``position`` (an index, e.g. 1 = right
  after the class / start-of-text token), or ``'end'`` (after the last token: VPT/IVLP's visual
  prompts);
- ``in_input=False``: the span is *inserted* before the first block that has tokens (the sequence
  grows by ``n``; MMRL's representation tokens, IVLP's visual prompts) and *replaced* by the
  tokens of every later block that has tokens; blocks without tokens carry the span's outputs on;
- ``in_input=True``: the input sequence already holds the span (IVLP's text context, part of the
  prompt embeddings): every block that has tokens replaces it.

:func:`run_blocks` honours open_clip's ``transformer.grad_checkpointing`` (``OpenCLIP(
grad_checkpointing=True)``) as open_clip's own ``Transformer.forward`` does: while gradients are
recorded, each block keeps only its input and recomputes its activations in the backward pass.
The results are the same; a prompt method whose gradients flow through a tower's blocks (deep
prompts, or CoOp's context through the text tower over all C classes) then holds one block's
activations instead of every block's.
"""
from dataclasses import dataclass
from typing import Callable, Dict, Optional, Tuple, Union

import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint

END = 'end'


@dataclass(frozen=True)
class DeepPrompts:
    """Prompt tokens for chosen blocks of one transformer (a call argument, never module state).

    Args:
        tokens (dict[int, Tensor]): 0-based block index -> tokens entering before that block,
            ``(n, width)`` shared by every sequence of the batch or ``(N, n, width)`` per sequence.
            Every entry has the same ``n``.
        position (int | str): first position of the span in the sequence, or ``'end'`` (after
            the last token; vision only). Defaults to 1 (after the class / start token).
        in_input (bool): the input sequence already holds the span at ``position`` (True), or
            the span is inserted before the first block with tokens (False). Defaults to False.
    """

    tokens: Dict[int, torch.Tensor]
    position: Union[int, str] = 1
    in_input: bool = False

    def __post_init__(self):
        if not self.tokens:
            raise ValueError('DeepPrompts needs tokens for at least one block.')
        counts = {int(t.shape[-2]) for t in self.tokens.values()}
        if len(counts) != 1:
            raise ValueError(f'Every block of DeepPrompts must have the same number of prompt '
                             f'tokens, got {sorted(counts)} (blocks {sorted(self.tokens)}).')
        if self.position != END and (not isinstance(self.position, int) or self.position < 0):
            raise ValueError(f'DeepPrompts.position must be a non-negative int or "end", got '
                             f'{self.position!r}.')
        if self.in_input and self.position == END:
            raise ValueError('DeepPrompts with in_input=True need an int position.')

    @property
    def num_tokens(self) -> int:
        """Number of prompt tokens ``n`` of the span."""
        return int(next(iter(self.tokens.values())).shape[-2])

    @property
    def first_block(self) -> int:
        return min(self.tokens)

    def check_depth(self, num_blocks: int, tower: str) -> None:
        """Fails when a block index is outside ``[0, num_blocks)``."""
        bad = [i for i in self.tokens if not 0 <= i < num_blocks]
        if bad:
            raise ValueError(f'Deep {tower} prompts for blocks {sorted(bad)}, but the {tower} '
                             f'transformer has {num_blocks} blocks (0-based indices '
                             f'0..{num_blocks - 1}).')


def _expand(tokens: torch.Tensor, batch: int, like: torch.Tensor) -> torch.Tensor:
    tokens = tokens.to(dtype=like.dtype, device=like.device)
    if tokens.dim() == 2:
        return tokens.unsqueeze(0).expand(batch, -1, -1)
    if tokens.shape[0] != batch:
        raise ValueError(f'Per-sequence prompt tokens for {tokens.shape[0]} sequences, the batch '
                         f'has {batch}.')
    return tokens


def place_span(x: torch.Tensor, tokens: torch.Tensor, start: int, replace: bool) -> torch.Tensor:
    """``x`` (batch-first ``(N, L, D)``) with ``tokens`` inserted at ``start``, or replacing
    the ``n`` positions from ``start``."""
    tokens = _expand(tokens, x.shape[0], x)
    end = start + tokens.shape[1] if replace else start
    return torch.cat([x[:, :start], tokens, x[:, end:]], dim=1)


def span_start(prompts: DeepPrompts, length: int) -> int:
    """Index of the span's first position in a sequence of ``length`` tokens (before insertion)."""
    return length if prompts.position == END else int(prompts.position)


def run_blocks(transformer: nn.Module,
               x: torch.Tensor,
               attn_mask: Callable[[int], Optional[torch.Tensor]],
               prompts: Optional[DeepPrompts] = None,
               skip_first_insert: bool = False,
               tower: str = 'vision',
               begin: int = 0,
               end: Optional[int] = None) -> Tuple[torch.Tensor, Optional[int]]:
    """Runs an open_clip ``Transformer``'s blocks on ``x`` with deep prompts.

    Args:
        transformer (nn.Module): open_clip's ``Transformer`` (``resblocks``, ``batch_first``).
        x (Tensor): batch-first input ``(N, L, D)``, whatever the transformer's own layout.
        attn_mask (callable): sequence length -> the attention mask for that length (or None).
        prompts (DeepPrompts, optional): the prompts; None runs the plain blocks.
        skip_first_insert (bool): the caller already inserted the span (vision block 0, whose
            tokens pass ``ln_pre`` like the patch embeddings). Defaults to False.
        tower (str): ``'vision'`` or ``'text'``, for error messages.
        begin (int): index of the first block to run (``x`` is the output of the blocks before
            it; they must have no prompt tokens). Defaults to 0.
        end (int, optional): run the blocks before this index only. Defaults to all.

    Returns:
        tuple: the batch-first output ``(N, L', D)`` and the span's first index in it (None
        without prompts).
    """
    blocks = transformer.resblocks
    recompute = getattr(transformer, 'grad_checkpointing', False) and torch.is_grad_enabled()
    if prompts is not None:
        prompts.check_depth(len(blocks), tower)
        if begin > prompts.first_block and not prompts.in_input:
            raise ValueError(f'run_blocks from block {begin}, but {tower} prompt tokens enter '
                             f'before block {prompts.first_block}.')
    # open_clip builds batch-first blocks by default; older configs run (L, N, D) blocks.
    seq_first = not getattr(transformer, 'batch_first', True)
    start = None
    present = False
    if prompts is not None:
        present = prompts.in_input or skip_first_insert
        # the length of the sequence without the span
        start = span_start(prompts, x.shape[1] - (prompts.num_tokens if skip_first_insert else 0))
        if prompts.in_input and start + prompts.num_tokens > x.shape[1]:
            raise ValueError(f'The prompt span [{start}, {start + prompts.num_tokens}) is outside '
                             f'the input sequence of {x.shape[1]} tokens.')
    for i in range(begin, len(blocks) if end is None else end):
        block = blocks[i]
        if prompts is not None and i in prompts.tokens and not (skip_first_insert and i == 0):
            x = place_span(x, prompts.tokens[i], start, replace=present)
            present = True
        mask = attn_mask(x.shape[1])
        if seq_first:
            x = _run_block(block, x.transpose(0, 1), mask, recompute).transpose(0, 1)
        else:
            x = _run_block(block, x, mask, recompute)
    return x, start


def _run_block(block: nn.Module, x: torch.Tensor, mask: Optional[torch.Tensor],
               recompute: bool) -> torch.Tensor:
    if recompute:  # open_clip's call: (q_x, k_x, v_x, attn_mask)
        return checkpoint(block, x, None, None, mask, use_reentrant=False)
    return block(x, attn_mask=mask)
