"""Datasets of fvgpt: CoOp's 15 datasets read from CoOp's ``$DATA`` layout, for the base-to-new,
cross-dataset and domain-generalization protocols."""
from . import transforms  # noqa: F401  (registers the transforms)
from .b2n_dataset import B2NDataset, Requirement, subsample_labels
from .caltech101 import Caltech101
from .coop_meta import B2N_DATASETS, COOP_DATASETS, CUSTOM_TEMPLATES, get_coop_meta
from .coop_split_dataset import CoOpSplitDataset
from .data_check import CheckRow, check_dataset, format_report
from .dtd import DTD
from .eurosat import EuroSAT
from .fewshot import draw_fewshot, fewshot_filename
from .fgvc_aircraft import FGVCAircraft
from .flowers102 import Flowers102
from .food101 import Food101
from .imagenet import ImageNet
from .imagenet_a import ImageNetA
from .imagenet_r import ImageNetR
from .imagenet_sketch import ImageNetSketch
from .imagenet_test_set import ImageNetTestSet
from .imagenetv2 import ImageNetV2
from .mask_jobs import jobs_from_dataset
from .oxford_pets import OxfordPets
from .pipeline_identity import PipelineIdentity, pipeline_identity
from .stanford_cars import StanfordCars
from .sun397 import SUN397
from .ucf101 import UCF101

__all__ = [
    'B2NDataset', 'Requirement', 'subsample_labels', 'CoOpSplitDataset', 'ImageNetTestSet',
    'ImageNet', 'Caltech101', 'OxfordPets', 'StanfordCars', 'Flowers102', 'Food101', 'FGVCAircraft',
    'SUN397', 'DTD', 'EuroSAT', 'UCF101', 'ImageNetV2', 'ImageNetSketch', 'ImageNetA', 'ImageNetR',
    'B2N_DATASETS', 'COOP_DATASETS', 'CUSTOM_TEMPLATES', 'get_coop_meta', 'draw_fewshot',
    'fewshot_filename', 'CheckRow', 'check_dataset', 'format_report', 'jobs_from_dataset',
    'PipelineIdentity', 'pipeline_identity'
]
