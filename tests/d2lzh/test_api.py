"""d2lzh keeps every public name and signature of d2lzh 1.0.0 (PyPI)."""
import inspect
import subprocess
import sys

import pytest

import d2lzh

# Parameter lists of d2lzh 1.0.0, read with inspect.signature (see shared/D2LZH_API.md).
SIGNATURES_1_0_0 = {
    "use_svg_display": "()",
    "set_figsize": "(figsize=(3.5, 2.5))",
    "data_iter": "(batch_size, features, labels)",
    "linreg": "(X, w, b)",
    "squared_loss": "(y_hat, y)",
    "sgd": "(params, lr, batch_size)",
    "get_fashion_mnist_labels": "(labels)",
    "show_fashion_mnist": "(images, labels)",
    "load_data_fashion_mnist": "(batch_size, resize=None, root='~/.mxnet/datasets/fashion-mnist')",
    "evaluate_accuracy": "(data_iter, net, ctx=[cpu(0)])",
    "train_ch3": "(net, train_iter, test_iter, loss, num_epochs, batch_size, params=None, lr=None, trainer=None)",
    "semilogy": "(x_vals, y_vals, x_label, y_label, x2_vals=None, y2_vals=None, legend=None, figsize=(3.5, 2.5))",
    "corr2d": "(X, K)",
    "try_gpu": "()",
    "train_ch5": "(net, train_iter, test_iter, batch_size, trainer, ctx, num_epochs)",
    "load_data_jay_lyrics": "()",
    "data_iter_random": "(corpus_indices, batch_size, num_steps, ctx=None)",
    "data_iter_consecutive": "(corpus_indices, batch_size, num_steps, ctx=None)",
    "to_onehot": "(X, size)",
    "predict_rnn": "(prefix, num_chars, rnn, params, init_rnn_state, num_hiddens, vocab_size, ctx, idx_to_char,"
                   " char_to_idx)",
    "grad_clipping": "(params, theta, ctx)",
    "train_and_predict_rnn": "(rnn, get_params, init_rnn_state, num_hiddens, vocab_size, ctx, corpus_indices,"
                             " idx_to_char, char_to_idx, is_random_iter, num_epochs, num_steps, lr, clipping_theta,"
                             " batch_size, pred_period, pred_len, prefixes)",
    "predict_rnn_gluon": "(prefix, num_chars, model, vocab_size, ctx, idx_to_char, char_to_idx)",
    "train_and_predict_rnn_gluon": "(model, num_hiddens, vocab_size, ctx, corpus_indices, idx_to_char, char_to_idx,"
                                   " num_epochs, num_steps, lr, clipping_theta, batch_size, pred_period, pred_len,"
                                   " prefixes)",
    "train_2d": "(trainer)",
    "show_trace_2d": "(f, res)",
    "get_data_ch7": "()",
    "train_ch7": "(trainer_fn, states, hyperparams, features, labels, batch_size=10, num_epochs=2)",
    "train_gluon_ch7": "(trainer_name, trainer_hyperparams, features, labels, batch_size=10, num_epochs=2)",
    "resnet18": "(num_classes)",
    "show_images": "(imgs, num_rows, num_cols, scale=2)",
    "try_all_gpus": "()",
    "train": "(train_iter, test_iter, net, loss, trainer, ctx, num_epochs)",
    "_get_batch": "(batch, ctx)",
    "bbox_to_rect": "(bbox, color)",
    "show_bboxes": "(axes, bboxes, labels=None, colors=None)",
    "_make_list": "(obj, default_values=None)",
    "load_data_pikachu": "(batch_size, edge_size=256)",
    "_download_pikachu": "(data_dir)",
    "download_voc_pascal": "(data_dir='../data')",
    "read_voc_images": "(root='../data/VOCdevkit/VOC2012', is_train=True)",
    "voc_label_indices": "(colormap, colormap2label)",
    "voc_rand_crop": "(feature, label, height, width)",
    "mkdir_if_not_exist": "(path)",
    "download_imdb": "(data_dir='../data')",
    "read_imdb": "(folder='train')",
    "get_tokenized_imdb": "(data)",
    "get_vocab_imdb": "(data)",
    "preprocess_imdb": "(data, vocab)",
    "predict_sentiment": "(net, vocab, sentence)",
    "count_tokens": "(samples)",
    "load_data_time_machine": "()",
}

CLASS_METHODS_1_0_0 = {
    "Residual": {"__init__": "(self, num_channels, use_1x1conv=False, strides=1, **kwargs)", "forward": None},
    "RNNModel": {"__init__": "(self, rnn_layer, vocab_size, **kwargs)", "forward": "(self, inputs, state)",
                 "begin_state": "(self, *args, **kwargs)"},
    "Benchmark": {"__init__": "(self, prefix=None)", "__enter__": "(self)", "__exit__": None},
    "VOCSegDataset": {"__init__": "(self, is_train, crop_size, voc_dir, colormap2label)",
                      "normalize_image": None, "filter": None, "__getitem__": None, "__len__": "(self)"},
}

CONSTANTS_1_0_0 = {"VOC_CLASSES": 21, "VOC_COLORMAP": 21}

# Defaults that became safer on purpose (D2LZH_API.md section 2.9, bug 4).
SAFER_DEFAULTS = {("evaluate_accuracy", "ctx"): None}


def _parameters(text):
    """Parameters of a signature written as text, read back through inspect."""
    namespace = {"cpu": lambda i: "cpu(%d)" % i}
    exec("def f%s: pass" % text, namespace)  # our own literals above, not user input
    return list(inspect.signature(namespace["f"]).parameters.values())


def _assert_compatible(where, ours, theirs_text, safer=None):
    """1.0.0's parameters are a prefix of ours (names, kinds, defaults); ours add only optional ones."""
    theirs = _parameters(theirs_text)
    ours = list(ours.parameters.values())
    assert [p.name for p in ours[:len(theirs)]] == [p.name for p in theirs], where
    for mine, old in zip(ours, theirs):
        assert mine.kind == old.kind, (where, mine.name)
        if (where, mine.name) in (safer or {}):
            assert mine.default == safer[(where, mine.name)], (where, mine.name)
        else:
            assert repr(mine.default) == repr(old.default) or mine.default == old.default, (where, mine.name)
    for extra in ours[len(theirs):]:
        optional = extra.default is not inspect.Parameter.empty or extra.kind in (
            inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
        assert optional, "%s: added parameter %r must be optional" % (where, extra.name)


@pytest.mark.parametrize("name", sorted(SIGNATURES_1_0_0))
def test_function_keeps_its_1_0_0_signature(name):
    func = getattr(d2lzh, name)
    _assert_compatible(name, inspect.signature(func), SIGNATURES_1_0_0[name], SAFER_DEFAULTS)


@pytest.mark.parametrize("name", sorted(CLASS_METHODS_1_0_0))
def test_class_keeps_its_1_0_0_methods(name):
    cls = getattr(d2lzh, name)
    assert inspect.isclass(cls)
    for method, text in CLASS_METHODS_1_0_0[name].items():
        assert callable(getattr(cls, method, None)), "%s.%s is missing" % (name, method)
        if text is not None:
            _assert_compatible("%s.%s" % (name, method), inspect.signature(getattr(cls, method)), text)


@pytest.mark.parametrize("name", sorted(CONSTANTS_1_0_0))
def test_constant_has_its_1_0_0_length(name):
    assert len(getattr(d2lzh, name)) == CONSTANTS_1_0_0[name]


def test_star_import_gives_all_public_names_and_plt():
    namespace = {}
    exec("from d2lzh import *", namespace)
    public = {n for n in SIGNATURES_1_0_0 if not n.startswith("_")} | set(CLASS_METHODS_1_0_0) | set(CONSTANTS_1_0_0)
    assert len(public) == 55
    assert public | {"plt"} <= set(namespace)
    assert namespace["plt"].__name__ == "matplotlib.pyplot"


def test_missing_name_says_which_edition_has_it():
    with pytest.raises(AttributeError, match="2nd edition"):
        d2lzh.Animator


def test_import_needs_neither_ipython_nor_pyplot():
    code = ("import sys; sys.modules['IPython'] = None; import d2lzh; "
            "assert 'matplotlib.pyplot' not in sys.modules; assert 'mxnet' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)
