"""Capturing the tokens of the last block of an open_clip ViT, and where its patches are.

Grad-CAM and the CLS-attention map both need the tokens entering the last vision block: Grad-CAM
differentiates the logit with respect to them, and the CLS-attention map is the attention the
block computes over them. (The block's *output* patch tokens do not reach a class-token-pooled
feature at all, so their gradient is zero: the last place where the class token still looks at
the patches is this block's attention.) A forward pre-hook hands the block a detached copy of
its input that requires grad, so a gradient can be taken with respect to exactly those tokens
while nothing before them is part of the graph.

Visual prompts (:class:`fvgpt.models.clip.prompted_transformer.DeepPrompts`) add tokens that are
not patches. They reach the tower as call arguments of :meth:`OpenCLIP.encode_image`, so while
the capture is active the wrapper's ``encode_image`` of this instance is wrapped to note the
``prompts`` of each call; the patch positions are then the sequence minus the class token and the
prompt span. open_clip itself is not touched.
"""
import inspect
from dataclasses import dataclass
from typing import List, Optional

import torch
import torch.nn as nn

from fvgpt.models.clip.prompted_transformer import END, DeepPrompts


@dataclass
class BlockCall:
    """One pass through the last vision block.

    Attributes:
        leaf (Tensor): the block's input tokens as the block consumed them (a leaf that
            requires grad), in the block's own layout.
        seq_first (bool): the block runs ``(L, B, D)`` sequences.
        prompts (DeepPrompts, optional): the visual prompts of the ``encode_image`` call.
        via_wrapper (bool): the pass came through ``OpenCLIP.encode_image`` (prompts known).
    """

    leaf: torch.Tensor
    seq_first: bool
    prompts: Optional[DeepPrompts]
    via_wrapper: bool

    @property
    def inputs(self) -> torch.Tensor:
        """The block's input tokens, batch-first ``(B, L, D)``, detached."""
        return (self.leaf.transpose(0, 1) if self.seq_first else self.leaf).detach()

    def batch_first(self, grads: torch.Tensor) -> torch.Tensor:
        """Gradients with respect to :attr:`leaf`, batch-first like :attr:`inputs`."""
        return grads.transpose(0, 1) if self.seq_first else grads

    def patch_index(self, num_patches: int) -> torch.Tensor:
        """Positions of the patch tokens in the sequence, in grid (row-major) order.

        The class token is position 0; a prompt span of ``n`` tokens sits at ``position``
        (``'end'``: after the patches).

        Raises:
            RuntimeError: the sequence length does not fit the patches and the known prompts.
        """
        length = self.inputs.shape[1]
        span = 0 if self.prompts is None else self.prompts.num_tokens
        if length != 1 + num_patches + span:
            how = ('' if self.via_wrapper else ' (the image tower was not called through '
                   'OpenCLIP.encode_image, so its prompts are unknown)')
            raise RuntimeError(
                f'The last vision block saw {length} tokens, but the class token, '
                f'{num_patches} patches and {span} prompt tokens make {1 + num_patches + span}'
                f'{how}: the patch tokens cannot be located. Pass visual prompts to '
                'OpenCLIP.encode_image(images, prompts=DeepPrompts(...)).')
        keep = torch.ones(length, dtype=torch.bool)
        keep[0] = False
        if span:
            start = 1 + num_patches if self.prompts.position == END else int(self.prompts.position)
            keep[start:start + span] = False
        return keep.nonzero().squeeze(1)


class LastBlockCapture:
    """Records every pass through the last block of a CLIP wrapper's ViT while armed.

    Use as a context manager (hooks in place) and :meth:`armed` around the calls whose tokens
    matter::

        capture = LastBlockCapture(model.clip)
        with capture, capture.armed():
            feats = model.clip.encode_image(images)
        call = capture.single_call()

    Args:
        clip (nn.Module): the :class:`fvgpt.models.clip.OpenCLIP` wrapper of the model.
    """

    def __init__(self, clip: nn.Module):
        visual = getattr(getattr(clip, 'model', None), 'visual', None)
        transformer = getattr(visual, 'transformer', None)
        if transformer is None or not hasattr(transformer, 'resblocks') or not hasattr(
                visual, 'grid_size'):
            raise NotImplementedError(
                f'Attention maps need an open_clip VisionTransformer image tower (patch grid, '
                f'class token, transformer.resblocks); {getattr(clip, "model_name", clip)} has '
                f'{type(visual).__name__}.')
        self.clip = clip
        self.visual = visual
        self.block = transformer.resblocks[-1]
        self.seq_first = not getattr(transformer, 'batch_first', True)
        self.grid = tuple(int(g) for g in visual.grid_size)
        self.calls: List[BlockCall] = []
        self._armed = False
        self._handles = []
        self._prompts: Optional[DeepPrompts] = None
        self._via_wrapper = False

    @property
    def num_patches(self) -> int:
        return self.grid[0] * self.grid[1]

    # ------------------------------------------------------------------ hooks
    def __enter__(self) -> 'LastBlockCapture':
        self.calls = []
        self._handles = [self.block.register_forward_pre_hook(self._replace_input)]
        original = self.clip.encode_image
        signature = inspect.signature(original)

        def encode_image(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            self._prompts = bound.arguments.get('prompts')
            self._via_wrapper = True
            try:
                return original(*args, **kwargs)
            finally:
                self._prompts, self._via_wrapper = None, False

        # An instance attribute shadows the method for this object only, until __exit__.
        self.clip.__dict__['encode_image'] = encode_image
        return self

    def __exit__(self, *exc) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles = []
        self.clip.__dict__.pop('encode_image', None)
        self._armed = False

    def armed(self) -> '_Armed':
        """A context in which passes are recorded (outside it they are left alone)."""
        return _Armed(self)

    def _replace_input(self, module: nn.Module, args: tuple):
        if not self._armed:
            return None
        leaf = args[0].detach().requires_grad_(True)
        self.calls.append(BlockCall(leaf, self.seq_first, self._prompts, self._via_wrapper))
        return (leaf, *args[1:])

    def single_call(self) -> BlockCall:
        """The one recorded pass; fails when there were none or several."""
        if len(self.calls) != 1:
            raise RuntimeError(
                f'Expected one pass through the last vision block while armed, got '
                f'{len(self.calls)}: the model must encode the images once per call.')
        return self.calls[0]


class _Armed:

    def __init__(self, capture: LastBlockCapture):
        self.capture = capture

    def __enter__(self) -> LastBlockCapture:
        self.capture._armed = True
        return self.capture

    def __exit__(self, *exc) -> None:
        self.capture._armed = False
