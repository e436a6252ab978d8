"""Settings package: ``base`` holds what every environment shares; ``dev``, ``test`` and ``prod``
adjust it. Every secret and address comes from the environment (see README)."""
