"""A syntax error: the whole module cannot be imported, every other chapter is still graded."""


def normalize_rows(X)
    return X
