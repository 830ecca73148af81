import os

# Nothing in the tests may reach a model hub: fail fast instead of retrying for a minute.
os.environ.setdefault('HF_HUB_OFFLINE', '1')
os.environ.setdefault('TRANSFORMERS_OFFLINE', '1')

import pytest  # noqa: E402
import torch  # noqa: E402

from fvgpt.setup_env import register_all_modules  # noqa: E402

torch.set_num_threads(min(2, torch.get_num_threads()))
register_all_modules()


@pytest.fixture
def tiny_clip():
    from fvgpt.models.clip import OpenCLIP
    from fvgpt.testing import TINY_CLIP_NAME
    torch.manual_seed(0)
    return OpenCLIP(model_name=TINY_CLIP_NAME)
