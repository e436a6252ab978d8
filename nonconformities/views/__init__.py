"""Views of nonconformity cards, one module per part: register (list, export, my actions),
cards (raising and working a card), actions, files (evidence downloads), pdf."""
