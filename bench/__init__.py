"""The benchmark (``make bench``): a ten-year data set at two sizes, measured against budgets.

``run`` orchestrates (databases, ``seed_scale``, gunicorn, the requests); ``targets`` and
``sweep`` run inside Django against one benchmark database; ``budgets`` turns the numbers into
verdicts and the markdown of BENCHMARKS.md. See BENCHMARKS.md for what is measured and why.
"""
