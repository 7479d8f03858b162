"""Checks for exercises/ch08_computational_performance.py: chapter 8, Computational performance.

The multi-device exercises run on the ``ctx_list`` fixture: cpu(0) and cpu(1) by default, every GPU
with --ctx gpu. Their references are one SGD step on the whole batch on one device, in NumPy.
"""
import mxnet as mx
import numpy as np
from mxnet import gluon

from grader.checking import WrongType, assert_answer, assert_close, assert_equal, checkpoint, exercise, nd

CHAPTER = "ch08_computational_performance"

# Salted digests of the answer constants: python -m grader.answers <exercise id> '<answer>'.
DIGESTS = {
    "ch08.hybrid_allowed":
        "sha256:1083d7ba35d866911b609acb3206adf6587a62f713bbaddd5212797b286c8119",
}
HYBRID_RULE = ("once hybridized, hybrid_forward receives Symbols, which have no values: use F's operators "
               "(F.where, F.relu), never nd.*, asnumpy or a Python if on values")


def _context_names(ctx_list):
    """How the child prints the contexts of ctx_list markers: 'cpu:1' -> 'cpu(1)'."""
    return ["%s(%s)" % tuple(marker.spec.split(":")) for marker in ctx_list]


def _linear_sgd_step(W, b, X, y, lr):
    """NumPy oracle: one step of minibatch SGD on the loss (X W^T + b - y) ** 2 / 2 averaged over the batch.

    W is (1, d) like a Dense(1) weight and b is (1,); returns the new (W, b) and the per-example losses.
    """
    residual = X @ W.T + b - y.reshape(-1, 1)
    losses = (residual[:, 0] ** 2) / 2
    return W - lr * residual.T @ X / len(X), b - lr * residual.sum(axis=0) / len(X), losses


def _linear_problem(rng, n):
    """A (1, d) weight, a (1,) bias, and a batch X (n, d), y (n,) of a noisy linear target."""
    d = int(rng.integers(2, 5))
    W, b = rng.normal(size=(1, d)), rng.normal(size=(1,))
    X = rng.normal(size=(n, d))
    return W, b, X, X @ rng.normal(size=d) + rng.normal(scale=0.1, size=n)


def _hybrid_outputs(got, expected, name):
    """Fail unless the probe saw a HybridBlock whose hybridized calls give expected like the imperative one."""
    if not got["is_hybrid_block"]:
        raise AssertionError(f"{name} is not an nn.HybridBlock, so net.hybridize() does nothing")
    if got["error"]:
        raise AssertionError(f"after net.hybridize(), calling {name} raised {got['error']}: {HYBRID_RULE}")
    assert_close(got["hybridized"], expected, rtol=1e-4, atol=1e-5, what=f"{name} after net.hybridize()")
    assert_close(got["cached"], expected, rtol=1e-4, atol=1e-5,
                 what=f"{name} on its second hybridized call (the cached graph)")


def _param_by_shape(params, shape, what):
    """The one parameter array of the given shape, or an AssertionError naming the layer that lacks it."""
    found = [param for param in params if np.shape(param) == shape]
    if len(found) != 1:
        raise AssertionError(f"expected one parameter of shape {shape} ({what}), found shapes "
                             f"{[np.shape(param) for param in params]}")
    return found[0]


# ---- 8.1 hybrid programming ----------------------------------------------------------------

@exercise("ch08.hybrid_mlp", 2, "Create both Dense layers in __init__; hybrid_forward returns "
          "self.output(F.relu(self.hidden(x))).")
def test_hybrid_mlp(student, rng):
    n, d = int(rng.integers(2, 6)), int(rng.integers(3, 7))
    hidden, outputs = d + int(rng.integers(1, 5)), int(rng.integers(1, 3))
    x = rng.normal(size=(n, d))
    got = student.probe("hybridized_outputs", "HybridMLP", hidden, outputs, x=x)
    with checkpoint("Dense(relu) then Dense, from the net's own parameters", 1):
        params = got["params"]
        W1 = _param_by_shape(params, (hidden, d), "the hidden layer's weight")
        b1 = _param_by_shape(params, (hidden,), "the hidden layer's bias")
        W2 = _param_by_shape(params, (outputs, hidden), "the output layer's weight")
        b2 = _param_by_shape(params, (outputs,), "the output layer's bias")
        expected = np.maximum(x @ W1.T + b1, 0) @ W2.T + b2
        assert_close(got["imperative"], expected, rtol=1e-4, atol=1e-5, what=f"HybridMLP({hidden}, {outputs})(x)")
    with checkpoint("the same outputs after net.hybridize()", 1):
        _hybrid_outputs(got, got["imperative"], f"HybridMLP({hidden}, {outputs})")


@exercise("ch08.hybrid_piecewise", 3, "F.where(x > 0, x * x, -3 * x): a condition array instead of a Python if.")
def test_hybrid_piecewise(student, rng):
    x = rng.normal(size=(int(rng.integers(2, 5)), int(rng.integers(3, 7))))
    x[0, :2] = [1.5, -1.5]  # both branches, whatever was drawn
    expected = np.where(x > 0, x * x, -3 * x)
    got = student.probe("hybridized_outputs", "HybridPiecewise", x=x)
    with checkpoint("values before hybridize()", 1):
        assert_close(got["imperative"], expected, rtol=1e-5, atol=1e-6, what="HybridPiecewise()(x)")
    with checkpoint("the same values after hybridize()", 2):
        _hybrid_outputs(got, expected, "HybridPiecewise()")


@exercise("ch08.hybrid_allowed", 1, "Try each one in a small HybridBlock: call it, net.hybridize(), call it again.")
def test_hybrid_allowed(student):
    got = student.value("HYBRID_ALLOWED")
    if not isinstance(got, str):
        raise AssertionError(f'HYBRID_ALLOWED: expected a string of letters such as "ab", got {got!r}')
    letters = "".join(sorted(set(got.lower()) - set(", ")))
    assert_answer(letters, DIGESTS["ch08.hybrid_allowed"], "ch08.hybrid_allowed",
                  what=f"HYBRID_ALLOWED (as {letters!r})")


# ---- 8.2 asynchronous computation ----------------------------------------------------------

@exercise("ch08.train_epoch", 4, "total = total + l.sum() stays an NDArray; call .asscalar() once, after the loop.")
def test_train_epoch(student, rng):
    W, b, X, y = _linear_problem(rng, int(rng.integers(20, 40)))
    cuts = np.sort(rng.choice(np.arange(2, len(X) - 1), size=int(rng.integers(3, 6)), replace=False))
    batches = [(X_part, y_part) for X_part, y_part in zip(np.split(X, cuts), np.split(y, cuts))]
    lr = float(rng.uniform(0.05, 0.3))
    got = student.probe("linear_epoch_syncs", "train_epoch", W, b, batches, lr)
    losses = []
    for X_part, y_part in batches:
        W, b, batch_losses = _linear_sgd_step(W, b, X_part, y_part, lr)
        losses.append(batch_losses)
    with checkpoint("mean loss of the epoch, as a number", 1):
        result = got["result"]
        if not isinstance(result, (int, float, np.floating)):
            raise WrongType(f"train_epoch returned {type(result).__name__} {np.shape(result)}, expected a "
                            "Python float (read the NDArray once with .asscalar())")
        assert_close(result, float(np.concatenate(losses).mean()), rtol=1e-4, what="the epoch's mean loss")
    with checkpoint("parameters after the epoch", 1):
        assert_close(got["weight"], W, rtol=1e-4, atol=1e-5, what="weight after the epoch")
        assert_close(got["bias"], b, rtol=1e-4, atol=1e-5, what="bias after the epoch")
    with checkpoint("at most one host sync", 2):
        if got["syncs"] > 1:
            raise AssertionError(
                f"train_epoch made {got['syncs']} host syncs (asnumpy, asscalar, float(), print, wait_to_read) "
                f"over {len(batches)} batches: each one stops Python until MXNet has caught up. Keep the loss "
                "sum as an NDArray and read it once, after the loop")


# ---- 8.4 multi-device training from scratch ------------------------------------------------

@exercise("ch08.split_sizes", 2, "Try gluon.utils.split_and_load(nd.arange(10), [mx.cpu(i) for i in range(3)], "
          "even_split=False) and look at the parts' lengths.")
def test_split_sizes(student, rng):
    devices = [int(rng.integers(2, 5)) for _ in range(4)]
    cases = [(k * int(rng.integers(2, 6)) + int(rng.integers(1, k)), k) for k in devices[:3]]
    cases += [(int(rng.integers(2, 5)) * devices[3], devices[3]), (int(rng.integers(1, 3)), 3)]
    for batch_size, num_devices in cases:
        parts = gluon.utils.split_data(mx.nd.zeros(batch_size), num_devices, even_split=False)
        expected = [part.shape[0] for part in parts]
        got = student.call("split_sizes", batch_size, num_devices)
        what = f"split_sizes({batch_size}, {num_devices})"
        got = list(got) if isinstance(got, tuple) else got
        if isinstance(got, list) and got != expected and sum(got) == batch_size:
            raise AssertionError(f"{what} = {got}: the sizes add up, but split_and_load spreads the remainder "
                                 "as one extra example to each of the first devices")
        assert_equal(got, expected, what=what)


@exercise("ch08.split_and_load", 3, "Slice data[start:start + size] for each size of split_sizes and move it with "
          "part.as_in_context(ctx[i]).")
def test_split_and_load(student, rng, ctx_list):
    batch = len(ctx_list) * int(rng.integers(2, 5)) + int(rng.integers(1, 3))
    data = rng.normal(size=(batch, int(rng.integers(2, 5))))
    got = student.probe("placement", "split_and_load", nd(data), ctx_list)
    if got["contexts"] is None:
        raise WrongType("split_and_load must return a list of NDArrays, one per context")
    expected = [part.asnumpy() for part in gluon.utils.split_data(mx.nd.array(data), len(ctx_list), even_split=False)]
    with checkpoint("consecutive parts of the right sizes", 2):
        assert_equal([len(part) for part in got["values"]], [len(part) for part in expected],
                     what=f"sizes of the parts of a batch of {batch} over {len(ctx_list)} devices")
        for index, (part, want) in enumerate(zip(got["values"], expected)):
            assert_close(part, want, rtol=1e-6, what=f"part {index}")
    with checkpoint("part i lives on ctx[i]", 1):
        for index, (where, want) in enumerate(zip(got["contexts"], _context_names(ctx_list))):
            if where != want:
                raise AssertionError(f"part {index} lives on {where}, expected {want}: copy each part to its "
                                     "device with part.as_in_context(ctx[i])")


@exercise("ch08.allreduce", 3, "Add every data[i].copyto(data[0].context) into data[0]; then data[0].copyto(data[i]).")
def test_allreduce(student, rng, ctx_list):
    shape = (int(rng.integers(2, 4)), int(rng.integers(2, 5)))
    arrays = [rng.normal(size=shape) for _ in ctx_list]
    got = student.probe("in_place_on_devices", "allreduce", arrays, ctx_list)
    total = np.sum(arrays, axis=0)
    with checkpoint("data[0] holds the sum", 1):
        assert_close(got["values"][0], total, rtol=1e-5, atol=1e-5, what="data[0] after allreduce")
    with checkpoint("every other array holds the sum too, on its own device", 2):
        for index in range(1, len(arrays)):
            if np.allclose(got["values"][index], arrays[index]) and not np.allclose(arrays[index], total):
                raise AssertionError(f"data[{index}] did not change: copy the sum back into every array "
                                     "(data[0].copyto(data[i]) writes into data[i])")
            assert_close(got["values"][index], total, rtol=1e-5, atol=1e-5, what=f"data[{index}] after allreduce")
        assert_equal(got["contexts"], _context_names(ctx_list), what="contexts of the arrays after allreduce")


@exercise("ch08.train_batch", 4, "Losses on each device's part, backward, allreduce(each param's .grad over "
          "devices), then param[:] -= lr * grad / X.shape[0] on every replica.")
def test_train_batch(student, rng, ctx_list):
    W, b, X, y = _linear_problem(rng, len(ctx_list) * int(rng.integers(2, 5)) + int(rng.integers(1, 3)))
    lr = float(rng.uniform(0.05, 0.3))
    w = W.T  # the book's linreg takes w of shape (d, 1)
    got = student.probe("replicated_step", "train_batch", nd(X), nd(y), [w, b], ctx_list, lr)
    W_new, b_new, _ = _linear_sgd_step(W, b, X, y, lr)
    replicas = got["values"]
    with checkpoint("every replica stays on its device", 1):
        assert_equal(got["contexts"], [[name, name] for name in _context_names(ctx_list)],
                     what="contexts of [w, b] on each device after the step")
    with checkpoint("the replicas stay equal", 1):
        for index in range(1, len(replicas)):
            for name, first, other in zip(("w", "b"), replicas[0], replicas[index]):
                if not np.allclose(first, other, rtol=1e-5, atol=1e-6):
                    raise AssertionError(f"after one step, {name} on device {index} differs from {name} on device 0: "
                                         "every replica must apply the same all-reduced gradient")
    with checkpoint("one SGD step on the whole batch", 2):
        for index, (w_got, b_got) in enumerate(replicas):
            scale = " (lr * the all-reduced gradient / the WHOLE batch size)"
            assert_close(w_got, W_new.T, rtol=1e-4, atol=1e-5, what=f"w on device {index} after the step{scale}")
            assert_close(b_got, b_new, rtol=1e-4, atol=1e-5, what=f"b on device {index} after the step{scale}")


# ---- 8.5 multi-device training with Gluon --------------------------------------------------

@exercise("ch08.train_step_multi", 3, "split_and_load(..., even_split=False) for X and y, one loss per device, "
          "backward each, trainer.step(X.shape[0]).")
def test_train_step_multi(student, rng, ctx_list):
    W, b, X, y = _linear_problem(rng, 2 * len(ctx_list) * int(rng.integers(1, 4)) + 1)
    lr = float(rng.uniform(0.05, 0.3))
    got = student.probe("dense_step_on_devices", "train_step_multi", W, b, nd(X), nd(y), ctx_list, lr)
    W_new, b_new, _ = _linear_sgd_step(W, b, X, y, lr)
    scale = " (trainer.step(batch_size) divides the summed gradients by batch_size: the whole batch's size)"
    for where, W_got, b_got in zip(got["contexts"], got["weights"], got["biases"]):
        assert_close(W_got, W_new, rtol=1e-4, atol=1e-5, what=f"weight on {where} after the step{scale}")
        assert_close(b_got, b_new, rtol=1e-4, atol=1e-5, what=f"bias on {where} after the step{scale}")
