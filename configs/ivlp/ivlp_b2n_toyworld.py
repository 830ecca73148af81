# IVLP on the toy world's base classes with ToyCLIP (models/ivlp_toyclip.py: 4 + 4 prompts in
# the first 3 of 4 vision and 2 of 3 text blocks), IVLP's schedule (SGD 0.0025, batch 4, 20
# epochs); tools/toyworld/generate.py writes the data.
_base_ = [
    '../_base_/models/ivlp_toyclip.py', '../_base_/datasets/toyworld_b2n.py',
    '../_base_/schedules/ivlp_b2n.py', '../_base_/default_runtime.py'
]
