"""gunicorn settings, read from the working directory by the container (Dockerfile,
docker-compose.yml) and by the benchmark (bench/run.py); command-line options override them."""

import gc

# After these many requests a worker freezes what it has allocated so far (see post_request).
FREEZE_AFTER_REQUESTS = (10, 100, 1000)


def post_worker_init(worker) -> None:
    """Move everything Django and the app allocated while loading into the permanent
    generation: the collector then stops re-scanning hundreds of thousands of objects that
    live as long as the worker, which otherwise shows as a pause of tens of milliseconds in
    every so many requests (the slowest 5 % of a page's answers)."""
    gc.freeze()


def post_request(worker, req, environ, resp) -> None:
    """Freeze again once the first requests have filled Django's lazy caches (compiled
    templates, translation catalogues, URL resolvers, model metadata): tens of thousands of
    objects that live as long as the worker too. Unfrozen, every full collection scans them,
    a pause of about 100 ms every few dozen requests; frozen, a few dozen milliseconds.
    The collection before freezing keeps the garbage of those requests out of the permanent
    generation; it runs after the answer was sent, three times in a worker's life."""
    worker.requests_served = getattr(worker, "requests_served", 0) + 1
    if worker.requests_served in FREEZE_AFTER_REQUESTS:
        gc.collect()
        gc.freeze()
