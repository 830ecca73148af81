"""The one CLIP wrapper of fvgpt, over open_clip.

It builds any open_clip model by name, loads weights from an open_clip tag (``'openai'``, downloaded
on a user's machine) or from a local file (a state dict, an mmengine/open_clip checkpoint, a
safetensors file or an OpenAI JIT archive), freezes them, and exposes what prompt methods need:
image features, text features of token ids, text features of prompt *embeddings* and cached
zero-shot class weights. Deep prompts (``prompted_transformer.DeepPrompts``) are call arguments of
``encode_image`` and ``encode_text_embeddings``, never stored in the module: a call without them
is exactly CLIP.
"""
import contextlib
import hashlib
import logging
import os.path as osp
import zipfile
from typing import Dict, Iterator, Optional, Sequence, Tuple, Union

import open_clip
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.logging import print_log

from fvgpt.registry import MODELS
from ..utils.frozen_state import freeze
from .prompted_transformer import END, DeepPrompts, place_span, run_blocks, span_start

# Small model configs shipped with fvgpt (the tiny test model); registered with open_clip once.
MODEL_CONFIG_DIR = osp.join(osp.dirname(__file__), 'model_configs')
if MODEL_CONFIG_DIR not in [str(p) for p in open_clip.factory._MODEL_CONFIG_PATHS]:
    open_clip.add_model_config(MODEL_CONFIG_DIR)

#: ``grad_checkpointing`` values and the towers they recompute, ``(vision, text)``.
GRAD_CHECKPOINTING = {
    False: (False, False),
    True: (True, True),
    'text': (False, True),
    'vision': (True, False)
}


def format_class_prompt(template: str, classname: str) -> str:
    """Fills a template the way CoOp does: underscores of class names become spaces."""
    return template.format(classname.replace('_', ' '))


@MODELS.register_module()
class OpenCLIP(nn.Module):
    """A frozen (by default) open_clip model with the text paths prompt tuning needs.

    Args:
        model_name (str): an open_clip model name (``open_clip.list_models()``), e.g.
            ``'ViT-B-16'``. Defaults to ``'ViT-B-16'``.
        pretrained (str, optional): an open_clip pretrained tag of that model (e.g. ``'openai'``,
            downloaded by open_clip into ``cache_dir``) or the path of a local weights file. None
            gives random initialization (tests). Defaults to None.
        quick_gelu (bool, optional): use QuickGELU activations. None picks what the weights were
            trained with: the tag's setting, True for an OpenAI JIT archive, else the config's.
        frozen (bool): no gradient and eval mode for every CLIP weight, and no CLIP weight in
            the owning model's checkpoints. Defaults to True.
        cache_dir (str, optional): where open_clip caches downloaded weights.
        grad_checkpointing (bool | str): recompute each transformer block's activations in the
            backward pass instead of keeping them (open_clip's ``set_grad_checkpointing``, also
            honoured by the deep-prompt path): True for both towers, ``'text'`` or ``'vision'``
            for one of them, False for neither. Same results; it saves most of the training
            memory of a method whose gradients flow through a tower (prompts over all C class
            prompts in the text tower, deep visual prompts over the batch) for about one more
            forward pass of those blocks. Defaults to False.
    """

    def __init__(self,
                 model_name: str = 'ViT-B-16',
                 pretrained: Optional[str] = None,
                 quick_gelu: Optional[bool] = None,
                 frozen: bool = True,
                 cache_dir: Optional[str] = None,
                 grad_checkpointing: Union[bool, str] = False):
        super().__init__()
        self.model_name = model_name
        self.pretrained = pretrained
        self.frozen = frozen
        if open_clip.get_model_config(model_name) is None:
            raise ValueError(f'Unknown open_clip model "{model_name}". Known models: '
                             f'{", ".join(open_clip.list_models())}.')
        self.model = build_open_clip(model_name, pretrained, quick_gelu, cache_dir)
        self._weights_sha256: Optional[str] = None
        #: Images encoded by :meth:`encode_image` so far (the feature cache's pass counts).
        self.image_passes = 0
        print_log(
            f'CLIP {model_name}: {self.weights_source}.',
            logger='current',
            level=logging.WARNING if pretrained is None else logging.INFO)
        self.tokenizer = open_clip.get_tokenizer(model_name)
        text_tower(self.model)  # fails early for unsupported text towers
        self.grad_checkpointing = grad_checkpointing
        self._set_grad_checkpointing(grad_checkpointing)
        self._zeroshot_cache: Dict[Tuple, torch.Tensor] = {}
        self._plain_request: Optional[dict] = None
        if frozen:
            freeze(self.model)

    def _set_grad_checkpointing(self, towers: Union[bool, str]) -> None:
        """Sets open_clip's per-tower ``grad_checkpointing`` switches (see the class docs)."""
        if towers not in GRAD_CHECKPOINTING:
            raise ValueError(f'OpenCLIP grad_checkpointing must be one of True, False, "text" or '
                             f'"vision", got {towers!r}.')
        vision, text = GRAD_CHECKPOINTING[towers]
        self.model.set_grad_checkpointing(False)  # then each tower as asked
        if vision:
            self.model.visual.set_grad_checkpointing(True)
        self.text['transformer'].grad_checkpointing = text

    def train(self, mode: bool = True) -> 'OpenCLIP':
        # A frozen CLIP stays in eval mode (dropout off) whatever the owning model does.
        super().train(mode)
        if self.frozen:
            self.model.eval()
        return self

    # ------------------------------------------------------------------ weights' identity
    @property
    def weights_source(self) -> str:
        """Where the CLIP weights came from, in words."""
        if self.pretrained is None:
            return ('random initialization (pretrained=None): no pretrained weights, meaningful '
                    'for tests only')
        if is_weights_file(self.pretrained):
            return f'weights loaded from the file {osp.abspath(osp.expanduser(self.pretrained))}'
        return f'open_clip pretrained weights "{self.pretrained}"'

    @property
    def weights_sha256(self) -> str:
        """SHA-256 of the CLIP weights (names, dtypes, shapes and values of the state dict),
        computed on first use and kept (frozen weights do not change)."""
        if self._weights_sha256 is None:
            digest = hashlib.sha256()
            for name, value in sorted(self.model.state_dict().items()):
                value = value.detach().cpu().contiguous().reshape(-1)
                digest.update(f'{name}|{value.dtype}|{tuple(value.shape)}|'.encode())
                digest.update(value.view(torch.uint8).numpy())
            self._weights_sha256 = digest.hexdigest()
        return self._weights_sha256

    @property
    def weights_identity(self) -> Dict[str, Optional[str]]:
        """What identifies the weights: the ``pretrained`` tag or file and their SHA-256."""
        return dict(pretrained=self.pretrained, sha256=self.weights_sha256)

    # ------------------------------------------------------------------ properties
    @property
    def text(self) -> Dict[str, object]:
        # Looked up on each use: `.to(device)` replaces buffers such as the attention mask.
        return text_tower(self.model)

    @property
    def logit_scale(self) -> torch.Tensor:
        """CLIP's logit scale, exponentiated (about 100 for trained models)."""
        return self.model.logit_scale.exp().squeeze()

    @property
    def embed_dim(self) -> int:
        """Dimension of the joint image-text feature space."""
        proj = self.text['text_projection']
        if proj is None:
            return self.text_width
        return proj.out_features if isinstance(proj, nn.Linear) else proj.shape[1]

    @property
    def text_width(self) -> int:
        """Width of the token embeddings fed to the text transformer."""
        return self.text['token_embedding'].embedding_dim

    @property
    def context_length(self) -> int:
        return self.text['positional_embedding'].shape[0]

    @property
    def dtype(self) -> torch.dtype:
        return self.text['token_embedding'].weight.dtype

    @property
    def image_size(self) -> int:
        size = self.model.visual.image_size
        return size[0] if isinstance(size, (tuple, list)) else int(size)

    # ------------------------------------------------------------------ image side
    def encode_image(self,
                     images: torch.Tensor,
                     normalize: bool = True,
                     prompts: Optional[DeepPrompts] = None,
                     return_prompt_tokens: bool = False):
        """Image features ``(B, d)`` of normalized images ``(B, 3, H, W)``.

        Args:
            images (Tensor): normalized images ``(B, 3, H, W)``.
            normalize (bool): L2-normalize the features. Defaults to True.
            prompts (DeepPrompts, optional): deep visual prompts (any open_clip ViT). Tokens of
                block 0 that are inserted pass the tower's ``ln_pre`` like the patch embeddings
                they join (VPT/IVLP); tokens of later blocks enter as they are. The span is taken
                out before pooling, so pooling ('tok' or 'avg') sees CLIP's tokens only.
            return_prompt_tokens (bool): also return the span's outputs of the last block,
                ``(B, n, width)``, before ``ln_post`` (MMRL pools them itself).

        Returns:
            Tensor | tuple[Tensor, Tensor]: the features, and the span's outputs when asked.
        """
        self.image_passes += images.shape[0]
        if prompts is None and not return_prompt_tokens:
            feats = self.model.encode_image(images.to(self.dtype))  # open_clip's own path
            return F.normalize(feats, dim=-1) if normalize else feats
        feats, span = self._encode_image_prompted(images.to(self.dtype), prompts)
        feats = F.normalize(feats, dim=-1) if normalize else feats
        return (feats, span) if return_prompt_tokens else feats

    @contextlib.contextmanager
    def plain_pass_alongside(self, num_images: int) -> Iterator[dict]:
        """Prompt-free image features computed with the next prompted image pass, sharing
        CLIP's blocks before its first prompted block.

        Within the block, the first :meth:`encode_image` call with deep prompts whose first
        prompted block is ``k > 0`` (MMRL: 5 of ViT-B/16's 12) runs blocks ``0..k-1`` once
        for its images, without prompts (no prompt token exists before block ``k``), then continues
        the first ``num_images`` images through blocks ``k..`` without prompts, under
        ``no_grad``, and stores their normalized features ``(num_images, d)`` under ``'feats'``
        of the yielded dict: what ``encode_image(images[:num_images])`` gives, up to float
        rounding of batched matrix products, for ``(12 - k) / 12`` of its cost. With prompts
        from block 0 (IVLP, PromptSRC) nothing is shared and ``'feats'`` stays None.

        Args:
            num_images (int): the plain features are of the first ``num_images`` images.

        Yields:
            dict: ``feats`` (Tensor | None), set by the call that served the request.
        """
        request = dict(num_images=int(num_images), feats=None)
        self._plain_request = request
        try:
            yield request
        finally:
            self._plain_request = None

    def _run_plain_prefix(self, x: torch.Tensor, prompts: DeepPrompts) -> torch.Tensor:
        """Serves :meth:`plain_pass_alongside`: returns ``x`` through the blocks before the
        first prompted one, and stores the plain features of the request's images."""
        request, self._plain_request = self._plain_request, None  # one call only
        if request['num_images'] > x.shape[0]:
            raise ValueError(f'plain_pass_alongside({request["num_images"]}) but the prompted '
                             f'pass has {x.shape[0]} images.')
        visual = self.model.visual
        first = prompts.first_block
        x, _ = run_blocks(visual.transformer, x, lambda length: None, None, end=first)
        with torch.no_grad():
            plain, _ = run_blocks(
                visual.transformer,
                x[:request['num_images']],
                lambda length: None,
                None,
                begin=first)
            pooled, _ = visual._pool(plain)
            if visual.proj is not None:
                pooled = pooled @ visual.proj
            request['feats'] = F.normalize(pooled, dim=-1)
        return x

    def _encode_image_prompted(self, images: torch.Tensor, prompts: Optional[DeepPrompts]):
        visual = self.model.visual
        if not all(hasattr(visual, a) for a in ('_embeds', '_pool', 'transformer', 'ln_pre')):
            raise NotImplementedError(
                f'Deep visual prompts need an open_clip VisionTransformer; {self.model_name} has '
                f'a {type(visual).__name__} image tower.')
        if prompts is not None and prompts.in_input:
            raise ValueError('Deep visual prompts cannot be in_input: the image tower builds its '
                             'input sequence itself; give the tokens of block 0 instead.')
        x = visual._embeds(images)
        first_inserted = prompts is not None and prompts.first_block == 0
        if first_inserted:
            start = span_start(prompts, x.shape[1])
            x = place_span(x, visual.ln_pre(prompts.tokens[0].to(x.dtype)), start, replace=False)
        begin = 0
        if self._plain_request is not None and prompts is not None and prompts.first_block > 0:
            x = self._run_plain_prefix(x, prompts)
            begin = prompts.first_block
        x, start = run_blocks(
            visual.transformer,
            x,
            lambda length: None,
            prompts,
            skip_first_insert=first_inserted,
            tower='vision',
            begin=begin)
        span = None
        if prompts is not None:
            n = prompts.num_tokens
            span = x[:, start:start + n]
            x = torch.cat([x[:, :start], x[:, start + n:]], dim=1)
        pooled, _ = visual._pool(x)
        if visual.proj is not None:
            pooled = pooled @ visual.proj
        return pooled, span

    # ------------------------------------------------------------------ text side
    def tokenize(self, texts: Sequence[str]) -> torch.Tensor:
        """Token ids ``(N, context_length)`` on the model's device."""
        return self.tokenizer(list(texts)).to(self.text['token_embedding'].weight.device)

    def token_embedding(self, tokens: torch.Tensor) -> torch.Tensor:
        """Token embeddings ``(N, L, width)`` of token ids ``(N, L)``."""
        return self.text['token_embedding'](tokens)

    def eot_indices(self, tokens: torch.Tensor) -> torch.Tensor:
        """Position of the token whose feature is pooled (the end-of-text token), per prompt."""
        if self.text['pool_type'] == 'argmax':  # CLIP's EOT has the largest id
            return tokens.argmax(dim=-1)
        if self.text['pool_type'] == 'eos':
            return (tokens == self.text['eos_id']).int().argmax(dim=-1)
        raise NotImplementedError(
            f'Text pooling "{self.text["pool_type"]}" of {self.model_name} is not supported by '
            'prompt learners: they need a pooled end-of-text token (pool_type argmax or eos).')

    def encode_text(self, tokens: torch.Tensor, normalize: bool = True) -> torch.Tensor:
        """Text features ``(N, d)`` of token ids ``(N, L)``."""
        return self.encode_text_embeddings(
            self.token_embedding(tokens), self.eot_indices(tokens), normalize=normalize)

    def encode_text_embeddings(self,
                               embeddings: torch.Tensor,
                               eot_indices: torch.Tensor,
                               normalize: bool = True,
                               prompts: Optional[DeepPrompts] = None,
                               begin: int = 0) -> torch.Tensor:
        """Text features ``(N, d)`` of prompt embeddings ``(N, L, width)``.

        The text transformer is causal, so the feature at the end-of-text position depends on the
        positions up to it only: the sequence is cut after the last end-of-text position of the
        batch, which gives the same features for a fraction of the cost (CoOp prompts end at
        position 10 to 20 of 77). Deep prompts keep the cut: their span lies before every
        end-of-text position (inserted spans shift it by their length).

        Args:
            embeddings (Tensor): token embeddings, learned context included, ``(N, L, width)``;
                with ``begin > 0``, the hidden states :meth:`text_hidden_states` returned for
                ``end=begin``.
            eot_indices (Tensor): position of the end-of-text token of each prompt, ``(N,)``.
            normalize (bool): L2-normalize the features. Defaults to True.
            prompts (DeepPrompts, optional): deep text prompts: ``in_input=True`` replaces
                positions ``[position, position + n)`` of the sequence (IVLP's context) at each
                block with tokens; ``in_input=False`` inserts the span at ``position`` (MMRL).
                Positional embeddings are added to the input embeddings only.
            begin (int): the first block to run (the blocks before it, which must have no
                prompt tokens, ran in :meth:`text_hidden_states`). Defaults to 0.
        """
        text = self.text
        x = embeddings if begin else self._text_input(embeddings, eot_indices)
        if prompts is not None:
            eot_indices = self._check_text_span(prompts, eot_indices)
        x, _ = run_blocks(
            text['transformer'], x, self._text_mask, prompts, tower='text', begin=begin)
        x = text['ln_final'](x)
        x = x[torch.arange(x.shape[0], device=x.device), eot_indices.to(x.device)]
        proj = text['text_projection']
        if isinstance(proj, nn.Linear):
            x = proj(x)
        elif proj is not None:
            x = x @ proj
        return F.normalize(x, dim=-1) if normalize else x

    @torch.no_grad()
    def text_hidden_states(self, embeddings: torch.Tensor, eot_indices: torch.Tensor,
                           end: int) -> torch.Tensor:
        """The text transformer's hidden states after its blocks ``0..end-1``, without prompts
        and gradient, cut after the last end-of-text position as :meth:`encode_text_embeddings`
        cuts them.

        What a deep text prompt that enters at block ``end`` (MMRL's representation tokens)
        leaves unchanged: frozen blocks over fixed prompts give the same states every step, so
        a method can compute them once per class list and continue with
        ``encode_text_embeddings(states, eot_indices, prompts=..., begin=end)``.

        Args:
            embeddings (Tensor): token embeddings ``(N, L, width)``.
            eot_indices (Tensor): position of the end-of-text token of each prompt, ``(N,)``.
            end (int): the number of blocks to run.

        Returns:
            Tensor: ``(N, L', width)``, ``L'`` the cut length.
        """
        x, _ = run_blocks(
            self.text['transformer'],
            self._text_input(embeddings, eot_indices),
            self._text_mask,
            None,
            tower='text',
            end=end)
        return x

    def _text_input(self, embeddings: torch.Tensor, eot_indices: torch.Tensor) -> torch.Tensor:
        """The transformer's input: embeddings cut after the last end-of-text position (causal
        towers), plus the positional embeddings."""
        text = self.text
        causal = text['attn_mask'] is not None
        length = int(eot_indices.max()) + 1 if causal else embeddings.shape[1]
        cast_dtype = text['transformer'].get_cast_dtype()
        return embeddings[:, :length].to(cast_dtype) + text['positional_embedding'][:length].to(
            cast_dtype)

    def _text_mask(self, size: int) -> Optional[torch.Tensor]:
        """The causal attention mask for ``size`` positions (None for a non-causal tower)."""
        attn_mask = self.text['attn_mask']
        if attn_mask is None:
            return None
        if size <= attn_mask.shape[0]:
            return attn_mask[:size, :size]
        return torch.full((size, size),
                          float('-inf'),
                          dtype=attn_mask.dtype,
                          device=attn_mask.device).triu_(1)

    @staticmethod
    def _check_text_span(prompts: DeepPrompts, eot_indices: torch.Tensor) -> torch.Tensor:
        """End-of-text positions after the span is placed; the span must precede them all."""
        if prompts.position == END:
            raise ValueError('Deep text prompts need an int position: after the end-of-text '
                             'token they would not reach the pooled feature.')
        start, n = int(prompts.position), prompts.num_tokens
        first_eot = int(eot_indices.min())
        last = start + n if prompts.in_input else start
        if start < 1 or last > first_eot:
            raise ValueError(
                f'The deep text prompt span starts at {start} with {n} tokens '
                f'(in_input={prompts.in_input}), but it must lie after the start-of-text token '
                f'and before the first end-of-text position ({first_eot}) of the prompts.')
        return eot_indices if prompts.in_input else eot_indices + n

    @torch.no_grad()
    def zeroshot_weights(self,
                         classnames: Sequence[str],
                         templates: Sequence[str],
                         chunk_size: int = 512) -> torch.Tensor:
        """Zero-shot class weights ``(C, d)``: per class, the renormalized mean of the
        normalized text features of ``templates`` filled with the class name.

        Computed once per (class list, templates, device) and reused.
        """
        device = self.text['token_embedding'].weight.device
        key = (tuple(classnames), tuple(templates), str(device))
        if key not in self._zeroshot_cache:
            prompts = [format_class_prompt(t, c) for c in classnames for t in templates]
            feats = torch.cat([
                self.encode_text(self.tokenize(prompts[i:i + chunk_size]))
                for i in range(0, len(prompts), chunk_size)
            ]).float()
            feats = feats.view(len(classnames), len(templates), -1).mean(dim=1)
            self._zeroshot_cache[key] = F.normalize(feats, dim=-1)
        return self._zeroshot_cache[key]


def text_tower(model: nn.Module) -> Dict[str, object]:
    """The parts of an open_clip model's text tower, for ``CLIP`` and ``CustomTextCLIP``."""
    owner = getattr(model, 'text', model)
    if not hasattr(owner, 'token_embedding') or getattr(owner, 'cls_emb', None) is not None:
        raise NotImplementedError(
            f'{type(model).__name__} with text tower {type(owner).__name__} is not supported: '
            'prompt learners need a CLIP-style causal text transformer (token_embedding, '
            'positional_embedding, transformer, ln_final, text_projection), not an HF text model.')
    return dict(
        token_embedding=owner.token_embedding,
        positional_embedding=owner.positional_embedding,
        transformer=owner.transformer,
        ln_final=owner.ln_final,
        text_projection=owner.text_projection,
        attn_mask=owner.attn_mask,
        pool_type=getattr(owner, 'text_pool_type', getattr(owner, 'pool_type', 'argmax')),
        eos_id=getattr(owner, 'text_eos_id', getattr(owner, 'eos_id', None)),
    )


def is_jit_archive(path: str) -> bool:
    """True for a TorchScript archive such as OpenAI's released ``ViT-B-16.pt``."""
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as zf:
        return any(name.endswith('constants.pkl') for name in zf.namelist())


def is_weights_file(pretrained: str) -> bool:
    """Whether ``pretrained`` names a local file (else an open_clip tag)."""
    return osp.sep in pretrained or osp.isfile(pretrained) or pretrained.endswith(
        ('.pt', '.pth', '.bin', '.safetensors'))


@contextlib.contextmanager
def _without_random_init_notice() -> Iterator[None]:
    """Drops open_clip's "No pretrained weights loaded ... initialized randomly" record, which
    it logs whenever ``create_model`` gets no tag, also when the weights are loaded from a file
    right after; :class:`OpenCLIP` logs where the weights came from instead."""

    def drop(record: logging.LogRecord) -> bool:
        return 'No pretrained weights loaded' not in record.getMessage()

    handlers = [h for h in logging.getLogger().handlers]
    loggers = [
        logging.getLogger(),
        logging.getLogger('open_clip'),
        logging.getLogger('open_clip.factory')
    ]
    for target in loggers + handlers:
        target.addFilter(drop)
    try:
        yield
    finally:
        for target in loggers + handlers:
            target.removeFilter(drop)


def build_open_clip(model_name: str, pretrained: Optional[str], quick_gelu: Optional[bool],
                    cache_dir: Optional[str]) -> nn.Module:
    """Builds the open_clip model and loads ``pretrained`` (tag or local file)."""
    with _without_random_init_notice():
        return _build_open_clip(model_name, pretrained, quick_gelu, cache_dir)


def _build_open_clip(model_name: str, pretrained: Optional[str], quick_gelu: Optional[bool],
                     cache_dir: Optional[str]) -> nn.Module:
    is_file = pretrained is not None and is_weights_file(pretrained)
    if pretrained is None or not is_file:
        if pretrained is not None:
            tags = open_clip.list_pretrained_tags_by_model(model_name)
            if pretrained not in tags:
                raise ValueError(f'"{pretrained}" is neither a file nor a pretrained tag of '
                                 f'{model_name}. Its tags: {", ".join(tags) or "(none)"}.')
            if quick_gelu is None:
                quick_gelu = bool(
                    open_clip.get_pretrained_cfg(model_name, pretrained).get('quick_gelu', False))
        return open_clip.create_model(
            model_name,
            pretrained=pretrained,
            force_quick_gelu=bool(quick_gelu),
            cache_dir=cache_dir,
            pretrained_text=False)
    path = osp.expanduser(pretrained)
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'CLIP weights file not found: {path}. Give a local file (state dict, checkpoint with '
            f'"state_dict", .safetensors or an OpenAI JIT archive) or an open_clip tag of '
            f'{model_name} such as "openai", which open_clip downloads (needs network).')
    jit = is_jit_archive(path)
    if quick_gelu is None:
        quick_gelu = jit  # OpenAI's released models use QuickGELU
    model = open_clip.create_model(
        model_name, pretrained=None, force_quick_gelu=quick_gelu, pretrained_text=False)
    if jit:
        state_dict = torch.jit.load(path, map_location='cpu').state_dict()
        # OpenAI's archives carry three ints; a traced model also its non-persistent buffers.
        non_persistent = set(dict(model.named_buffers())) - set(model.state_dict())
        for key in ('input_resolution', 'context_length', 'vocab_size', *non_persistent):
            state_dict.pop(key, None)
        state_dict = {k: v.float() for k, v in state_dict.items()}
        model.load_state_dict(state_dict, strict=True)
    else:
        try:
            open_clip.load_checkpoint(model, path, strict=True, weights_only=True)
        except RuntimeError as err:
            raise RuntimeError(f'CLIP weights in {path} do not fit open_clip model '
                               f'"{model_name}": {err}') from err
    return model
