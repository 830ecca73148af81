# The B2N protocol with CoOp as the CoCoOp paper ran it (configs/coop/coop_cocoop-paper_b2n_*.py:
# 200 epochs, batch 32, lr 0.002, "a photo of a", random resized crop + flip; ImageNet 50
# epochs), beside zero-shot CLIP; the table shows the published numbers next to the run's.
#   python tools/run_protocol.py configs/protocols/b2n_coop_cocoop-paper.py --data-root $DATA
datasets = [
    'imagenet', 'caltech101', 'oxford_pets', 'stanford_cars', 'oxford_flowers', 'food101',
    'fgvc_aircraft', 'sun397', 'dtd', 'eurosat', 'ucf101'
]
seeds = [1, 2, 3]
methods = [
    dict(
        name='zsclip',
        config='configs/zsclip/zsclip_b2n_{dataset}.py',
        train=False,
        seeded=False,
        paper='zsclip_vit-b16_b2n'),
    dict(
        name='coop',
        config='configs/coop/coop_cocoop-paper_b2n_{dataset}.py',
        paper='coop_vit-b16_cocoop-paper_b2n'),
]
work_dir = 'work_dirs/b2n_coop_cocoop-paper'
