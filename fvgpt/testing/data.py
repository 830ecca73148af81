"""Small generated image sets for tests: one folder per class (mmpretrain's CustomDataset)."""
import os
import os.path as osp
from typing import Dict, Sequence

import numpy as np
from PIL import Image

# BGR-free, plain RGB colours the class names describe.
COLOURS: Dict[str, Sequence[int]] = {
    'red': (220, 30, 30),
    'green': (30, 200, 40),
    'blue': (30, 60, 220),
    'yellow': (230, 220, 40),
    'purple': (150, 40, 190),
    'orange': (240, 140, 20),
}


def write_class_folders(root: str,
                        classes: Sequence[str] = ('red', 'green', 'blue', 'yellow'),
                        per_class: int = 8,
                        size: int = 32,
                        seed: int = 0) -> str:
    """Writes ``root/<class>/<i>.png``: a coloured square on a noisy grey background.

    Returns:
        str: ``root``.
    """
    rng = np.random.default_rng(seed)
    for name in classes:
        os.makedirs(osp.join(root, name), exist_ok=True)
        for i in range(per_class):
            img = rng.integers(90, 160, size=(size, size, 3), dtype=np.uint8)
            side = int(rng.integers(size // 3, size // 2 + 1))
            y, x = rng.integers(0, size - side, size=2)
            img[y:y + side, x:x + side] = COLOURS[name]
            Image.fromarray(img).save(osp.join(root, name, f'{i:03d}.png'))
    return root
