"""Views of nonconformity cards, one module per part: cards (raising and working a card, its
PDF), actions (corrective actions, their evidence files, my actions), register (list, export)."""
