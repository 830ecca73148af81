"""Every shipped protocol config builds its runner, and every method config it names resolves,
for every dataset it runs on (the source and targets of DG / cross-dataset)."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config

from fvgpt.apis import build_protocol
from fvgpt.registry import MODELS

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PROTOCOLS = sorted(glob.glob(osp.join(REPO, 'configs', 'protocols', '*.py')))


@pytest.mark.parametrize('path', PROTOCOLS, ids=osp.basename)
def test_protocol_config_resolves(path):
    protocol = Config.fromfile(path)
    runner = build_protocol(protocol, log=lambda s: None)
    kind = protocol.get('kind', 'b2n')
    assert runner.kind == kind
    # methods train on the datasets (DG / cross-dataset: on the source only)
    datasets = [protocol.source] if kind in ('dg', 'xd') else list(protocol.datasets)
    for method in protocol.methods:
        for dataset in datasets:
            cfg = Config.fromfile(osp.join(REPO, method['config'].format(dataset=dataset)))
            assert MODELS.get(cfg.model.type) is not None
            if method.get('stage1'):
                assert cfg.model.type == 'FVGPT' and cfg.model.get('stage1_config'), path


def test_every_backbone_has_every_protocol():
    names = {osp.basename(p) for p in PROTOCOLS}
    for backbone in ('kgcoop', 'ivlp', 'promptsrc', 'mmrl', 'maple', 'tcp', 'cocoop'):
        for kind in ('b2n', 'dg', 'xd', 'fewshot'):
            assert f'{kind}_{backbone}_fvgpt.py' in names
    for kind in ('b2n_coop_fvgpt', 'dg_coop', 'xd_coop', 'fewshot_coop'):
        assert f'{kind}.py' in names
