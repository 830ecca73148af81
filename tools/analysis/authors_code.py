"""Loading and building the FVG-PT authors' own trainer code, for the comparison tools.

Used by ``compare_with_authors.py`` (numbers) and ``benchmark_authors.py`` (speed and memory).
Their code is not part of fvgpt: pass a checkout of https://github.com/JREion/FVG-PT.

- :func:`load_authors_trainers` imports their ``trainers/<name>.py`` modules with their ``clip`` and
  ``clip_mmrl`` packages on the path; Dassl is not needed: the names their modules import from it
  get placeholders (the code these tools run does not use them).
- :func:`authors_fp32_semantics` makes their ``.cuda()`` calls no-ops and their ``.half()`` calls
  return their input, within this process: a CPU run is possible, and their fp32 recipes stay fp32
  (``.half()`` would otherwise round prompts or teacher features to fp16 on every pass).
- :func:`build_training_step` builds one method's ``CustomCLIP`` as their trainer's
  ``build_model`` does (the same parameters trainable, their optimizer of the recipe) and returns
  what their ``forward_backward`` does per step in fp32.
"""
import importlib.util
import json
import os.path as osp
import sys
import tempfile
import types
from typing import Callable, Dict, Iterable, List, Optional, Tuple

import open_clip
import torch
import torch.nn.functional as F


def node(**kw) -> types.SimpleNamespace:
    """One level of a yacs-like attribute tree."""
    return types.SimpleNamespace(**kw)


def namespace(tree: dict) -> types.SimpleNamespace:
    """A yacs-like attribute tree of plain values."""
    return node(**{k: namespace(v) if isinstance(v, dict) else v for k, v in tree.items()})


def install_dassl_placeholders(extra: Optional[Dict[str, dict]] = None) -> None:
    """Placeholder modules for the names the reference trainers import from Dassl (a registry
    whose ``register`` is a no-op, base trainer classes, builders), so their model code imports
    without Dassl; ``extra`` adds or replaces modules (name -> attributes)."""
    registry = node(register=lambda *a, **k: (lambda cls: cls))
    placeholders = {
        'dassl': {},
        'dassl.engine': dict(TRAINER_REGISTRY=registry, TrainerX=object, TrainerFGPT=object),
        'dassl.metrics': dict(compute_accuracy=None),
        'dassl.utils': dict(load_pretrained_weights=None, load_checkpoint=None),
        'dassl.optim': dict(build_optimizer=None, build_lr_scheduler=None),
        **(extra or {}),
    }
    for name, attrs in placeholders.items():
        module = types.ModuleType(name)
        module.__dict__.update(attrs)
        sys.modules[name] = module


def load_module_file(name: str, path: str) -> types.ModuleType:
    """Imports the file ``path`` as module ``name`` (registered in ``sys.modules`` first, so
    its relative imports resolve against a placeholder package of that name)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_authors_trainers(
    repo: str,
    names: Iterable[str] = ('kgcoop', 'promptsrc', 'mmrl')) -> Dict[str, types.ModuleType]:
    """The authors' trainer modules ``trainers/<name>.py`` of the checkout ``repo``.

    Args:
        repo: A checkout of JREion/FVG-PT.
        names: Module names under its ``trainers/`` (e.g. ``coop``, ``independentVL``,
            ``kgcoop``, ``promptsrc``, ``mmrl``).

    Returns:
        dict: Name to imported module.
    """
    repo = osp.abspath(repo)
    if not osp.isfile(osp.join(repo, 'trainers', 'coop.py')):
        raise FileNotFoundError(f'{repo} is not a checkout of JREion/FVG-PT (no trainers/coop.py); '
                                'pass --authors-repo /path/to/FVG-PT.')
    install_dassl_placeholders({
        'trainers': dict(__path__=[osp.join(repo, 'trainers')]),  # not its __init__ (imports all)
        'trainers.base': dict(TrainerX=object),
        'trainers.optim': dict(build_optimizer=None),
    })
    if repo not in sys.path:
        sys.path.insert(0, repo)  # their `clip` and `clip_mmrl` packages
    return {
        name: load_module_file(f'trainers.{name}', osp.join(repo, 'trainers', f'{name}.py'))
        for name in ['imagenet_templates', *names]
    }


def authors_fp32_semantics() -> None:
    """Makes ``.cuda()`` and ``.half()`` of tensors and modules return their input, for this
    process (see the module docstring). Call it only in a process that runs nothing else."""
    torch.Tensor.cuda = lambda self, *a, **k: self
    torch.nn.Module.cuda = lambda self, *a, **k: self
    torch.Tensor.half = lambda self, *a, **k: self
    torch.nn.Module.half = lambda self, *a, **k: self


# What the authors' recipes set (their configs/trainers/*/*.yaml; IVLP's yaml is
# muzairkhattak/PromptSRC's), for the ImageNet base split where they differ; precision fp32 as
# fvgpt runs them. `trainable` says which parameter names their build_model leaves trainable.
RECIPES = {
    'coop':
    dict(
        module='coop',
        batch=4,
        optimizer=('sgd', 0.0035),  # vit_b16_ep10.yaml
        trainable=lambda name: 'prompt_learner' in name,
        cfg=dict(
            COOP=dict(N_CTX=4, CTX_INIT='', CSC=False, CLASS_TOKEN_POSITION='end', PREC='fp32'))),
    'ivlp':
    dict(
        module='independentVL',
        batch=4,
        optimizer=('sgd', 0.0025),
        trainable=lambda name: 'prompt_learner' in name or 'VPT' in name,
        cfg=dict(
            IVLP=dict(
                N_CTX_TEXT=4,
                N_CTX_VISION=4,
                CTX_INIT='a photo of a',
                PROMPT_DEPTH_TEXT=9,
                PROMPT_DEPTH_VISION=9,
                PREC='fp32'))),
    'kgcoop':
    dict(
        module='kgcoop',
        batch=4,
        optimizer=('sgd', 0.0035),
        trainable=lambda name: 'ctx' in name,
        cfg=dict(
            COOP=dict(
                N_CTX=4,
                CTX_INIT='a photo of a',
                CSC=False,
                CLASS_TOKEN_POSITION='end',
                PREC='fp32',
                W=2.0))),
    'promptsrc':
    dict(
        module='promptsrc',
        batch=32,
        optimizer=('sgd', 0.0025),
        trainable=lambda name: ('prompt_learner' in name and 'ZS_image_encoder' not in name) or
        ('prompt_learner' not in name and 'VPT' in name),
        cfg=dict(
            PROMPTSRC=dict(
                N_CTX_VISION=4,
                N_CTX_TEXT=4,
                CTX_INIT='a photo of a',
                PREC='fp32',
                PROMPT_DEPTH_VISION=9,
                PROMPT_DEPTH_TEXT=9,
                TEXT_LOSS_WEIGHT=25,
                IMAGE_LOSS_WEIGHT=10))),
    'mmrl':
    dict(
        module='mmrl',
        batch=32,  # vit_b16_imagenet.yaml (the other datasets: 4)
        optimizer=('adamw', 0.001),
        trainable=lambda name: 'representation_learner' in name or 'image_encoder.proj_rep' in name,
        cfg=dict(
            MMRL=dict(
                ALPHA=0.7,
                REG_WEIGHT=1.0,
                N_REP_TOKENS=5,
                REP_LAYERS=[6, 7, 8, 9, 10, 11, 12],
                PREC='fp32',
                REP_DIM=512))),
}


def _design(method: str, trainer_cfg: dict, plain: bool = False) -> dict:
    """The ``design_details`` their ``load_clip_to_cpu`` passes to ``clip.build_model``."""
    if method == 'mmrl':
        return dict(
            model='CLIP' if plain else 'MMRL',
            rep_tokens_layers=trainer_cfg['REP_LAYERS'],
            n_rep_tokens=trainer_cfg['N_REP_TOKENS'])
    if method in ('ivlp', 'promptsrc') and not plain:
        return dict(
            trainer='IVLP',
            vision_depth=trainer_cfg['PROMPT_DEPTH_VISION'],
            language_depth=trainer_cfg['PROMPT_DEPTH_TEXT'],
            vision_ctx=trainer_cfg['N_CTX_VISION'],
            language_ctx=trainer_cfg['N_CTX_TEXT'])
    n_ctx = trainer_cfg.get('N_CTX', 0) if method == 'kgcoop' else 0
    return dict(
        trainer='IVLP' if method == 'promptsrc' else 'CoOp',
        vision_depth=0,
        language_depth=0,
        vision_ctx=0,
        language_ctx=n_ctx)


def build_training_step(module: types.ModuleType,
                        method: str,
                        state_dict: dict,
                        classnames: List[str],
                        batch_size: int,
                        device: str,
                        teacher_templates: int = 0) -> Tuple[Callable[[], None], torch.nn.Module]:
    """One of the authors' methods, built as their trainer's ``build_model`` does, and one
    training step of their ``forward_backward`` (fp32 branch) on a fixed random batch.

    Args:
        module: The authors' trainer module of ``method`` (:func:`load_authors_trainers`).
        method: A key of :data:`RECIPES`.
        state_dict: OpenAI-CLIP-layout weights (e.g. a random open_clip ViT-B-16's).
        classnames: The class list.
        batch_size: Images per step.
        device: ``cpu`` or ``cuda``; call :func:`authors_fp32_semantics` first either way.
        teacher_templates: PromptSRC only: if > 0, their frozen teacher text features are built
            from the first this many of their templates instead of all 60. The features are
            computed once at construction (not in the step) and their values do not change the
            step's cost; on a CPU, 60 templates x 500 classes take most of an hour.

    Returns:
        tuple: ``step`` (no arguments; forward, loss, backward, optimizer step) and the model.
    """
    recipe = RECIPES[method]
    trainer_cfg = recipe['cfg'][method.upper() if method in ('ivlp', 'mmrl',
                                                             'promptsrc') else 'COOP']
    image_size = state_dict['visual.conv1.weight'].shape[-1] * round(
        (state_dict['visual.positional_embedding'].shape[0] - 1)**0.5)
    cfg = namespace(
        dict(
            MODEL=dict(BACKBONE=dict(NAME='ViT-B/16')),
            INPUT=dict(SIZE=(image_size, image_size)),
            DATASET=dict(NAME='ImageNet'),
            OPTIM=dict(MAX_EPOCH=10),
            TRAINER=recipe['cfg']))
    build = module.clip.build_model_MMRL if method == 'mmrl' else module.clip.build_model

    def load_clip(plain: bool = False) -> torch.nn.Module:  # their load_clip_to_cpu, then .float()
        return build(dict(state_dict), _design(method, trainer_cfg, plain)).float()

    # their modules load CLIP themselves for the frozen features: same weights
    if method == 'promptsrc':
        module.load_clip_to_cpu = lambda cfg, zero_shot_model=False: load_clip(zero_shot_model)
        if teacher_templates:
            module.IMAGENET_TEMPLATES = module.IMAGENET_TEMPLATES[:teacher_templates]
    elif method == 'kgcoop':
        module.load_clip_to_cpu = lambda cfg: load_clip()
    model = module.CustomCLIP(cfg, classnames, load_clip())
    extra = {}
    if method == 'mmrl':  # the trainer holds the frozen CLIP's image tower and text features
        plain = load_clip(plain=True)
        with torch.no_grad():
            text_clip = module._get_text_base_features_zero_shot(cfg, classnames, plain,
                                                                 module.TextEncoder_CLIP(plain))
        extra = dict(
            image_encoder_clip=plain.visual.to(device),
            text_features_clip=(text_clip / text_clip.norm(dim=-1, keepdim=True)).to(device),
            criterion=module.MMRL_Loss(
                reg_weight=trainer_cfg['REG_WEIGHT'], alpha=trainer_cfg['ALPHA']))
        del plain
    for name, param in model.named_parameters():
        param.requires_grad_(recipe['trainable'](name))
    model.to(device).train()
    params = [p for p in model.parameters() if p.requires_grad]
    kind, lr = recipe['optimizer']
    optim = (
        torch.optim.SGD(params, lr=lr, momentum=0.9, weight_decay=5e-4)
        if kind == 'sgd' else torch.optim.AdamW(params, lr=lr, weight_decay=5e-4))
    images = torch.randn(batch_size, 3, image_size, image_size, device=device)
    labels = torch.arange(batch_size, device=device) % len(classnames)

    def loss_of_step() -> torch.Tensor:
        if method == 'coop':
            return F.cross_entropy(model(images), labels)
        if method == 'ivlp':
            return model(images, labels)
        if method == 'kgcoop':
            logits, score = model(images)
            return F.cross_entropy(logits, labels) + trainer_cfg['W'] * score
        if method == 'promptsrc':
            ce, text, teacher_text, teacher_image, image, teacher_logits, logits = model(
                images, labels)
            kl = F.kl_div(
                F.log_softmax(logits, dim=1),
                F.log_softmax(teacher_logits, dim=1),
                reduction='sum',
                log_target=True) / logits.numel()
            return (ce + kl + F.l1_loss(text, teacher_text) * trainer_cfg['TEXT_LOSS_WEIGHT'] +
                    F.l1_loss(image, teacher_image) * trainer_cfg['IMAGE_LOSS_WEIGHT'])
        # mmrl
        with torch.no_grad():
            image_clip = extra['image_encoder_clip'](images)
            image_clip = image_clip / image_clip.norm(dim=-1, keepdim=True)
        logits, logits_rep, _, image, text = model(images)
        return extra['criterion'](logits, logits_rep, image, text[:len(classnames)], image_clip,
                                  extra['text_features_clip'], labels)

    def step() -> None:
        loss = loss_of_step()
        optim.zero_grad()
        loss.backward()
        optim.step()

    model.extra = extra  # keeps MMRL's frozen tower alive with the model
    return step, model


def random_clip_weights(seed: int, name: str, model_cfg: dict) -> Tuple[dict, str]:
    """A random open_clip model's state dict and a file holding it (for fvgpt's OpenCLIP).

    Args:
        seed: Torch seed of the initialization.
        name: Model config name to register (``model_cfg`` is written as ``<name>.json``).
        model_cfg: open_clip model config (``embed_dim``, ``vision_cfg``, ``text_cfg``).

    Returns:
        tuple: The state dict (without ``attn_mask``) and the path of the saved file.
    """
    cfg_dir = tempfile.mkdtemp()
    with open(osp.join(cfg_dir, name + '.json'), 'w') as f:
        json.dump(model_cfg, f)
    open_clip.add_model_config(cfg_dir)
    torch.manual_seed(seed)
    state = open_clip.create_model(name, force_quick_gelu=True).state_dict()
    state = {k: v for k, v in state.items() if k != 'attn_mask'}
    path = osp.join(cfg_dir, 'weights.pt')
    torch.save(state, path)
    return state, path


def max_diff(ours: torch.Tensor, theirs: torch.Tensor) -> float:
    """Largest absolute difference of two tensors, in float32."""
    return float((ours.detach().float() - theirs.detach().float()).abs().max())
