"""fvgpt's KgCoOp, PromptSRC, MMRL and MaPLe against the authors' own code, on the same weights.

    git clone https://github.com/JREion/FVG-PT /path/FVG-PT     # their code, not part of fvgpt
    git clone https://github.com/muzairkhattak/multimodal-prompt-learning /path/maple
    python tools/analysis/compare_with_authors.py --authors-repo /path/FVG-PT \
        [--maple-repo /path/maple]

Builds, on the state dict of one small randomly initialized open_clip ViT (2 heads of width 64 in
each tower, QuickGELU: the head counts the authors' ``build_model`` derives from the widths), the
authors' ``CustomCLIP`` of ``trainers/kgcoop.py``, ``trainers/promptsrc.py`` and
``trainers/mmrl.py`` (with their ``clip`` / ``clip_mmrl`` packages) and fvgpt's classifier of the
same recipe, copies the prompts of one into the other, and prints the largest absolute difference
of the logits and of each loss term on the same images and labels. Everything runs in fp32 on the
CPU: within this process the authors' ``.cuda()`` and ``.half()`` calls return their input (their
fp32 semantics; ``.half()`` would otherwise round their prompts to fp16 on every pass). Dassl is
not needed: the names their modules import from it get placeholders (the compared code does not
use them). ``authors_code.py`` holds that loading, shared with ``benchmark_authors.py``. Exits
with status 1 when a difference exceeds ``--tolerance``.

MaPLe (``--maple-repo``, its ``trainers/maple.py`` with that repository's own ``clip`` package)
runs on a second tiny model of text width 512 and vision width 768, the widths its prompt
learner hard-codes (``nn.Linear(ctx_dim, 768)``, ``torch.empty(n_ctx, 512)``).
"""
import argparse
import json
import os.path as osp
import sys
import types
from typing import List, Tuple

import torch
import torch.nn.functional as F
from authors_code import (authors_fp32_semantics, load_authors_trainers, load_module_file, max_diff,
                          node, random_clip_weights)
from mmpretrain.structures import DataSample

from fvgpt.registry import MODELS
from fvgpt.setup_env import register_all_modules

CLASSES = ['red circle', 'blue_square', 'green star']
TINY = 'authors-compare-tiny'
TINY_CFG = dict(
    embed_dim=64,
    quick_gelu=True,
    vision_cfg=dict(image_size=32, layers=4, width=128, head_width=64, patch_size=8),
    text_cfg=dict(context_length=77, vocab_size=49408, width=128, heads=2, layers=3))
# MaPLe's widths (hard-coded by its prompt learner), heads = width // 64 as their build_model
TINY_MAPLE = 'authors-compare-tiny-maple'
TINY_MAPLE_CFG = dict(
    embed_dim=64,
    quick_gelu=True,
    vision_cfg=dict(image_size=32, layers=4, width=768, head_width=64, patch_size=8),
    text_cfg=dict(context_length=77, vocab_size=49408, width=512, heads=8, layers=3))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--authors-repo', required=True, help='a checkout of JREion/FVG-PT')
    parser.add_argument(
        '--maple-repo', help='a checkout of muzairkhattak/multimodal-prompt-learning (MaPLe)')
    parser.add_argument('--tolerance', type=float, default=1e-4)
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args()


def load_maple_trainer(repo: str) -> types.ModuleType:
    """MaPLe's ``trainers/maple.py`` with its repository's own ``clip`` package, which shares
    its name with the FVG-PT authors' (already imported): theirs is set aside meanwhile."""
    saved = {
        k: sys.modules.pop(k)
        for k in list(sys.modules) if k == 'clip' or k.startswith('clip.')
    }
    sys.path.insert(0, repo)
    try:
        module = load_module_file('maple_trainers_maple', osp.join(repo, 'trainers', 'maple.py'))
    finally:
        sys.path.remove(repo)
        for k in [k for k in sys.modules if k == 'clip' or k.startswith('clip.')]:
            del sys.modules[k]
        sys.modules.update(saved)
    return module


def compare_kgcoop(A, weights, clip_cfg, images, labels) -> List[Tuple[str, float]]:
    design = dict(trainer='CoOp', vision_depth=0, language_depth=0, vision_ctx=0, language_ctx=0)
    build = lambda *a: A['kgcoop'].clip.build_model(dict(weights), design).float().eval()  # noqa
    A['kgcoop'].load_clip_to_cpu = build  # their second CLIP, for the hand-prompt features
    cfg = node(
        TRAINER=node(
            COOP=node(
                N_CTX=4,
                CTX_INIT='a photo of a',
                CSC=False,
                PREC='fp32',
                CLASS_TOKEN_POSITION='end',
                W=2.0)),
        MODEL=node(BACKBONE=node(NAME='ViT-B/16')),
        INPUT=node(SIZE=(32, 32)),
        DATASET=node(NAME='Caltech101'))  # template 'a photo of a {}.'
    theirs = A['kgcoop'].CustomCLIP(cfg, CLASSES, build()).eval()
    ours = MODELS.build(
        dict(
            type='KgCoOp',
            clip=clip_cfg,
            kg_weight=2.0,
            prompt_learner=dict(type='CoOpPromptLearner', n_ctx=4, ctx_init='a photo of a')))
    with torch.no_grad():  # a context away from its init
        ours.prompt_learner.ctx.add_(0.3 * torch.randn_like(ours.prompt_learner.ctx))
        theirs.prompt_learner.ctx.copy_(ours.prompt_learner.ctx)
    ours.set_class_list(CLASSES, ['a photo of a {}.'], 'base')
    ours.train()
    losses = ours.loss(images, [DataSample().set_gt_label(int(y)) for y in labels])
    logits, score = theirs(images)
    return [('logits', max_diff(ours.logits(images), logits)),
            ('loss_ce', max_diff(losses['loss_ce'], F.cross_entropy(logits, labels))),
            ('loss_kg', max_diff(losses['loss_kg'], 2.0 * score))]


def compare_promptsrc(A, weights, clip_cfg, images, labels) -> List[Tuple[str, float]]:
    design = dict(trainer='IVLP', vision_depth=3, language_depth=3, vision_ctx=2, language_ctx=4)
    plain = dict(trainer='IVLP', vision_depth=0, language_depth=0, vision_ctx=0, language_ctx=0)
    clip_pkg = A['promptsrc'].clip
    A['promptsrc'].load_clip_to_cpu = lambda cfg, zero_shot_model=False: clip_pkg.build_model(
        dict(weights), plain if zero_shot_model else design).float().eval()
    cfg = node(
        TRAINER=node(
            PROMPTSRC=node(
                N_CTX_VISION=2,
                N_CTX_TEXT=4,
                CTX_INIT='a photo of a',
                PREC='fp32',
                PROMPT_DEPTH_VISION=3,
                PROMPT_DEPTH_TEXT=3)),
        MODEL=node(BACKBONE=node(NAME='ViT-B/16')),
        INPUT=node(SIZE=(32, 32)),
        OPTIM=node(MAX_EPOCH=10))
    theirs = A['promptsrc'].CustomCLIP(cfg, CLASSES, A['promptsrc'].load_clip_to_cpu(cfg))
    ours = MODELS.build(
        dict(
            type='PromptSRC',
            clip=clip_cfg,
            text_weight=25.0,
            image_weight=10.0,
            prompt_learner=dict(
                type='IVLPPromptLearner',
                n_ctx_text=4,
                n_ctx_vision=2,
                depth_text=3,
                depth_vision=3)))
    learner = ours.prompt_learner
    with torch.no_grad():
        learner.ctx.add_(0.3 * torch.randn_like(learner.ctx))
        theirs.prompt_learner.ctx.copy_(learner.ctx)
        theirs.image_encoder.VPT.copy_(learner.vision[0])
        for i in (1, 2):
            theirs.image_encoder.transformer.resblocks[i].VPT_shallow.copy_(learner.vision[i])
            theirs.text_encoder.transformer.resblocks[i].VPT_shallow.copy_(learner.text_deep[i - 1])
    ours.set_class_list(CLASSES, ['a photo of a {}.'], 'base')
    ours.train()
    theirs.train()
    losses = ours.loss(images, [DataSample().set_gt_label(int(y)) for y in labels])
    ce, text, teacher_text, teacher_image, image, teacher_logits, logits = theirs(images, labels)
    # their forward_backward (fp32 path)
    kl = F.kl_div(
        F.log_softmax(logits, dim=1),
        F.log_softmax(teacher_logits, dim=1),
        reduction='sum',
        log_target=True) / logits.numel()
    return [('logits', max_diff(ours.logits(images), logits)),
            ('loss_ce', max_diff(losses['loss_ce'], ce)),
            ('loss_scl_text', max_diff(losses['loss_scl_text'],
                                       F.l1_loss(text, teacher_text) * 25)),
            ('loss_scl_image',
             max_diff(losses['loss_scl_image'],
                      F.l1_loss(image, teacher_image) * 10)),
            ('loss_scl_logits', max_diff(losses['loss_scl_logits'], kl))]


def compare_mmrl(A, weights, clip_cfg, images, labels) -> List[Tuple[str, float]]:
    mmrl = A['mmrl']
    build = lambda model: mmrl.clip.build_model_MMRL(  # noqa: E731
        dict(weights), dict(model=model, rep_tokens_layers=[2, 3], n_rep_tokens=3)).float()
    cfg = node(
        TRAINER=node(
            MMRL=node(
                ALPHA=0.7,
                REG_WEIGHT=1.0,
                N_REP_TOKENS=3,
                REP_LAYERS=[2, 3],
                PREC='fp32',
                REP_DIM=16)),
        MODEL=node(BACKBONE=node(NAME='ViT-B/16')),
        INPUT=node(SIZE=(32, 32)),
        DATASET=node(NAME='Caltech101'))
    theirs, plain = mmrl.CustomCLIP(cfg, CLASSES, build('MMRL')), build('CLIP').eval()
    ours = MODELS.build(
        dict(
            type='MMRL',
            clip=clip_cfg,
            alpha=0.7,
            reg_weight=1.0,
            representation_learner=dict(
                type='MMRLRepresentationLearner', n_tokens=3, rep_dim=16, rep_layers=[2, 3])))
    mine, their = ours.representation_learner, theirs.representation_learner
    with torch.no_grad():  # larger tokens and distinct per-layer maps, as after training
        mine.rep_tokens.normal_()
        their.compound_rep_tokens.copy_(mine.rep_tokens)
        for ours_maps, their_maps in [(mine.to_text, their.compound_rep_tokens_r2tproj),
                                      (mine.to_visual, their.compound_rep_tokens_r2vproj)]:
            for a, b in zip(ours_maps, their_maps):
                a.weight.add_(0.05 * torch.randn_like(a.weight))
                b.weight.copy_(a.weight)
                b.bias.copy_(a.bias)
        theirs.image_encoder.proj_rep.copy_(mine.proj_rep)
        text_clip = mmrl._get_text_base_features_zero_shot(cfg, CLASSES, plain,
                                                           mmrl.TextEncoder_CLIP(plain))
        text_clip = text_clip / text_clip.norm(dim=-1, keepdim=True)
        image_clip = plain.visual(images)
        image_clip = image_clip / image_clip.norm(dim=-1, keepdim=True)
    ours.set_class_list(CLASSES, ['a photo of a {}.'], 'base')
    ours.train()
    theirs.train()
    losses = ours.loss(images, [DataSample().set_gt_label(int(y)) for y in labels])
    logits, logits_rep, _, image, text = theirs(images)
    loss = mmrl.MMRL_Loss(
        reg_weight=1.0, alpha=0.7)(logits, logits_rep, image, text, image_clip, text_clip, labels)
    ours.eval()
    theirs.eval()
    with torch.no_grad():
        base = ours.logits(images)
        ours.set_class_list(CLASSES, ['a photo of a {}.'], 'new')
        new = ours.logits(images)
        their_logits, _, their_fusion, _, _ = theirs(images)  # MMRL.test: base fusion, new cls
    return [('loss (MMRL_Loss)', max_diff(sum(losses.values()), loss)),
            ('base logits (fusion)', max_diff(base, their_fusion)),
            ('new logits (class token)', max_diff(new, their_logits))]


def compare_maple(maple, weights, clip_cfg, images, labels) -> List[Tuple[str, float]]:
    design = dict(
        trainer='MaPLe',
        vision_depth=0,
        language_depth=0,
        vision_ctx=0,
        language_ctx=0,
        maple_length=2)
    cfg = node(
        TRAINER=node(MAPLE=node(N_CTX=2, CTX_INIT='a photo of a', PREC='fp32', PROMPT_DEPTH=3)),
        MODEL=node(BACKBONE=node(NAME='ViT-B/16')),
        INPUT=node(SIZE=(32, 32)))
    theirs = maple.CustomCLIP(cfg, CLASSES, maple.clip.build_model(dict(weights), design).float())
    ours = MODELS.build(
        dict(
            type='MaPLe',
            clip=clip_cfg,
            prompt_learner=dict(
                type='MaPLePromptLearner', n_ctx=2, depth=3, ctx_init='a photo of a')))
    mine, their = ours.prompt_learner, theirs.prompt_learner
    their_maps = [their.proj, *their.compound_prompt_projections]
    with torch.no_grad():  # prompts and maps away from their init, as after training
        for p in mine.parameters():
            p.add_(0.05 * torch.randn_like(p))
        their.ctx.copy_(mine.ctx)
        for a, b in zip(mine.text_deep, their.compound_prompts_text):
            b.copy_(a)
        for a, b in zip(mine.to_vision, their_maps):
            b.weight.copy_(a.weight)
            b.bias.copy_(a.bias)
    ours.set_class_list(CLASSES, ['a photo of a {}.'], 'base')
    ours.train()
    theirs.train()
    loss = ours.loss(images, [DataSample().set_gt_label(int(y)) for y in labels])['loss_ce']
    their_loss = theirs(images, labels)  # CustomCLIP.forward in training: the cross-entropy
    ours.eval()
    theirs.eval()
    with torch.no_grad():
        rows = [('logits', max_diff(ours.logits(images), theirs(images)))]
    return rows + [('loss_ce', max_diff(loss, their_loss))]


def main() -> None:
    args = parse_args()
    register_all_modules()
    authors = load_authors_trainers(args.authors_repo, ['kgcoop', 'promptsrc', 'mmrl'])
    authors_fp32_semantics()  # see the module docstring
    weights, path = random_clip_weights(args.seed, TINY, TINY_CFG)
    clip_cfg = dict(type='OpenCLIP', model_name=TINY, pretrained=path, quick_gelu=True)
    worst = {}
    for name, compare in [('KgCoOp', compare_kgcoop), ('PromptSRC', compare_promptsrc),
                          ('MMRL', compare_mmrl)]:
        torch.manual_seed(args.seed + 1)
        images, labels = torch.randn(3, 3, 32, 32), torch.tensor([2, 0, 1])
        rows = compare(authors, weights, clip_cfg, images, labels)
        for what, diff in rows:
            print(f'{name:10s} {what:26s} max |fvgpt - authors| = {diff:.2e}')
        worst[name] = max(diff for _, diff in rows)
    if args.maple_repo:
        maple = load_maple_trainer(osp.abspath(args.maple_repo))
        weights, path = random_clip_weights(args.seed, TINY_MAPLE, TINY_MAPLE_CFG)
        clip_cfg = dict(type='OpenCLIP', model_name=TINY_MAPLE, pretrained=path, quick_gelu=True)
        torch.manual_seed(args.seed + 1)
        images, labels = torch.randn(3, 3, 32, 32), torch.tensor([2, 0, 1])
        rows = compare_maple(maple, weights, clip_cfg, images, labels)
        for what, diff in rows:
            print(f'{"MaPLe":10s} {what:26s} max |fvgpt - authors| = {diff:.2e}')
        worst['MaPLe'] = max(diff for _, diff in rows)
    print(json.dumps({k: float(f'{v:.3g}') for k, v in worst.items()}))
    sys.exit(0 if max(worst.values()) <= args.tolerance else 1)


if __name__ == '__main__':
    main()
