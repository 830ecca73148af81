# MMRL few-shot on StanfordCars: all classes, K shots (configs/protocols/fewshot_mmrl_fvgpt.py sets
# K = 1, 2, 4, 8, 16; 16 here), CLIP ViT-B/16. Recipe: JREion/FVG-PT
# configs/trainers/MMRL/vit_b16_few_shot.yaml: REG_WEIGHT 0.5, AdamW 1e-3, batch 32, 50 epochs
# (schedules/mmrl_fewshot.py). Scores: the fusion of the class-token and representation logits for
# every class (the authors' TASK "FS").
#   python tools/train.py configs/mmrl/mmrl_fewshot_stanford_cars.py
_base_ = [
    '../_base_/models/mmrl_vit_b16.py', '../_base_/datasets/coop_b2n.py',
    '../_base_/schedules/mmrl_fewshot.py', '../_base_/default_runtime.py'
]
model = dict(reg_weight=0.5, fused_inference='always')
train_dataloader = dict(
    batch_size=32,
    dataset=dict(type='StanfordCars', subsample='all', pipeline=_base_.rrc05_flip_train_pipeline))
val_dataloader = dict(dataset=dict(type='StanfordCars', subsample='all'))
test_dataloader = dict(dataset=dict(type='StanfordCars', subsample='all'))
