"""fvgpt's TCP against its authors' own code, on the same weights.

    git clone https://github.com/htyao89/Textual-based_Class-aware_prompt_tuning /path/TCP
    python tools/analysis/compare_tcp_with_authors.py --authors-repo /path/TCP

Builds, on the state dict of one small randomly initialized open_clip model (QuickGELU; a text
tower 512 wide, which their meta-net's reshape to ``(C, -1, 512)`` needs, with 9 blocks so that
their class-aware tokens enter before block 8; a small image tower), the authors' ``CustomCLIP``
of ``trainers/tcp.py`` (with their ``trainers/clip_text`` package) and fvgpt's ``TCP`` for three of
their prompt forms (OxfordPets: context + "{}, a type of pet."; UCF101: "a photo of a" replaced by
the context; FGVCAircraft: a hand prompt unlike CoOp's), copies their random context and meta-net
into fvgpt's, and prints the largest absolute difference of the logits, the cross-entropy and the
knowledge-guided loss (their total minus the cross-entropy) on the same images and labels. fp32 on
the CPU: within this process their ``.cuda()`` and ``.half()`` calls return their input (their
``build_model`` would otherwise round the weights to fp16). Dassl is not needed: the names their
module imports from it get placeholders. Exits with status 1 when a difference exceeds
``--tolerance``.
"""
import argparse
import json
import os.path as osp
import sys
import types
from typing import Dict, List, Tuple

import torch
import torch.nn.functional as F
from authors_code import (install_dassl_placeholders, load_module_file, max_diff, node,
                          random_clip_weights)
from mmpretrain.structures import DataSample

from fvgpt.registry import MODELS
from fvgpt.setup_env import register_all_modules

CLASSES = ['golden_retriever', 'boeing 747', 'playing guitar', 'tabby cat', 'red fox']
MODEL_NAME = 'tcp-compare-small'
MODEL_CFG = dict(
    embed_dim=64,
    quick_gelu=True,
    vision_cfg=dict(image_size=32, layers=2, width=128, head_width=64, patch_size=8),
    text_cfg=dict(context_length=77, vocab_size=49408, width=512, heads=8, layers=9))
# dataset (their cfg.DATASET.NAME) -> fvgpt's prompt_template and knowledge_template for it (the
# dataset's own template when None, as the configs/tcp/ leaves set them)
CASES: Dict[str, Tuple[str, str]] = {
    'OxfordPets': ('{}, a type of pet.', None),
    'UCF101': ('person doing {}.', None),
    'FGVCAircraft': ('{}, a type of aircraft.', 'a photo of an aircraft {}.'),
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        '--authors-repo',
        required=True,
        help='a checkout of htyao89/Textual-based_Class-aware_prompt_tuning')
    parser.add_argument('--tolerance', type=float, default=1e-4)
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args()


def load_authors_tcp(repo: str) -> types.ModuleType:
    """Their ``trainers/tcp.py``, with placeholders for what it imports from Dassl."""
    install_dassl_placeholders({
        'trainers': dict(__path__=[osp.join(repo, 'trainers')]),  # for `from .clip_text import`
    })
    sys.path.insert(0, repo)  # their top-level `clip` package (`import clip.clip`)
    return load_module_file('trainers.tcp', osp.join(repo, 'trainers', 'tcp.py'))


def compare(tcp: types.ModuleType, weights: dict, clip_cfg: dict, dataset: str,
            images: torch.Tensor, labels: torch.Tensor) -> List[Tuple[str, float]]:
    build = lambda *a: tcp.clip.build_model(dict(weights)).float().eval()  # noqa: E731
    tcp.load_clip_to_cpu = build  # their second CLIP, for the hand-prompt features
    cfg = node(
        TRAINER=node(
            COOP=node(
                N_CTX=4, CTX_INIT=False, CSC=False, W=1.0, PREC='fp32', CLASS_TOKEN_POSITION='end'),
            COCOOP=node(PREC='fp32')),
        MODEL=node(BACKBONE=node(NAME='ViT-B/16')),
        INPUT=node(SIZE=(32, 32)),
        DATASET=node(NAME=dataset))
    theirs = tcp.CustomCLIP(cfg, CLASSES, build())
    prompt_template, knowledge_template = CASES[dataset]
    ours = MODELS.build(
        dict(
            type='TCP',
            clip=clip_cfg,
            kg_weight=8.0,
            knowledge_template=knowledge_template,
            prompt_learner=dict(
                type='TCPPromptLearner',
                n_ctx=4,
                prompt_template=prompt_template,
                class_token_block=8)))
    with torch.no_grad():  # their random context, moved away from 0; their meta-net
        theirs.prompt_learner.ctx.add_(0.3 * torch.randn_like(theirs.prompt_learner.ctx))
        ours.prompt_learner.ctx.copy_(theirs.prompt_learner.ctx)
        ours.prompt_learner.meta_net.load_state_dict(theirs.prompt_learner.meta_net.state_dict())
    # the dataset's template (fvgpt's dataset metainfo) is their hand prompt where the config
    # leaves knowledge_template None
    ours.set_class_list(CLASSES, [tcp.CUSTOM_TEMPLATES_ori[dataset]], 'base')
    ours.train()
    theirs.train()
    losses = ours.loss(images, [DataSample().set_gt_label(int(y)) for y in labels])
    logits, loss = theirs(images, labels)
    ce = F.cross_entropy(logits, labels)
    ours.eval()
    theirs.eval()
    with torch.no_grad():
        our_logits, their_logits = ours.logits(images), theirs(images)
    return [('logits (eval)', max_diff(our_logits, their_logits)),
            ('loss_ce', max_diff(losses['loss_ce'], ce)),
            ('loss_kg (8 x score)', max_diff(losses['loss_kg'], loss - ce))]


def main() -> None:
    args = parse_args()
    register_all_modules()
    tcp = load_authors_tcp(osp.abspath(args.authors_repo))
    # Their fp32 semantics on the CPU (see the module docstring), within this process only.
    torch.Tensor.cuda = lambda self, *a, **k: self
    torch.nn.Module.cuda = lambda self, *a, **k: self
    torch.Tensor.half = lambda self, *a, **k: self
    torch.nn.Module.half = lambda self, *a, **k: self
    weights, path = random_clip_weights(args.seed, MODEL_NAME, MODEL_CFG)
    clip_cfg = dict(type='OpenCLIP', model_name=MODEL_NAME, pretrained=path, quick_gelu=True)
    worst = {}
    for dataset in CASES:
        torch.manual_seed(args.seed + 1)
        images, labels = torch.randn(3, 3, 32, 32), torch.tensor([2, 0, 4])
        rows = compare(tcp, weights, clip_cfg, dataset, images, labels)
        for what, diff in rows:
            print(f'TCP {dataset:13s} {what:22s} max |fvgpt - authors| = {diff:.2e}')
        worst[dataset] = max(diff for _, diff in rows)
    print(json.dumps({k: float(f'{v:.3g}') for k, v in worst.items()}))
    sys.exit(0 if max(worst.values()) <= args.tolerance else 1)


if __name__ == '__main__':
    main()
