"""A tiny mmseg segmentor whose predictions are known, for tests of the foreground machinery.

The model is a real mmseg ``EncoderDecoder`` (a one-layer ``VisionTransformer`` with 1-pixel
patches and an ``FCNHead`` with no convolutions) whose weights are set so that each pixel's class
follows its colour: ``sky`` (0) for dark pixels, ``cat`` (1) for red ones, ``dog`` (2) for green
ones. The transformer layer is made an identity (its residual branches output zero), the patch
embedding copies R and G into the first two feature channels, and the 1x1 classifier compares
them with a threshold.

:func:`tiny_san_config` is a SAN (mmseg's open-vocabulary ``MultimodalEncoderDecoder``) of the
same structure as ``mmseg::san/san-vit-b16_*`` at a tiny width, to run the open-vocabulary path
without its 400 MB checkpoint.
"""
from typing import Tuple

import numpy as np
import torch

COLOR_CLASSES: Tuple[str, ...] = ('sky', 'cat', 'dog')


def color_segmenter_config(embed_dims: int = 4) -> dict:
    """The config dict of the colour segmenter (random weights until
    :func:`save_color_segmenter_checkpoint` sets them)."""
    return dict(
        default_scope='mmseg',
        model=dict(
            type='EncoderDecoder',
            data_preprocessor=dict(
                type='SegDataPreProcessor',
                mean=[0., 0., 0.],
                std=[255., 255., 255.],
                bgr_to_rgb=True),
            backbone=dict(
                type='VisionTransformer',
                img_size=(8, 8),
                patch_size=1,
                in_channels=3,
                embed_dims=embed_dims,
                num_layers=1,
                num_heads=1,
                mlp_ratio=1,
                out_indices=(0, ),
                with_cls_token=False,
                final_norm=False,
                interpolate_mode='bilinear'),
            decode_head=dict(
                type='FCNHead',
                in_channels=embed_dims,
                channels=embed_dims,
                num_convs=0,
                concat_input=False,
                dropout_ratio=0.0,
                num_classes=len(COLOR_CLASSES),
                align_corners=False,
                loss_decode=dict(type='CrossEntropyLoss', loss_weight=1.0)),
            test_cfg=dict(mode='whole')),
        test_pipeline=[dict(type='LoadImageFromFile'),
                       dict(type='PackSegInputs')])


def color_segmenter_state(model: torch.nn.Module, red_bias: float = 0.0) -> dict:
    """The weights that make ``model`` (built from :func:`color_segmenter_config`) a colour
    classifier. ``red_bias`` shifts the ``cat`` logit, to make a second, different checkpoint."""
    state = {k: torch.zeros_like(v) for k, v in model.state_dict().items()}
    for key in state:
        if key.endswith(('ln1.weight', 'ln2.weight')):
            state[key].fill_(1.0)
    proj = state['backbone.patch_embed.projection.weight']  # (C, 3, 1, 1), input is RGB
    proj[0, 0] = 1.0  # channel 0 <- R
    proj[1, 1] = 1.0  # channel 1 <- G
    cls_w = state['decode_head.conv_seg.weight']  # (3, C, 1, 1)
    cls_b = state['decode_head.conv_seg.bias']
    cls_w[1, 0] = 10.0
    cls_w[2, 1] = 10.0
    cls_b[0] = 5.0
    cls_b[1] = red_bias
    return state


def save_color_segmenter_checkpoint(path: str, red_bias: float = 0.0) -> str:
    """Builds the colour segmenter, sets its weights and saves an mmengine-style checkpoint
    (``state_dict`` + ``meta.dataset_meta.classes``) at ``path``."""
    from mmengine.config import Config
    from mmengine.registry import DefaultScope
    from mmseg.registry import MODELS
    cfg = Config(color_segmenter_config())
    with DefaultScope.overwrite_default_scope('mmseg'):
        model = MODELS.build(cfg.model)
    state = color_segmenter_state(model, red_bias)
    torch.save(dict(state_dict=state, meta=dict(dataset_meta=dict(classes=COLOR_CLASSES))), path)
    return path


def color_image(size: int = 16) -> Tuple[np.ndarray, np.ndarray]:
    """A BGR test image (black, a red square, a green square) and its true label map."""
    img = np.zeros((size, size, 3), dtype=np.uint8)
    labels = np.zeros((size, size), dtype=np.int64)
    q = size // 4
    img[q:2 * q, q:3 * q] = (0, 0, 255)  # red in BGR -> cat
    labels[q:2 * q, q:3 * q] = 1
    img[3 * q:, :q] = (0, 255, 0)  # green -> dog
    labels[3 * q:, :q] = 2
    return img, labels


def tiny_san_config() -> dict:
    """A randomly initialized SAN (CLIP ViT image encoder with a side adapter network, CLIP text
    encoder) of width 32 that runs on 32 px images in milliseconds."""
    clip_dims, text_dims, heads = 32, 16, 2
    return dict(
        default_scope='mmseg',
        model=dict(
            type='MultimodalEncoderDecoder',
            data_preprocessor=dict(
                type='SegDataPreProcessor',
                mean=[122.7709, 116.7460, 104.0937],
                std=[68.5005, 66.6322, 70.3232],
                bgr_to_rgb=True,
                pad_val=0,
                seg_pad_val=255,
                size_divisor=32,
                test_cfg=dict(size_divisor=32)),
            asymetric_input=True,
            encoder_resolution=0.5,
            image_encoder=dict(
                type='VisionTransformer',
                img_size=(32, 32),
                patch_size=8,
                patch_pad=0,
                in_channels=3,
                embed_dims=clip_dims,
                num_layers=3,
                num_heads=heads,
                mlp_ratio=2,
                out_origin=True,
                out_indices=(0, 1, 2),
                qkv_bias=True,
                with_cls_token=True,
                output_cls_token=True,
                patch_bias=False,
                pre_norm=True,
                norm_cfg=dict(type='LN', eps=1e-5),
                act_cfg=dict(type='QuickGELU'),
                norm_eval=False,
                interpolate_mode='bicubic',
                frozen_exclude=['pos_embed']),
            text_encoder=dict(
                type='CLIPTextEncoder',
                dataset_name='voc',
                templates=['a photo of a {}.'],
                embed_dims=clip_dims,
                num_layers=1,
                num_heads=heads,
                mlp_ratio=2,
                output_dims=text_dims,
                cache_feature=True,
                cat_bg=True,
                norm_cfg=dict(type='LN', eps=1e-5)),
            decode_head=dict(
                type='SideAdapterCLIPHead',
                num_classes=20,
                deep_supervision_idxs=[],
                san_cfg=dict(
                    in_channels=3,
                    clip_channels=clip_dims,
                    embed_dims=16,
                    patch_size=8,
                    patch_bias=True,
                    num_queries=4,
                    fusion_index=[0, 1, 2, 3],
                    cfg_encoder=dict(num_encode_layer=3, num_heads=heads, mlp_ratio=2),
                    cfg_decoder=dict(
                        num_heads=heads,
                        num_layers=1,
                        embed_channels=16,
                        mlp_channels=16,
                        num_mlp=2,
                        rescale=True),
                    norm_cfg=dict(type='LN', eps=1e-6)),
                maskgen_cfg=dict(
                    sos_token_format='cls_token',
                    sos_token_num=4,
                    cross_attn=False,
                    num_layers=1,
                    embed_dims=clip_dims,
                    num_heads=heads,
                    mlp_ratio=2,
                    qkv_bias=True,
                    out_dims=text_dims,
                    final_norm=True,
                    act_cfg=dict(type='QuickGELU'),
                    norm_cfg=dict(type='LN', eps=1e-5),
                    frozen_exclude=[]),
                align_corners=False,
                train_cfg=dict()),
            test_cfg=dict(mode='whole')),
        test_pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='Resize', scale=(32, 32), keep_ratio=True),
            dict(type='PackSegInputs')
        ])
