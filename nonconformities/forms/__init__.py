"""Forms of nonconformity cards, one module per part (cards, actions, register: its filters)."""
