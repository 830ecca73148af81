"""The image feature cache on disk: hits, misses, invalidation, interruption, dtype."""
import os
import os.path as osp

import torch

from fvgpt.models.utils import ImageFeatureCache
from fvgpt.models.utils.image_feature_cache import CHUNKS, INDEX


def write_file(path, data: bytes):
    with open(path, 'wb') as f:
        f.write(data)
    return str(path)


def test_put_then_get_in_this_and_a_new_process_object(tmp_path):
    img = write_file(tmp_path / 'a.png', b'pixels')
    cache = ImageFeatureCache(str(tmp_path / 'cache'))
    key = cache.entry_key('enc', 'pipe', 'fp32', img)
    assert cache.get([key]) == [None] and cache.hits == 0
    feats = torch.randn(1, 1, 8)
    cache.put([key], feats)
    assert cache.misses == 1
    assert torch.equal(cache.get([key])[0], feats[0]) and cache.hits == 1
    # a new object (another run) reads the index and the chunk from disk
    again = ImageFeatureCache(str(tmp_path / 'cache'))
    assert len(again) == 1 and torch.equal(again.get([key])[0], feats[0])


def test_every_part_of_the_key_invalidates(tmp_path):
    img = write_file(tmp_path / 'a.png', b'pixels')
    key = ImageFeatureCache.entry_key('enc', 'pipe', 'fp32', img)
    assert key == ImageFeatureCache.entry_key('enc', 'pipe', 'fp32', img)
    others = [
        ImageFeatureCache.entry_key('other weights', 'pipe', 'fp32', img),
        ImageFeatureCache.entry_key('enc', 'other pipeline', 'fp32', img),
        ImageFeatureCache.entry_key('enc', 'pipe', 'bf16', img),
    ]
    assert key not in others
    # the same path rewritten (same size), and with its old modification time put back
    stat = os.stat(img)
    write_file(img, b'PIXELS')
    os.utime(img, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert ImageFeatureCache.entry_key('enc', 'pipe', 'fp32', img) != key
    # a missing file has no key (never cached)
    assert ImageFeatureCache.entry_key('enc', 'pipe', 'fp32', str(tmp_path / 'nope.png')) is None


def test_a_stale_entry_is_never_read_after_the_image_changes(tmp_path):
    img = write_file(tmp_path / 'a.png', b'pixels')
    cache = ImageFeatureCache(str(tmp_path / 'cache'))
    cache.put([cache.entry_key('enc', 'pipe', 'fp32', img)], torch.ones(1, 1, 4))
    write_file(img, b'other pixels')
    assert cache.get([cache.entry_key('enc', 'pipe', 'fp32', img)]) == [None]


def test_torn_index_lines_and_damaged_chunks_are_misses(tmp_path):
    root = tmp_path / 'cache'
    imgs = [write_file(tmp_path / f'{i}.png', bytes([i]) * (i + 1)) for i in range(3)]
    cache = ImageFeatureCache(str(root))
    keys = [cache.entry_key('enc', 'pipe', 'fp32', p) for p in imgs]
    cache.put(keys[:1], torch.zeros(1, 1, 4))
    cache.put(keys[1:2], torch.ones(1, 1, 4))
    # an append cut short by a kill: half a line for keys[2]
    with open(root / INDEX, 'a') as f:
        f.write('{"key":"%s","chunk":"x.pt","r' % keys[2])
    # and keys[1]'s chunk damaged on disk
    chunk_of_1 = [n for n in os.listdir(root / CHUNKS) if n.endswith('.pt')]
    for name in chunk_of_1:
        if keys[1] in str(torch.load(root / CHUNKS / name, weights_only=True)['keys']):
            write_file(root / CHUNKS / name, b'not a torch file')
    fresh = ImageFeatureCache(str(root))
    got = fresh.get(keys)
    assert torch.equal(got[0], torch.zeros(1, 4)) and got[1] is None and got[2] is None
    # an index line that points at a row holding another key is a miss too
    with open(root / INDEX, 'a') as f:
        f.write('\n')  # end the torn line
    name0 = fresh._index[keys[0]][0]
    with open(root / INDEX, 'a') as f:
        f.write('{"key":"%s","chunk":"%s","row":0}\n' % (keys[2], name0))
    assert ImageFeatureCache(str(root)).get([keys[2]]) == [None]


def test_no_temporary_file_is_left_and_another_writer_is_seen(tmp_path):
    img = write_file(tmp_path / 'a.png', b'x')
    reader = ImageFeatureCache(str(tmp_path / 'cache'))
    writer = ImageFeatureCache(str(tmp_path / 'cache'))
    key = writer.entry_key('enc', 'pipe', 'fp32', img)
    writer.put([key], torch.full((1, 1, 2), 3.0))
    assert not [n for n in os.listdir(tmp_path / 'cache' / CHUNKS) if n.endswith('.tmp')]
    assert torch.equal(reader.get([key])[0], torch.full((1, 2), 3.0))  # read on the miss


def test_features_keep_the_dtype_the_encoder_produced(tmp_path):
    img = write_file(tmp_path / 'a.png', b'x')
    cache = ImageFeatureCache(str(tmp_path / 'cache'))
    key = cache.entry_key('enc', 'pipe', 'bf16', img)
    feats = torch.randn(1, 1, 4).to(torch.bfloat16)
    cache.put([key], feats)
    got = ImageFeatureCache(str(tmp_path / 'cache')).get([key])[0]
    assert got.dtype == torch.bfloat16 and torch.equal(got, feats[0])


def test_shared_gives_one_object_per_folder(tmp_path):
    a = ImageFeatureCache.shared(str(tmp_path / 'c'))
    assert ImageFeatureCache.shared(osp.join(str(tmp_path), '.', 'c')) is a
    assert ImageFeatureCache.shared(str(tmp_path / 'd')) is not a
