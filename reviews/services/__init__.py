"""Writes of the reviews app, one module per part (objectives, risks, feedback, context,
proposals, policy, review); each service checks who acts and records history."""
