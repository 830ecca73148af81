"""Published numbers: the shipped metafiles, their reader, and the "paper" column of the table."""
import glob
import os.path as osp

import pytest
import yaml
from mmengine.config import Config

from fvgpt.apis import B2NProtocol, build_protocol
from fvgpt.evaluation import aggregate_b2n, format_b2n_table, load_published_b2n, published_for

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
METAFILES = osp.join(REPO, 'configs', '*', 'metafile.yml')
DATASETS = [
    'imagenet', 'caltech101', 'oxford_pets', 'stanford_cars', 'oxford_flowers', 'food101',
    'fgvc_aircraft', 'sun397', 'dtd', 'eurosat', 'ucf101'
]

# the methods whose published row is shipped for every one of the 11 datasets and the average
PER_DATASET_MODELS = [
    'zsclip_vit-b16_b2n', 'coop_vit-b16_cocoop-paper_b2n', 'cocoop_vit-b16_b2n',
    'maple_vit-b16_b2n', 'promptsrc_vit-b16_b2n'
]


def test_shipped_metafiles_have_sources_and_existing_configs():
    published = load_published_b2n(METAFILES)
    # zero-shot CLIP, CoOp, CoCoOp, MaPLe, PromptSRC (and its IVLP baseline), MMRL, KgCoOp
    assert set(PER_DATASET_MODELS) | {'mmrl_vit-b16_b2n', 'kgcoop_vit-b16_b2n'} <= set(published)
    for model in PER_DATASET_MODELS:
        assert set(published[model]) == set(DATASETS) | {'average'}, model
    # one source per method for its per-dataset rows: the table lists it once
    for model in PER_DATASET_MODELS:
        assert len({published[model][d]['source'] for d in DATASETS}) == 1, model
    for rows in published.values():
        for row in rows.values():
            assert row['source'] and 0 < row['base'] <= 100 and 0 < row['new'] <= 100
            # the published HM is the HM of the published base and new (to rounding)
            assert row['hm'] == pytest.approx(
                2 * row['base'] * row['new'] / (row['base'] + row['new']), abs=0.01)
    for path in glob.glob(METAFILES):
        for model in yaml.safe_load(open(path))['Models']:
            if 'Config' in model:
                for dataset in DATASETS:
                    assert osp.isfile(osp.join(REPO, model['Config'].format(dataset=dataset)))


def write_metafile(path, results, name='m'):
    path.write_text(yaml.safe_dump({'Models': [{'Name': name, 'Results': results}]}))
    return str(path)


def test_reader_names_the_file_and_model_of_a_result_without_source(tmp_path):
    bad = write_metafile(tmp_path / 'a.yml', [{
        'Task': 'Base-to-New Generalization',
        'Dataset': 'dtd',
        'Metrics': {
            'Base Accuracy': 80.0,
            'New Accuracy': 60.0,
            'HM': 68.57
        }
    }])
    with pytest.raises(ValueError, match=r'a\.yml: model "m", dataset "dtd".*Source'):
        load_published_b2n([bad])
    good = write_metafile(tmp_path / 'b.yml', [{
        'Task': 'Base-to-New Generalization',
        'Dataset': 'dtd',
        'Source': 'X, Table 1',
        'Metrics': {
            'Base Accuracy': 80.0,
            'New Accuracy': 60.0,
            'HM': 68.57
        }
    }])
    other = write_metafile(
        tmp_path / 'c.yml', [{
            'Task': 'Image Classification',
            'Dataset': 'ImageNet-1k',
            'Metrics': {
                'Top 1 Accuracy': 1.0
            }
        }],
        name='n')
    assert load_published_b2n([good, other]) == {
        'm': {
            'dtd': dict(base=80.0, new=60.0, hm=68.57, source='X, Table 1')
        }
    }
    with pytest.raises(ValueError, match='also in'):
        load_published_b2n([good, good])


def test_table_shows_the_paper_beside_the_run():
    table = aggregate_b2n([
        dict(dataset='dtd', seed=1, base=80.0, new=50.0),
        dict(dataset='eurosat', seed=1, base=90.0, new=70.0)
    ])
    paper = {
        'dtd': dict(base=79.44, new=41.18, hm=54.24, source='CoCoOp, Table 1'),
        'average': dict(base=82.69, new=63.22, hm=71.66, source='avg source')
    }
    lines = format_b2n_table(table, paper=paper).splitlines()
    assert 'paper base / new / HM' in lines[0]
    dtd = next(line for line in lines if line.startswith('dtd'))
    assert '80.00' in dtd and '79.44 / 41.18 / 54.24' in dtd
    eurosat = next(line for line in lines if line.startswith('eurosat'))
    assert eurosat.split()[4] == '-'  # no published number: no paper cell
    average = next(line for line in lines if line.startswith('average'))
    assert '85.00' in average and '82.69 / 63.22 / 71.66' in average
    assert 'paper: CoCoOp, Table 1' in lines and 'paper: avg source' in lines
    # without papers the table is unchanged
    assert 'paper' not in format_b2n_table(table)


def test_protocol_table_uses_the_methods_paper_key(tmp_path):
    protocol = Config(
        dict(
            datasets=['dtd'],
            seeds=[1],
            work_dir=str(tmp_path),
            metafiles=METAFILES,
            methods=[
                dict(name='zsclip', config='x', paper='zsclip_vit-b16_b2n'),
                dict(name='mine', config='y')
            ]))
    runner = B2NProtocol(protocol)
    tables = {
        name: aggregate_b2n([dict(dataset='dtd', seed=1, base=70.0, new=75.0)])
        for name in ('zsclip', 'mine')
    }
    text = runner.format_tables(tables)
    zs, mine = text.split('## mine')
    assert '69.34 / 74.22 / 71.70' in zs and 'PromptSRC' in zs
    assert 'paper' not in mine
    protocol.methods[0]['paper'] = 'no_such_model'
    with pytest.raises(KeyError, match='paper="no_such_model".*Known: '):
        B2NProtocol(protocol).format_tables(tables)


@pytest.mark.parametrize(
    'path', sorted(glob.glob(osp.join(REPO, 'configs/protocols/*.py'))), ids=osp.basename)
def test_shipped_protocols_name_existing_paper_models(path):
    protocol = Config.fromfile(path)
    build_protocol(protocol)  # its fields are complete for its kind
    published_for(protocol.methods, METAFILES)  # every `paper` names a shipped model


def test_protocol_table_shows_the_shipped_per_dataset_rows(tmp_path):
    """Each dataset line of a protocol table carries that dataset's published row, as the
    metafile spells it (read here with plain yaml, not with the reader under test)."""
    expected = {}
    for path in glob.glob(METAFILES):
        for model in yaml.safe_load(open(path))['Models']:
            if model['Name'] in PER_DATASET_MODELS:
                expected[model['Name']] = {
                    r['Dataset']: r['Metrics']
                    for r in model['Results'] if r['Task'] == 'Base-to-New Generalization'
                }
    assert set(expected) == set(PER_DATASET_MODELS)
    protocol = Config(
        dict(
            datasets=DATASETS,
            seeds=[1],
            work_dir=str(tmp_path),
            metafiles=METAFILES,
            methods=[dict(name=m, config='x', paper=m) for m in PER_DATASET_MODELS]))
    tables = {
        m: aggregate_b2n([dict(dataset=d, seed=1, base=50.0, new=50.0) for d in DATASETS])
        for m in PER_DATASET_MODELS
    }
    text = B2NProtocol(protocol).format_tables(tables)
    for model, rows in expected.items():
        block = text.split(f'## {model}')[1].split('## ')[0].splitlines()
        for dataset in DATASETS + ['average']:
            m = rows[dataset]
            cell = f"{m['Base Accuracy']:.2f} / {m['New Accuracy']:.2f} / {m['HM']:.2f}"
            line = next(line for line in block if line.split()[:1] == [dataset])
            assert cell in line, (model, dataset, line)
        # the per-dataset source and the average's source follow the table, once each
        assert len([line for line in block if line.startswith('paper: ')]) == 2, model
