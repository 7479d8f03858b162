"""Character corpora for the language-model chapter: Jay Chou's lyrics and *The Time Machine*.

Each loader finds its file in ``root``, else ``$D2LZH_DATA``, else the book's ``../data``; keeps the
first 10,000 characters with line breaks turned into spaces; and indexes the characters with a
vocabulary sorted by code point, so the indices are the same in every process (1.0.0 used
``list(set(chars))``, whose order changes with PYTHONHASHSEED).
"""
import zipfile

from . import store

NUM_CHARS = 10000
LYRICS_MEMBER = "jaychou_lyrics.txt"
# Never downloaded: the "URL" only tells the reader of an error message where the file comes from.
LYRICS = store.RemoteFile(
    "jaychou_lyrics.txt.zip",
    ["the book's repository, github.com/d2l-ai/d2l-zh branch v1, file data/jaychou_lyrics.txt.zip"], None)
TIME_MACHINE = store.RemoteFile(
    "timemachine.txt",
    ["not in the d2l-zh v1 repository: take H. G. Wells' The Time Machine from Project Gutenberg,"
     " or data/timemachine.txt of the English d2l book"], None)
NO_DOWNLOAD = "d2lzh has no download for it"


def load_data_jay_lyrics(root=None):
    """Jay Chou lyrics as ``(corpus_indices, char_to_idx, idx_to_char, vocab_size)``."""
    path = store.find_file("Jay Chou lyrics corpus", LYRICS, root, NO_DOWNLOAD)
    with zipfile.ZipFile(path) as archive, archive.open(LYRICS_MEMBER) as f:
        text = f.read().decode("utf-8")
    return index_chars(_single_line(text)[:NUM_CHARS])


def load_data_time_machine(root=None):
    """*The Time Machine*, lowercased as in 1.0.0, as ``(corpus_indices, char_to_idx, idx_to_char, vocab_size)``."""
    path = store.find_file("The Time Machine corpus", TIME_MACHINE, root, NO_DOWNLOAD)
    with open(path, encoding="utf-8-sig") as f:  # a Gutenberg copy may start with a BOM
        text = f.read()
    return index_chars(_single_line(text).lower()[:NUM_CHARS])


def index_chars(chars):
    """Index ``chars`` with a code-point-sorted vocabulary: the 1.0.0 4-tuple, reproducible across runs."""
    idx_to_char = sorted(set(chars))
    char_to_idx = {char: i for i, char in enumerate(idx_to_char)}
    corpus_indices = [char_to_idx[char] for char in chars]
    return corpus_indices, char_to_idx, idx_to_char, len(idx_to_char)


def _single_line(text):
    """``text`` with every newline and carriage return replaced by a space, as the book does."""
    return text.replace("\n", " ").replace("\r", " ")
