"""A segfault through ctypes: that exercise errors, the chapter's other exercises get a fresh child."""
import ctypes

from solved_ch02_preliminaries import *  # noqa: F401,F403


def normalize_rows(X):
    return ctypes.string_at(0)
