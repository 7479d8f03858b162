"""The IMDB (aclImdb) movie-review sentiment set of chapter 10: download, read, tokenize, index.

Reviews are read from ``<data_dir>/aclImdb``, else ``$D2LZH_DATA/aclImdb``, else the book's
``../data/aclImdb``. Files are read in sorted order before the shuffle, so the order of
``read_imdb`` depends only on Python's ``random`` state (``d2l.set_seed``).
"""
import collections
import os
import random

import numpy as np
from mxnet import nd

from . import store

IMDB_ARCHIVE = store.RemoteFile(
    "aclImdb_v1.tar.gz",
    ["http://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz"],
    "01ada507287d82875905620988597833ad4e0903",
)
IMDB_SUBDIR = "aclImdb"
MAX_LEN = 500  # reviews are truncated or padded to this many tokens, as in the book
PAD = '<pad>'


def download_imdb(data_dir='../data'):
    """Download (80 MB, sha1-checked) and unpack aclImdb into data_dir; return the folder holding it.

    With the default data_dir, $D2LZH_DATA is searched first (and receives the download if set).
    Nothing is downloaded when aclImdb is already there.
    """
    return store.fetch_unpacked("The IMDB review data set", IMDB_ARCHIVE, IMDB_SUBDIR,
                                store.book_dirs(data_dir, "../data"))


def read_imdb(folder='train', data_dir=None):
    """Shuffled ``[review, label]`` pairs of aclImdb/<folder>: label 1 for pos, 0 for neg.

    Reviews are lowercased with newlines removed, like the book.
    """
    base = _imdb_folder(folder, data_dir)
    data = []
    for sentiment, label in (('pos', 1), ('neg', 0)):
        path = os.path.join(base, sentiment)
        for name in sorted(os.listdir(path)):
            if name.endswith('.txt'):
                with open(os.path.join(path, name), 'rb') as f:
                    data.append([f.read().decode('utf-8').replace('\n', '').lower(), label])
    random.shuffle(data)
    return data


def get_tokenized_imdb(data):
    """Each review of ``[review, label]`` pairs split on spaces, lowercased."""
    return [[token.lower() for token in review.split(' ')] for review, _ in data]


def count_tokens(samples):
    """A ``collections.Counter`` of the tokens over all token lists in ``samples``."""
    return collections.Counter(token for sample in samples for token in sample)


def get_vocab_imdb(data):
    """A Vocabulary of the tokens seen at least 5 times, with '<pad>' reserved."""
    from mxnet.contrib import text  # lazy: mxnet.contrib.text does not exist in MXNet 2.x
    return text.vocab.Vocabulary(count_tokens(get_tokenized_imdb(data)), min_freq=5,
                                 reserved_tokens=[PAD])


def preprocess_imdb(data, vocab):
    """Token indices truncated or padded to 500 per review, shape (n, 500), and the labels (n,)."""
    pad = vocab.token_to_idx[PAD]

    def fit(indices):
        return indices[:MAX_LEN] + [pad] * (MAX_LEN - len(indices))

    rows = [fit(vocab.to_indices(tokens)) for tokens in get_tokenized_imdb(data)]
    features = nd.array(np.array(rows, dtype=np.float32).reshape(-1, MAX_LEN))
    labels = nd.array([label for _, label in data])
    return features, labels


def _imdb_folder(folder, data_dir):
    """``<root>/aclImdb/<folder>`` holding pos/ and neg/, searched as the module says; else raise."""
    dirs = store.candidate_dirs(".", data_dir, [store.legacy_dir()])
    tried = [os.path.join(d, IMDB_SUBDIR, folder) for d in dirs]
    for path in tried:
        if all(os.path.isdir(os.path.join(path, s)) for s in ('pos', 'neg')):
            return path
    raise store.DataNotFoundError(
        "IMDB reviews not found: no pos/ and neg/ folders in %s. Fix: run d2l.download_imdb(DIR)"
        " and pass data_dir=DIR, or unpack %s (from %s) so that $%s/%s exists."
        % ("; ".join(tried), IMDB_ARCHIVE.name, IMDB_ARCHIVE.urls[0], store.DATA_ENV, IMDB_SUBDIR))
