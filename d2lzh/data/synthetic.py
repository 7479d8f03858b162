"""Small, deterministic stand-ins for the book's data sets, written in the real file formats.

Tests, benchmarks and the grader use them instead of downloading: the loaders read them exactly
as they read the real files.
"""
import gzip
import os
import struct

import numpy as np

from .fashion_mnist import FILES, IDX_UINT8

IMAGE_SIZE = 28
NUM_CLASSES = 10


def write_idx(path, array):
    """Write a uint8 array as a gzipped IDX file (the MNIST format: magic, dims, raw bytes)."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    header = struct.pack(">BBBB", 0, 0, IDX_UINT8, array.ndim)
    header += struct.pack(">%dI" % array.ndim, *array.shape)
    with gzip.open(path, "wb", compresslevel=1) as f:
        f.write(header + array.tobytes())
    return path


def fashion_mnist_arrays(num_examples, templates, rng):
    """``num_examples`` images (uint8, N x 28 x 28) drawn from the class ``templates``, and their labels.

    Each image is its class's pattern, a fainter pattern of another class and uniform noise, so
    a linear model reaches about 80% accuracy, much like softmax regression on the real data.
    """
    labels = rng.randint(0, NUM_CLASSES, size=num_examples)
    others = (labels + rng.randint(1, NUM_CLASSES, size=num_examples)) % NUM_CLASSES
    strength = rng.randint(40, 140, size=(num_examples, 1, 1)).astype(np.uint16)
    distraction = rng.randint(0, 100, size=(num_examples, 1, 1)).astype(np.uint16)
    noise = rng.randint(0, 180, size=(num_examples, IMAGE_SIZE, IMAGE_SIZE), dtype=np.uint16)
    images = templates[labels] * strength + templates[others] * distraction + noise
    return np.minimum(images, 255).astype(np.uint8), labels.astype(np.uint8)


def class_templates(rng):
    """One distinct 28 x 28 binary pattern per class: a random 7 x 7 grid of blocks, scaled up 4x."""
    coarse = rng.rand(NUM_CLASSES, 7, 7) < 0.45
    return np.kron(coarse, np.ones((4, 4), dtype=bool)).astype(np.uint8)


def write_fashion_mnist(folder, num_train=1000, num_test=200, seed=0):
    """Write a learnable Fashion-MNIST look-alike (the four IDX ``.gz`` files) into ``folder``; return it.

    Each class has its own block pattern (see ``fashion_mnist_arrays``), so softmax regression
    gets well above chance within an epoch. The same ``seed`` always gives the same bytes.
    """
    os.makedirs(folder, exist_ok=True)
    rng = np.random.RandomState(seed)
    templates = class_templates(rng)
    splits = ((FILES["train"], num_train), (FILES["test"], num_test))
    for (images_name, labels_name), count in splits:
        images, labels = fashion_mnist_arrays(count, templates, rng)
        write_idx(os.path.join(folder, images_name), images)
        write_idx(os.path.join(folder, labels_name), labels)
    return folder
