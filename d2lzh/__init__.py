"""d2lzh: the utility package of *Dive into Deep Learning* (动手学深度学习, MXNet/Gluon edition).

``import d2lzh as d2l`` gives every public name of d2lzh 1.0.0 (plus ``plt``), organised in
modules by concern. Names are imported on first use, so ``import d2lzh`` stays cheap: mxnet and
``matplotlib.pyplot`` load only when a helper that needs them is touched.
"""
import importlib

__version__ = "1.1.0"

# Which module of the package holds each public name (and the private helpers 1.0.0 exposed).
_EXPORTS = {
    "plotting": (
        "use_svg_display", "set_figsize", "semilogy", "show_fashion_mnist", "show_images",
        "show_trace_2d", "bbox_to_rect", "show_bboxes", "_make_list",
    ),
    "scratch": ("data_iter", "linreg", "squared_loss", "sgd", "corr2d"),
    "devices": ("try_gpu", "try_all_gpus"),
    "training": ("evaluate_accuracy", "train_ch3", "train_ch5", "train", "_get_batch"),
    "timing": ("Benchmark",),
    "seeding": ("set_seed",),
    "models": ("Residual", "resnet18", "RNNModel"),
    "rnn": (
        "to_onehot", "grad_clipping", "predict_rnn", "train_and_predict_rnn",
        "predict_rnn_gluon", "train_and_predict_rnn_gluon",
    ),
    "optimization": ("train_2d", "train_ch7", "train_gluon_ch7"),
    "sentiment": ("predict_sentiment",),
    "data.store": ("mkdir_if_not_exist",),
    "data.fashion_mnist": ("get_fashion_mnist_labels", "load_data_fashion_mnist"),
    "data.text": ("load_data_jay_lyrics", "load_data_time_machine"),
    "data.sequences": ("data_iter_random", "data_iter_consecutive"),
    "data.airfoil": ("get_data_ch7",),
    "data.pikachu": ("load_data_pikachu", "_download_pikachu"),
    "data.voc": (
        "download_voc_pascal", "read_voc_images", "VOC_CLASSES", "VOC_COLORMAP",
        "voc_label_indices", "voc_rand_crop", "VOCSegDataset",
    ),
    "data.imdb": (
        "download_imdb", "read_imdb", "get_tokenized_imdb", "get_vocab_imdb",
        "preprocess_imdb", "count_tokens",
    ),
}
_HOME = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(name for name in _HOME if not name.startswith("_")) + ["plt"]

# Names users reach for from the other editions of the book, and where they live instead.
_OTHER_EDITIONS = {
    "Timer": "the `d2l` package (2nd edition); here use d2l.Benchmark",
    "Accumulator": "the `d2l` package (2nd edition)",
    "Animator": "the `d2l` package (2nd edition)",
    "load_array": "the `d2l` package (2nd edition); here use gluon.data.DataLoader",
    "synthetic_data": "the `d2l` package (2nd edition)",
    "train_epoch_ch3": "the `d2l` package (2nd edition); here use d2l.train_ch3",
}


def __getattr__(name):
    """Import the module that holds ``name`` on first use and cache the name here."""
    if name == "plt":
        import matplotlib.pyplot as plt
        globals()["plt"] = plt
        return plt
    module = _HOME.get(name)
    if module is None:
        hint = _OTHER_EDITIONS.get(name)
        where = " It comes from %s." % hint if hint else ""
        raise AttributeError("module 'd2lzh' has no attribute %r.%s" % (name, where))
    value = getattr(importlib.import_module("." + module, __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
