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
from typing import Callable, Dict, List, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F

from fvgpt.evaluation import harmonic_mean
from fvgpt.models.clip.open_clip_wrapper import OpenCLIP
from .captions import caption_matches, make_caption
from .measure import to_clip_input
from .toyclip import build_toyclip
from .world import ToyWorld, ToyWorldConfig

#: The world ToyCLIP is pretrained on (its 'pretrain' stream): the generator's plain looks, none
#: of the downstream (default) world's shifts (see :mod:`fvgpt.toyworld.world`).
PRETRAIN_WORLD = dict(
    spurious_corr=0.0,
    degraded_mask_ratio=0.0,
    distractor_ratio=0.0,
    hue_shift=0.0,
    class_hue_jitter=0.0,
    noise_std=0.0,
    scale_range=(0.3, 0.75))


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


def build_pool(world: ToyWorld,
               per_class: int,
               start: int = 0) -> Tuple[np.ndarray, np.ndarray, List[Dict[str, str]]]:
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
            attrs.append(
                dict(
                    colour=spec.colour,
                    shape=spec.shape,
                    texture=spec.texture,
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


@torch.no_grad()
def zeroshot_accuracy(clip: OpenCLIP,
                      images: np.ndarray,
                      labels: np.ndarray,
                      classnames: Sequence[str],
                      num_base: int,
                      template: str = 'a photo of a {}.',
                      batch_size: int = 256) -> Dict[str, float]:
    """Zero-shot accuracy (%) of the wrapped CLIP in its current state, all classes and B2N.

    ``all`` classifies among every class; ``base`` / ``new`` the images of the first
    ``num_base`` / the other labels among those classes only; ``hm`` their harmonic mean. Text
    features are computed afresh (the weights change during pretraining; the wrapper's
    ``zeroshot_weights`` caches them).
    """
    labels = np.asarray(labels)
    text = clip.encode_text(clip.tokenize([template.format(c) for c in classnames]))
    feats = torch.cat([
        clip.encode_image(to_clip_input(images[i:i + batch_size]))
        for i in range(0, len(images), batch_size)
    ])
    scores = (feats @ text.t()).numpy()
    out = {'all': 100.0 * float((scores.argmax(1) == labels).mean())}
    for name, keep, cols in (('base', labels
                              < num_base, slice(0, num_base)), ('new', labels
                                                                >= num_base, slice(num_base,
                                                                                   None))):
        if keep.any():
            offset = 0 if name == 'base' else num_base
            out[name] = 100.0 * float(
                (scores[keep][:, cols].argmax(1) == labels[keep] - offset).mean())
    if 'base' in out and 'new' in out:
        out['hm'] = harmonic_mean(out['base'], out['new'])
    return out


def _param_groups(model: torch.nn.Module, weight_decay: float) -> List[dict]:
    decay, no_decay = [], []
    for name, param in model.named_parameters():
        if param.ndim < 2 or 'embedding' in name or 'logit_scale' in name:
            no_decay.append(param)
        else:
            decay.append(param)
    return [dict(params=decay, weight_decay=weight_decay), dict(params=no_decay, weight_decay=0.0)]


def pretrain_toyclip(cfg: PretrainConfig = PretrainConfig(),
                     log: Callable[[str],
                                   None] = functools.partial(print,
                                                             flush=True)) -> Tuple[OpenCLIP, dict]:
    """Pretrains ToyCLIP from scratch on the CPU.

    Args:
        cfg (PretrainConfig): the recipe.
        log (Callable): where progress lines go. Defaults to ``print`` (flushed).

    Returns:
        tuple: the trained ToyCLIP in the ``OpenCLIP`` wrapper (fp32, eval mode; ``.model`` is
        the open_clip ``CLIP``) and a summary dict (recipe, time,
        losses, held-out accuracies).
    """
    torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    world = ToyWorld(ToyWorldConfig(seed=cfg.world_seed, **PRETRAIN_WORLD))
    t0 = time.time()
    images, _, attrs = build_pool(world, cfg.images_per_class)
    held_images, held_labels, _ = build_pool(
        world, cfg.heldout_per_class, start=cfg.images_per_class)
    log(f'[pretrain] rendered {len(images)} training and {len(held_images)} held-out images of '
        f'{world.num_classes} classes in {time.time() - t0:.1f}s')

    clip = build_toyclip(checkpoint=None, frozen=False)
    model = clip.model
    optimizer = torch.optim.AdamW(
        _param_groups(model, cfg.weight_decay), lr=cfg.lr, betas=(0.9, 0.98), eps=1e-6)

    def lr_at(step: int) -> float:
        if step < cfg.warmup_steps:
            return cfg.lr * (step + 1) / cfg.warmup_steps
        progress = (step - cfg.warmup_steps) / max(1, cfg.steps - cfg.warmup_steps)
        return 0.5 * cfg.lr * (1 + math.cos(math.pi * progress))

    token_cache: Dict[str, torch.Tensor] = {}

    def tokenize(texts: List[str]) -> torch.Tensor:
        missing = [t for t in dict.fromkeys(texts) if t not in token_cache]
        if missing:
            token_cache.update(zip(missing, clip.tokenize(missing)))
        return torch.stack([token_cache[t] for t in texts])

    order = np.empty(0, dtype=np.int64)
    losses, evals = [], []
    t_train = time.time()
    clip.train()
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
        image_feats = clip.encode_image(to_clip_input(batch))
        text_feats = clip.encode_text(tokenize([c[0] for c in captions]))
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
            clip.eval()
            acc = zeroshot_accuracy(clip, held_images, held_labels, world.classes, world.num_base)
            clip.train()
            evals.append(dict(step=done, **acc))
            log(f'[pretrain] step {done}: held-out zero-shot accuracy all {acc["all"]:.1f}%  '
                f'base {acc["base"]:.1f}%  new {acc["new"]:.1f}%')
    clip.eval()
    summary = dict(
        recipe=asdict(cfg),
        model=clip.model_name,
        train_seconds=round(time.time() - t_train, 1),
        total_seconds=round(time.time() - t0, 1),
        final_loss=float(np.mean(losses[-50:])),
        heldout=evals,
        torch_version=torch.__version__)
    return clip, summary
