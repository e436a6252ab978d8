"""gunicorn.conf.py: each worker freezes what it loaded before serving."""

import gc
import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_worker_freezes_what_it_loaded():
    settings = runpy.run_path(str(CONF))
    gc.unfreeze()
    try:
        settings["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
