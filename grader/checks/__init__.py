"""One pytest module per chapter of exercises; ``python -m grader`` runs them (see grader.runner)."""
