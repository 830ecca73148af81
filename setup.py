"""Installs the ``fvgpt`` package. The pinned stack is installed by tools/install.sh (torch and a
source build of mmcv must come first), so ``install_requires`` only names what fvgpt imports."""
import os.path as osp
from setuptools import find_packages, setup


def read_version() -> str:
    namespace: dict = {}
    with open(osp.join(osp.dirname(__file__), 'fvgpt', 'version.py')) as f:
        exec(f.read(), namespace)
    return namespace['__version__']


setup(
    name='fvgpt',
    version=read_version(),
    description='FVG-PT: foreground view-guided prompt tuning for CLIP, '
    'an OpenMMLab-style toolbox for CLIP prompt tuning',
    packages=find_packages(exclude=('configs', 'tools', 'tests')),
    package_data={'fvgpt.models.clip': ['model_configs/*.json']},
    python_requires='>=3.9',
    install_requires=[
        'torch', 'torchvision', 'mmengine', 'mmcv', 'mmpretrain', 'mmsegmentation',
        'open_clip_torch'
    ],
    zip_safe=False,
)
