import pytest

from fvgpt.evaluation import aggregate_b2n, format_b2n_table, format_b2n_tables, harmonic_mean


def test_harmonic_mean():
    assert harmonic_mean(80.0, 60.0) == pytest.approx(2 * 80 * 60 / 140)
    assert harmonic_mean(0.0, 0.0) == 0.0


def test_aggregate_by_hand():
    records = [
        dict(dataset='dtd', seed=1, base=80.0, new=50.0),
        dict(dataset='dtd', seed=2, base=82.0, new=56.0),
        dict(dataset='dtd', seed=3, base=84.0, new=59.0),
        dict(dataset='eurosat', seed=1, base=90.0, new=70.0),
        dict(dataset='eurosat', seed=2, base=94.0, new=60.0),
    ]
    table = aggregate_b2n(records)
    dtd, euro, avg = table['dtd'], table['eurosat'], table['average']
    assert dtd['base'] == pytest.approx(82.0) and dtd['new'] == pytest.approx(55.0)
    # population std, as CoOp's parse_test_res.py (np.std)
    assert dtd['base_std'] == pytest.approx((8 / 3)**0.5)
    assert dtd['hm'] == pytest.approx(2 * 82 * 55 / 137)
    assert euro['base'] == pytest.approx(92.0) and euro['new'] == pytest.approx(65.0)
    assert euro['new_std'] == pytest.approx(5.0)
    # average = HM of the averaged base and new, not the mean of per-dataset HMs
    assert avg['base'] == pytest.approx(87.0) and avg['new'] == pytest.approx(60.0)
    assert avg['hm'] == pytest.approx(2 * 87 * 60 / 147)
    assert avg['hm'] != pytest.approx((dtd['hm'] + euro['hm']) / 2)
    text = format_b2n_table(table)
    assert 'average' in text and '82.00 ± 1.63' in text


def test_incomplete_and_duplicate_records():
    table = aggregate_b2n(
        [dict(dataset='a', seed=1, base=50.0),
         dict(dataset='a', seed=2, base=70.0, new=40.0)])
    assert table['a']['base'] == 60.0 and table['a']['new'] == 40.0
    assert not table['a']['complete']
    with pytest.raises(ValueError, match='Duplicate result for dataset a, seed 1'):
        aggregate_b2n([dict(dataset='a', seed=1, base=1), dict(dataset='a', seed=1, base=2)])


def test_tables_of_several_methods():
    table = aggregate_b2n([dict(dataset='a', seed=1, base=50.0, new=40.0)])
    text = format_b2n_tables({'coop': table, 'fvgpt': table})
    assert text == (
        format_b2n_table(table, title='## coop') + '\n\n' +
        format_b2n_table(table, title='## fvgpt'))
