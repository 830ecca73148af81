"""Contrastive pretraining of ToyCLIP on generated image/caption pairs.

The images come from the toy world's ``'pretrain'`` stream, which shares no seed with the
benchmark's train, val and test streams, and cover every class (base and new: CLIP is the
foundation model; prompt tuning later sees base classes only), on random backgrounds (no spurious
correlation, exact masks unused). Each step draws a fresh caption per image
(:mod:`~fvgpt.toyworld.captions`). The loss is CLIP's symmetric cross-entropy with one change for
so small a world: a caption's positives are all the images of the batch it describes (two "a photo
of a red circle." in one batch are not negatives of each other), weighted equally.
"""
import functools
import math
import time
from dataclasses import asdict, dataclass
from typing import Callable, Dict, List, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from open_clip.transformer import text_global_pool

from .captions import caption_matches, make_caption
from .toyclip import images_to_tensor, register_toyclip, zeroshot_report
from .world import ToyWorld, ToyWorldConfig


@dataclass(frozen=True)
class PretrainConfig:
    """The ToyCLIP pretraining recipe.

    Args:
        seed (int): seed of initialization, batch order, flips and captions. Defaults to 0.
        world_seed (int): seed of the toy world the pretraining images are drawn from (its
            ``'pretrain'`` stream). Defaults to 0.
        images_per_class (int): size of the image pool per class. Defaults to 300.
        heldout_per_class (int): images per class (further indices of the same stream) to
            monitor zero-shot accuracy during training. Defaults to 10.
        steps (int): optimizer steps. Defaults to 1500.
        batch_size (int): images (and captions) per step. Defaults to 128.
        lr (float): peak AdamW learning rate. Defaults to 1e-3.
        weight_decay (float): AdamW weight decay of matrices. Defaults to 0.1.
        warmup_steps (int): linear warm-up steps before the cosine decay. Defaults to 100.
        threads (int): torch CPU threads (fixed, for reproducibility). Defaults to 2.
        log_interval (int): steps between progress lines. Defaults to 50.
        eval_interval (int): steps between held-out evaluations. Defaults to 500.
    """
    seed: int = 0
    world_seed: int = 0
    images_per_class: int = 300
    heldout_per_class: int = 10
    steps: int = 1500
    batch_size: int = 128
    lr: float = 1e-3
    weight_decay: float = 0.1
    warmup_steps: int = 100
    threads: int = 2
    log_interval: int = 50
    eval_interval: int = 500


def build_pool(world: ToyWorld, per_class: int, start: int = 0
               ) -> Tuple[np.ndarray, np.ndarray, List[Dict[str, str]]]:
    """Renders ``per_class`` images per class from the world's ``'pretrain'`` stream.

    Returns:
        tuple: uint8 images ``(N, H, W, 3)``, labels ``(N,)`` and per-image attributes
        (``colour``, ``shape``, ``texture``, ``size``).
    """
    images, labels, attrs = [], [], []
    for label in range(world.num_classes):
        for index in range(start, start + per_class):
            sample = world.sample('pretrain', label, index)
            images.append(sample.image)
            labels.append(label)
            spec = sample.spec
            attrs.append(dict(colour=spec.colour, shape=spec.shape, texture=spec.texture,
                              size=world.size_word(spec) or ''))
    return np.stack(images), np.asarray(labels), attrs


def multi_positive_clip_loss(image_feats: torch.Tensor, text_feats: torch.Tensor,
                             logit_scale: torch.Tensor, matches: torch.Tensor) -> torch.Tensor:
    """CLIP's symmetric loss with several positives per row.

    Args:
        image_feats (torch.Tensor): ``(N, d)`` normalized image features.
        text_feats (torch.Tensor): ``(N, d)`` normalized caption features.
        logit_scale (torch.Tensor): the log of the logit scale.
        matches (torch.Tensor): ``(N, N)`` bool, ``[i, j]`` True when caption j describes image i
            (the diagonal is True).
    """
    logits = logit_scale.exp() * image_feats @ text_feats.T
    target = matches.float()
    i2t = -(target / target.sum(1, keepdim=True) * F.log_softmax(logits, dim=1)).sum(1)
    t2i = -(target.T / target.T.sum(1, keepdim=True) * F.log_softmax(logits.T, dim=1)).sum(1)
    return (i2t.mean() + t2i.mean()) / 2


def encode_text_trimmed(model: torch.nn.Module, tokens: torch.Tensor) -> torch.Tensor:
    """``model.encode_text(tokens)`` of an open_clip ``CLIP``, run on the used positions only.

    Captions fill a fraction of the 77-token context. The text transformer is causal and pools at
    the end-of-text token, so dropping the padding after the longest caption's end token changes
    no output, and saves most of the text tower's work.
    """
    if model.attn_mask is None or model.text_pool_type != 'argmax':
        return model.encode_text(tokens)  # not causal, or pooled elsewhere: nothing to trim
    length = int(tokens.argmax(dim=-1).max()) + 1
    tokens = tokens[:, :length]
    cast_dtype = model.transformer.get_cast_dtype()
    x = model.token_embedding(tokens).to(cast_dtype)
    x = x + model.positional_embedding[:length].to(cast_dtype)
    x = model.transformer(x, attn_mask=model.attn_mask[:length, :length])
    x = model.ln_final(x)
    x = text_global_pool(x, tokens, model.text_pool_type,
                         eos_token_id=getattr(model, 'text_eos_id', None))
    if isinstance(model.text_projection, torch.nn.Linear):
        return model.text_projection(x)
    return x @ model.text_projection


def _param_groups(model: torch.nn.Module, weight_decay: float) -> List[dict]:
    decay, no_decay = [], []
    for name, param in model.named_parameters():
        if param.ndim < 2 or 'embedding' in name or 'logit_scale' in name:
            no_decay.append(param)
        else:
            decay.append(param)
    return [dict(params=decay, weight_decay=weight_decay),
            dict(params=no_decay, weight_decay=0.0)]


def pretrain_toyclip(
        cfg: PretrainConfig = PretrainConfig(),
        log: Callable[[str], None] = functools.partial(print, flush=True)
) -> Tuple[torch.nn.Module, dict]:
    """Pretrains ToyCLIP from scratch on the CPU.

    Args:
        cfg (PretrainConfig): the recipe.
        log (Callable): where progress lines go. Defaults to ``print`` (flushed).

    Returns:
        tuple: the trained open_clip model (fp32, eval mode) and a summary dict (recipe, time,
        losses, held-out accuracies).
    """
    import open_clip
    torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    world = ToyWorld(ToyWorldConfig(seed=cfg.world_seed, spurious_corr=0.0,
                                    degraded_mask_ratio=0.0))
    t0 = time.time()
    images, _, attrs = build_pool(world, cfg.images_per_class)
    held_images, held_labels, _ = build_pool(world, cfg.heldout_per_class,
                                             start=cfg.images_per_class)
    log(f'[pretrain] rendered {len(images)} training and {len(held_images)} held-out images of '
        f'{world.num_classes} classes in {time.time() - t0:.1f}s')

    name = register_toyclip()
    model = open_clip.create_model(name)
    tokenizer = open_clip.get_tokenizer(name)
    image_size = model.visual.image_size
    image_size = image_size[0] if isinstance(image_size, (tuple, list)) else image_size
    optimizer = torch.optim.AdamW(_param_groups(model, cfg.weight_decay), lr=cfg.lr,
                                  betas=(0.9, 0.98), eps=1e-6)

    def lr_at(step: int) -> float:
        if step < cfg.warmup_steps:
            return cfg.lr * (step + 1) / cfg.warmup_steps
        progress = (step - cfg.warmup_steps) / max(1, cfg.steps - cfg.warmup_steps)
        return 0.5 * cfg.lr * (1 + math.cos(math.pi * progress))

    token_cache: Dict[str, torch.Tensor] = {}

    def tokenize(texts: List[str]) -> torch.Tensor:
        missing = [t for t in dict.fromkeys(texts) if t not in token_cache]
        if missing:
            token_cache.update(zip(missing, tokenizer(missing)))
        return torch.stack([token_cache[t] for t in texts])

    order = np.empty(0, dtype=np.int64)
    losses, evals = [], []
    t_train = time.time()
    model.train()
    for step in range(cfg.steps):
        if len(order) < cfg.batch_size:
            order = np.concatenate([order, rng.permutation(len(images))])
        idx, order = order[:cfg.batch_size], order[cfg.batch_size:]
        batch = images[idx]
        flip = rng.random(len(idx)) < 0.5
        batch = np.where(flip[:, None, None, None], batch[:, :, ::-1], batch)
        captions = [make_caption(attrs[i], rng) for i in idx]
        matches = caption_matches([attrs[i] for i in idx], [c[1] for c in captions])

        for group in optimizer.param_groups:
            group['lr'] = lr_at(step)
        image_feats = F.normalize(model.encode_image(images_to_tensor(batch, image_size)), dim=-1)
        text_feats = F.normalize(
            encode_text_trimmed(model, tokenize([c[0] for c in captions])), dim=-1)
        loss = multi_positive_clip_loss(image_feats, text_feats, model.logit_scale,
                                        torch.from_numpy(matches))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            model.logit_scale.clamp_(0, math.log(100))
        losses.append(loss.item())

        done = step + 1
        if done % cfg.log_interval == 0 or done == cfg.steps:
            elapsed = time.time() - t_train
            recent = np.mean(losses[-cfg.log_interval:])
            scale = model.logit_scale.exp().item()
            log(f'[pretrain] step {done}/{cfg.steps}  loss {recent:.4f}  lr {lr_at(step):.2e}  '
                f'scale {scale:.1f}  '
                f'{elapsed:.0f}s elapsed, ~{elapsed / done * (cfg.steps - done):.0f}s left')
        if done % cfg.eval_interval == 0 or done == cfg.steps:
            model.eval()
            acc = zeroshot_report(model, held_images, held_labels, world.classes, world.num_base)
            model.train()
            evals.append(dict(step=done, **acc))
            log(f'[pretrain] step {done}: held-out zero-shot accuracy all {acc["all"]:.1f}%  '
                f'base {acc["base"]:.1f}%  new {acc["new"]:.1f}%')
    model.eval()
    summary = dict(recipe=asdict(cfg), model=name, train_seconds=round(time.time() - t_train, 1),
                   total_seconds=round(time.time() - t0, 1),
                   final_loss=float(np.mean(losses[-50:])), heldout=evals,
                   torch_version=torch.__version__)
    return model, summary
