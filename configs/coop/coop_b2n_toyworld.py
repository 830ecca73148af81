# CoOp (4 context tokens, random init) on the toy world's base classes: the embedded default
# that runs on a CPU in a minute (tools/toyworld/generate.py writes the data). The CLIP backbone
# is ToyCLIP, shipped in checkpoints/ (a local weights file, like real weights; the path is
# relative to the repository root, where the tools run).
_base_ = [
    '../_base_/models/coop_vit_b16.py', '../_base_/datasets/toyworld_b2n.py',
    '../_base_/schedules/coop_b2n.py', '../_base_/default_runtime.py'
]
model = dict(clip=dict(model_name='toyclip-vit-t8', pretrained='checkpoints/toyclip_vit_t8.pt'))
