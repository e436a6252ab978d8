"""gunicorn settings, read from the working directory by the container (Dockerfile,
docker-compose.yml) and by the benchmark (bench/run.py); command-line options override them."""

import gc


def post_worker_init(worker) -> None:
    """Move everything Django and the app allocated while loading into the permanent
    generation: the collector then stops re-scanning hundreds of thousands of objects that
    live as long as the worker, which otherwise shows as a pause of tens of milliseconds in
    every so many requests (the slowest 5 % of a page's answers)."""
    gc.freeze()
