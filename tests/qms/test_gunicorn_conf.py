"""gunicorn.conf.py: each worker freezes what it loaded before serving, and again once its
first requests have filled Django's lazy caches."""

import gc
import runpy
import types
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


def test_worker_freezes_again_once_its_first_requests_filled_the_caches():
    settings = runpy.run_path(str(CONF))
    worker = types.SimpleNamespace()
    first = settings["FREEZE_AFTER_REQUESTS"][0]
    gc.unfreeze()
    try:
        settings["post_worker_init"](worker=worker)
        frozen = gc.get_freeze_count()
        cache = [[n] for n in range(1000)]  # long-lived, as a cache a request fills

        # The permanent generation shrinks when a frozen object dies (the suite's other
        # objects may), so the counts are compared with the cache's size, not exactly.
        for _ in range(first - 1):
            settings["post_request"](worker, None, {}, None)
        assert gc.get_freeze_count() < frozen + len(cache) // 2

        settings["post_request"](worker, None, {}, None)
        assert gc.get_freeze_count() > frozen + len(cache) // 2
        assert worker.requests_served == first
    finally:
        gc.unfreeze()
