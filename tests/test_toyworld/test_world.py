"""The toy-world generator: classes, determinism, exact masks, knobs."""
import math

import numpy as np
import pytest

from fvgpt.toyworld import (MASK_FAULTS, TEXTURES, TOYWORLD_INFO, ToyWorld, ToyWorldConfig,
                            render_background)


@pytest.fixture(scope='module')
def world():
    return ToyWorld()


def test_classes_make_a_b2n_cut_of_seen_words(world):
    cfg = world.config
    assert world.num_classes == len(cfg.colours) * len(cfg.shapes) == 30
    assert len(set(world.classes)) == world.num_classes
    assert world.num_base == math.ceil(world.num_classes / 2)
    base = [c.split() for c in world.classes[:world.num_base]]
    new = [c.split() for c in world.classes[world.num_base:]]
    # Every colour and every shape occurs among base classes and among new classes.
    for words in (base, new):
        assert {c for c, _ in words} == set(cfg.colours)
        assert {s for _, s in words} == set(cfg.shapes)
    assert TOYWORLD_INFO['classnames'] == world.classes
    assert TOYWORLD_INFO['template'].format(world.classes[0]) == 'a photo of a red circle.'


@pytest.mark.parametrize('colours,shapes', [(('red', 'blue', 'green'), ('circle', 'star', 'cross')),
                                            (('red', 'blue', 'green'), ('circle', 'star'))])
def test_base_count_for_other_grids(colours, shapes):
    world = ToyWorld(ToyWorldConfig(colours=colours, shapes=shapes))
    assert world.num_base == math.ceil(world.num_classes / 2)
    assert {c.split()[0] for c in world.classes[:world.num_base]} == set(colours)


def test_generator_is_deterministic(world):
    again = ToyWorld(ToyWorldConfig())
    for split, label, index in [('train', 0, 0), ('test', 17, 3), ('val', 29, 9)]:
        a, b = world.sample(split, label, index), again.sample(split, label, index)
        assert np.array_equal(a.image, b.image)
        assert np.array_equal(a.written_mask, b.written_mask)
        assert a.spec == b.spec
    assert not np.array_equal(world.sample('train', 0, 0).image, world.sample('train', 0, 1).image)
    other_seed = ToyWorld(ToyWorldConfig(seed=1))
    assert not np.array_equal(
        world.sample('test', 0, 0).image,
        other_seed.sample('test', 0, 0).image)


def test_pretraining_stream_is_disjoint_from_the_benchmark(world):
    bench = {
        world.sample(s, label, i).image.tobytes()
        for s in ('train', 'val', 'test')
        for label in range(0, 30, 7)
        for i in range(3)
    }
    pre = {
        world.sample('pretrain', label, i).image.tobytes()
        for label in range(0, 30, 7)
        for i in range(3)
    }
    assert len(bench) == 3 * 5 * 3 and not bench & pre


def test_masks_are_exact():
    # Without distractors and extra noise (their tests follow), so that the pixels outside the
    # mask are the background texture alone.
    world = ToyWorld(ToyWorldConfig(distractor_ratio=0.0, noise_std=0.0))
    for label, index in [(0, 0), (4, 2), (12, 5), (22, 1), (29, 7)]:
        sample = world.sample('test', label, index)
        spec, mask = sample.spec, sample.mask.astype(bool)
        assert sample.image.shape == (64, 64, 3) and sample.image.dtype == np.uint8
        assert set(np.unique(sample.mask)) == {0, 1}
        # Outside the mask the image is the background alone ...
        background = render_background(spec.texture, spec.bg_colours, 64,
                                       np.random.default_rng(spec.bg_seed))
        background = np.clip(np.round(background), 0, 255).astype(np.uint8)
        assert np.array_equal(sample.image[~mask], background[~mask])
        # ... and inside it the object alone: another background changes no pixel of it.
        swapped = world.render(
            world.with_background(spec, 'checkered', ((0, 0, 0), (255, 255, 255)), 7))
        assert np.array_equal(swapped.mask, sample.mask)
        assert np.array_equal(swapped.image[mask], sample.image[mask])
        # The object has its class colour.
        mean = sample.image[mask].astype(float).mean(0)
        assert np.abs(mean - np.asarray(spec.rgb)).max() < 40
        assert np.array_equal(sample.written_mask, sample.mask)  # test masks are never degraded


def test_object_size_and_position_vary(world):
    specs = [world.draw_spec('train', 3, i) for i in range(30)]
    radii = np.array([s.radius for s in specs])
    centres = np.array([s.centre for s in specs])
    assert radii.std() > 3 and centres.std(0).min() > 5
    textures = {world.draw_spec('test', label, 0).texture for label in range(30)}
    assert len(textures) >= 6


def test_spurious_correlation_acts_on_train_only():
    on = ToyWorld(ToyWorldConfig(spurious_corr=1.0, degraded_mask_ratio=0.0))
    off = ToyWorld(ToyWorldConfig(spurious_corr=0.0, degraded_mask_ratio=0.0))
    for label in (0, 11, 25):
        style = on.class_style(label)
        for index in range(4):
            spec_on, spec_off = on.draw_spec('train', label,
                                             index), off.draw_spec('train', label, index)
            assert spec_on.spurious and (spec_on.texture, spec_on.bg_colours) == style
            assert not spec_off.spurious
            # Same object whatever the knob.
            assert (spec_on.centre, spec_on.radius, spec_on.rgb) == (spec_off.centre,
                                                                     spec_off.radius, spec_off.rgb)
            assert not on.draw_spec('test', label, index).spurious
            assert not on.draw_spec('val', label, index).spurious
    # A share in between gives about that share.
    half = ToyWorld(ToyWorldConfig(spurious_corr=0.5))
    share = np.mean(
        [half.draw_spec('train', label, i).spurious for label in range(30) for i in range(10)])
    assert 0.4 < share < 0.6


def test_degraded_masks():
    world = ToyWorld(ToyWorldConfig(degraded_mask_ratio=1.0))
    seen = set()
    for label in range(10):
        for index in range(3):
            sample = world.sample('train', label, index)
            fault, exact, written = sample.spec.mask_fault, sample.mask, sample.written_mask
            seen.add(fault)
            assert fault in MASK_FAULTS
            assert set(np.unique(written)) <= {0, 1}
            if fault == 'empty':
                assert written.sum() == 0
            elif fault == 'eroded':
                assert written.sum() < exact.sum() and not (written & (1 - exact)).any()
            else:  # shifted
                assert written.sum() > 0 and (written & exact).sum() < exact.sum()
            assert np.array_equal(
                world.sample('test', label, index).written_mask,
                world.sample('test', label, index).mask)
    assert seen == set(MASK_FAULTS)
    clean = ToyWorld(ToyWorldConfig(degraded_mask_ratio=0.0))
    assert all(clean.draw_spec('train', label, 0).mask_fault == 'exact' for label in range(30))


def test_every_texture_renders():
    rng = np.random.default_rng(0)
    for name in TEXTURES:
        img = render_background(name, ((20, 40, 60), (200, 180, 160)), 64, rng)
        assert img.shape == (64, 64, 3) and img.std() > 10, name


def test_bad_config_names_the_fix():
    with pytest.raises(ValueError, match='Unknown toy-world words'):
        ToyWorldConfig(colours=('red', 'teal'))
    with pytest.raises(ValueError, match='shares'):
        ToyWorldConfig(spurious_corr=1.5)


def test_distractors_sit_behind_the_object_outside_its_mask():
    plain = ToyWorld(ToyWorldConfig(distractor_ratio=0.0))
    busy = ToyWorld(ToyWorldConfig(distractor_ratio=1.0))
    drawn = 0
    for label in (0, 12, 21):
        for index in range(4):
            a, b = plain.sample('test', label, index), busy.sample('test', label, index)
            assert a.spec.distractor is None
            d = b.spec.distractor
            assert d is not None and d.label != label and 0 <= d.label < busy.num_classes
            assert d.shape == busy.class_words[d.label][1]
            # Same object, same exact mask (the distractor is not foreground), same pixels on
            # the object; the distractor changes pixels outside the mask only.
            assert np.array_equal(a.mask, b.mask)
            on = a.mask.astype(bool)
            assert np.array_equal(a.image[on], b.image[on])
            changed = (a.image != b.image).any(-1)
            assert not (changed & on).any()
            drawn += int(changed.any())
    assert drawn >= 10  # hidden entirely behind the object only rarely
    half = ToyWorld(ToyWorldConfig(distractor_ratio=0.5))
    share = np.mean([
        half.draw_spec('val', label, i).distractor is not None for label in range(30)
        for i in range(10)
    ])
    assert 0.4 < share < 0.6


def test_hue_shift_and_noise_change_the_looks_not_the_layout():
    base = ToyWorld(ToyWorldConfig(hue_shift=0.0, noise_std=0.0))
    shifted = ToyWorld(ToyWorldConfig(hue_shift=30.0, noise_std=0.0))
    noisy = ToyWorld(ToyWorldConfig(hue_shift=0.0, noise_std=20.0))
    for label in (2, 17):
        a, b = base.draw_spec('test', label, 0), shifted.draw_spec('test', label, 0)
        assert (a.centre, a.radius, a.texture) == (b.centre, b.radius, b.texture)
        assert (hue(b.rgb) - hue(a.rgb) - 30 + 180) % 360 - 180 == pytest.approx(0, abs=1e-3)
        clean, grainy = base.sample('test', label, 0).image, noisy.sample('test', label, 0).image
        diff = grainy.astype(float) - clean.astype(float)
        assert 10 < diff.std() < 25 and abs(diff.mean()) < 3


def test_pretraining_world_has_no_downstream_shift():
    from fvgpt.toyworld import PRETRAIN_WORLD
    pre = ToyWorldConfig(**PRETRAIN_WORLD)
    assert (pre.distractor_ratio, pre.hue_shift, pre.class_hue_jitter, pre.noise_std,
            pre.spurious_corr, pre.scale_range) == (0, 0, 0, 0, 0, (0.3, 0.75))
    # Every field of the generator that changes the looks is pinned, so a new default of the
    # benchmark world never leaks into ToyCLIP's or the segmenter's training images.
    looks = {
        'scale_range', 'distractor_ratio', 'hue_shift', 'class_hue_jitter', 'noise_std',
        'spurious_corr', 'degraded_mask_ratio'
    }
    assert looks <= set(PRETRAIN_WORLD)
    default = ToyWorldConfig()
    # The benchmark world's looks differ from what ToyCLIP was pretrained on.
    assert (default.hue_shift, default.noise_std) != (pre.hue_shift, pre.noise_std)


def test_class_hue_jitter_is_one_offset_per_class():
    plain = ToyWorld(ToyWorldConfig(hue_shift=10.0, class_hue_jitter=0.0))
    jittered = ToyWorld(ToyWorldConfig(hue_shift=10.0, class_hue_jitter=30.0))
    offsets = [jittered.class_hue_offset(label) - 10.0 for label in range(30)]
    assert all(15.0 <= abs(o) <= 30.0 for o in offsets)
    assert min(offsets) < 0 < max(offsets)  # both directions occur
    assert all(plain.class_hue_offset(label) == 10.0 for label in range(30))
    for label in (3, 20):
        for index in range(3):  # the same offset on every image of the class
            a, b = plain.draw_spec('train', label, index), jittered.draw_spec('train', label, index)
            turn = (hue(b.rgb) - hue(a.rgb) - offsets[label] + 180) % 360 - 180
            assert turn == pytest.approx(0, abs=1e-3)


def hue(rgb) -> float:
    """Hue of an RGB colour (0-255 channels), in degrees."""
    import colorsys
    return 360 * colorsys.rgb_to_hsv(*(c / 255 for c in rgb))[0]
