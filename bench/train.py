"""Training images per second of d2lzh's Fashion-MNIST pipeline, against the 1.0.0 way and the engine limit.

For softmax regression, the MLP and LeNet, three variants train on the same synthetic
Fashion-MNIST files (written by ``d2lzh.data.synthetic``), each with its own data loading:

* 1.0.0 way: a Gluon dataset with a per-image ``ToTensor`` and ``DataLoader(num_workers=0)``, a
  loop with two ``asscalar()`` per batch, and 1.0.0's per-batch-syncing evaluate_accuracy;
* engine limit: batches pre-built as NDArrays, loss and accuracy kept on the device, one sync;
* d2lzh: ``load_data_fashion_mnist(root=...)`` with ``train_ch3`` (softmax, MLP) or ``train_ch5`` (LeNet).

All three use the same net code, hybridized (the same choice everywhere, so only the data
pipeline and the loop differ), and the same hyperparameters. An epoch's time covers training
and the test pass; the figure is training images / seconds of epoch 2 of 2, best of all runs.
Each of --repeats rounds runs the 1.0.0 way once, then engine and d2lzh alternately (pairs
repeated for up to PAIR_SECONDS, so the 20 ms epochs of softmax get enough samples), so that
load from other processes hits the variants alike; "pair med." is the median d2lzh/engine ratio of
those back-to-back pairs, the steadier figure on a shared machine. "fixed" is d2lzh with the
training set left in file order, like the engine's pre-built batches: the gap between it and d2lzh
is the cost of reshuffling each epoch (about 3 ms per 10,000 images). Import costs are measured in fresh interpreters.
Run: ``python bench/train.py [--train N] [--test N] [--repeats N] [--models softmax,MLP,LeNet]``.
"""
import argparse
import contextlib
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time

import mxnet as mx
import numpy as np
from mxnet import autograd, gluon, init, nd
from mxnet.gluon import data as gdata
from mxnet.gluon import loss as gloss
from mxnet.gluon import nn

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)
import d2lzh as d2l  # noqa: E402
from d2lzh.data.fashion_mnist import read_split  # noqa: E402
from d2lzh.data.synthetic import write_fashion_mnist  # noqa: E402

BATCH_SIZE, EPOCHS = 256, 2
CTX = mx.cpu()


def softmax_net():
    net = nn.HybridSequential()
    net.add(nn.Dense(10))
    return net, init.Normal(sigma=0.01), 0.1


def mlp_net():
    net = nn.HybridSequential()
    net.add(nn.Dense(256, activation="relu"), nn.Dense(10))
    return net, init.Normal(sigma=0.01), 0.5


def lenet():
    net = nn.HybridSequential()
    net.add(nn.Conv2D(channels=6, kernel_size=5, activation="sigmoid"),
            nn.MaxPool2D(pool_size=2, strides=2),
            nn.Conv2D(channels=16, kernel_size=5, activation="sigmoid"),
            nn.MaxPool2D(pool_size=2, strides=2),
            nn.Dense(120, activation="sigmoid"), nn.Dense(84, activation="sigmoid"), nn.Dense(10))
    return net, init.Xavier(), 0.9


MODELS = (("softmax", softmax_net), ("MLP", mlp_net), ("LeNet", lenet))


def build(make_net):
    """A fresh hybridized net, its SGD trainer and loss."""
    net, initializer, lr = make_net()
    net.initialize(initializer, ctx=CTX)
    net.hybridize()
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": lr})
    return net, trainer, gloss.SoftmaxCrossEntropyLoss()


# 1.0.0 way --------------------------------------------------------------------------------------
def old_loaders(folder):
    """1.0.0's pipeline: per-image ToTensor through a Gluon DataLoader (num_workers=0 is its best here)."""
    to_tensor = gdata.vision.transforms.ToTensor()
    loaders = []
    for split, shuffle in (("train", True), ("test", False)):
        images, labels = read_split(folder, split)
        dataset = gdata.ArrayDataset(nd.array(images[..., None], dtype="uint8"), labels)
        loaders.append(gdata.DataLoader(dataset.transform_first(to_tensor), BATCH_SIZE,
                                        shuffle=shuffle, num_workers=0))
    return loaders


def old_evaluate(data_iter, net):
    """1.0.0's evaluate_accuracy: copies each batch's count to the CPU and waits for it."""
    acc_sum, n = nd.array([0]), 0
    for X, y in data_iter:
        X, y = X.as_in_context(CTX), y.as_in_context(CTX).astype("float32")
        acc_sum += (net(X).argmax(axis=1) == y).sum().copyto(mx.cpu())
        n += y.size
        acc_sum.wait_to_read()
    return acc_sum.asscalar() / n


def old_way(folder, make_net):
    """Seconds of each epoch of 1.0.0's train_ch3/train_ch5 loop: two host syncs per batch."""
    train_iter, test_iter = old_loaders(folder)
    net, trainer, loss = build(make_net)
    times = []
    for _ in range(EPOCHS):
        start = time.time()
        train_l_sum, train_acc_sum, n = 0.0, 0.0, 0
        for X, y in train_iter:
            X, y = X.as_in_context(CTX), y.as_in_context(CTX)
            with autograd.record():
                y_hat = net(X)
                l = loss(y_hat, y).sum()
            l.backward()
            trainer.step(BATCH_SIZE)
            y = y.astype("float32")
            train_l_sum += l.asscalar()
            train_acc_sum += (y_hat.argmax(axis=1) == y).sum().asscalar()
            n += y.size
        old_evaluate(test_iter, net)
        times.append(time.time() - start)
    return times


# engine limit -----------------------------------------------------------------------------------
def device_arrays(folder, split):
    """All of ``split`` as ready NDArrays on CTX: X float32 NCHW in [0, 1], y float32."""
    images, labels = read_split(folder, split)
    return (nd.array(images[:, None].astype(np.float32) / 255, ctx=CTX),
            nd.array(labels, dtype="float32", ctx=CTX))


def batches(X, y):
    """Consecutive (X, y) minibatches, as views."""
    return [(X[i:i + BATCH_SIZE], y[i:i + BATCH_SIZE]) for i in range(0, y.shape[0], BATCH_SIZE)]


def engine_limit(folder, make_net, name):
    """Seconds per epoch with nothing but the model's own work: batches built once, no per-batch sync."""
    train_batches, test_batches = batches(*device_arrays(folder, "train")), batches(*device_arrays(folder, "test"))
    net, trainer, loss = build(make_net)
    times = []
    for _ in range(EPOCHS):
        start = time.time()
        loss_sum, correct, test_correct = nd.zeros(1, CTX), nd.zeros(1, CTX), nd.zeros(1, CTX)
        for X, y in train_batches:
            with autograd.record():
                y_hat = net(X)
                l = loss(y_hat, y)
            l.backward()
            trainer.step(BATCH_SIZE)
            loss_sum += l.sum()
            correct += (y_hat.argmax(axis=1) == y).sum()
        for X, y in test_batches:
            test_correct += (net(X).argmax(axis=1) == y).sum()
        nd.concat(loss_sum, correct, test_correct, dim=0).asnumpy()
        times.append(time.time() - start)
    return times


# d2lzh --------------------------------------------------------------------------------------------
def ours(folder, make_net, name, reshuffle=True):
    """Seconds per epoch of d2l.load_data_fashion_mnist + d2l.train_ch3 (softmax, MLP) / train_ch5 (LeNet)."""
    train_iter, test_iter = d2l.load_data_fashion_mnist(BATCH_SIZE, root=folder)
    train_iter.shuffle = reshuffle
    net, trainer, loss = build(make_net)
    with contextlib.redirect_stdout(io.StringIO()):
        if name == "LeNet":
            history = d2l.train_ch5(net, train_iter, test_iter, BATCH_SIZE, trainer, CTX, EPOCHS)
        else:
            history = d2l.train_ch3(net, train_iter, test_iter, loss, EPOCHS, BATCH_SIZE, None, None, trainer)
    return [stats.time for stats in history]


# measurement --------------------------------------------------------------------------------------
OLD, ENGINE, OURS, FIXED = "1.0.0 way", "engine", "d2lzh", "fixed order"
RUNS = {
    OLD: lambda folder, make_net, name: old_way(folder, make_net),
    ENGINE: engine_limit,
    OURS: ours,
    FIXED: lambda folder, make_net, name: ours(folder, make_net, name, reshuffle=False),
}
PAIR_SECONDS = 3.0  # per round, the engine/d2lzh pair repeats for up to this long (short epochs are noisier)


def images_per_second(variant, folder, make_net, name, num_train):
    """Epoch-2 training images/s of one fresh run of ``variant``."""
    return num_train / RUNS[variant](folder, make_net, name)[-1]


def measure_training(folder, num_train, repeats, models):
    """Per model: best images/s of each variant, and the median d2lzh/engine ratio of back-to-back pairs."""
    for name, make_net in MODELS:
        if name not in models:
            continue
        best, pair_ratios = {OLD: 0.0, ENGINE: 0.0, OURS: 0.0, FIXED: 0.0}, []
        for _ in range(repeats):
            for variant in (OLD, FIXED):
                best[variant] = max(best[variant], images_per_second(variant, folder, make_net, name, num_train))
            round_start = time.time()
            while time.time() - round_start < PAIR_SECONDS:
                pair = {v: images_per_second(v, folder, make_net, name, num_train) for v in (ENGINE, OURS)}
                pair_ratios.append(pair[OURS] / pair[ENGINE])
                best = {v: max(best[v], pair.get(v, 0.0)) for v in best}
        print(COLUMNS % (name, "%.0f" % best[OLD], "%.0f" % best[ENGINE], "%.0f" % best[OURS],
                         "%.2f" % (best[OURS] / best[ENGINE]), "%.2f" % statistics.median(pair_ratios),
                         "%.2f" % (best[FIXED] / best[ENGINE]), "%.2f" % (best[OLD] / best[ENGINE])), flush=True)


COLUMNS = "%-8s %10s %10s %10s %13s %12s %12s %13s"


IMPORT_PROBES = (  # (label, setup, timed code)
    ("import d2lzh (mxnet not loaded)", "", "import d2lzh"),
    ("import d2lzh after import mxnet", "import mxnet", "import d2lzh"),
    ("d2lzh.train_ch3 after import mxnet", "import mxnet", "import d2lzh; d2lzh.train_ch3"),
)
WHOLE = ("import mxnet", "import mxnet, d2lzh; d2lzh.train_ch3")


def report_import_times(repeats=7):
    """Import costs in fresh interpreters: each probe timed inside the process, and whole runs."""
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))

    def python(code):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], check=True, env=env, stdout=subprocess.PIPE, text=True)
        return time.perf_counter() - start, out.stdout

    print("\nimport cost, median of %d fresh interpreters" % repeats)
    for label, setup, code in IMPORT_PROBES:
        probe = "%s\nimport time\nt = time.perf_counter()\n%s\nprint(time.perf_counter() - t)" % (setup, code)
        inside = [float(python(probe)[1]) for _ in range(repeats)]
        print("  %-40s %8.1f ms  (timed in-process)" % (label, 1000 * statistics.median(inside)))
    whole = {code: [] for code in WHOLE}
    for _ in range(repeats):
        for code in WHOLE:
            whole[code].append(python(code)[0])
    for code, times in whole.items():
        print("  %-40s %8.1f ms  (whole interpreter)" % ('python -c "%s"' % code, 1000 * statistics.median(times)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=int, default=10000, help="synthetic training images")
    parser.add_argument("--test", type=int, default=2000, help="synthetic test images")
    parser.add_argument("--repeats", type=int, default=5, help="measurement rounds; the best run counts")
    parser.add_argument("--models", default=",".join(name for name, _ in MODELS),
                        help="comma-separated subset of: %(default)s")
    parser.add_argument("--skip-imports", action="store_true", help="do not time imports")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        write_fashion_mnist(folder, args.train, args.test)
        print("wrote %d + %d synthetic images in %.2f s" % (args.train, args.test, time.perf_counter() - start))
        print("training images/s, epoch %d of %d, batch %d, best of %d (%d train, %d test images)" % (
            EPOCHS, EPOCHS, BATCH_SIZE, args.repeats, args.train, args.test))
        print(COLUMNS % ("model", OLD, ENGINE, OURS, "d2lzh/engine", "(pair med.)", "fixed/engine",
                         "1.0.0/engine"))
        measure_training(folder, args.train, args.repeats, args.models.split(","))
    if not args.skip_imports:
        report_import_times()


if __name__ == "__main__":
    main()
