"""Checks for exercises/ch03_deep_learning_basics.py: chapter 3, Deep-learning basics."""
import mxnet as mx
import numpy as np
from mxnet import autograd, gluon

from grader.checking import assert_answer, assert_close, assert_equal, checkpoint, exercise, nd

CHAPTER = "ch03_deep_learning_basics"

# Salted digests of the answer constants: python -m grader.answers <exercise id> '<answer>'.
DIGESTS = {
    "ch03.dense_shapes":
        "sha256:8524167c7dd20d210f9f7020d1d160884fffbd5174a94c95fee3819f213f5e82",
    "ch03.trainer_step_arg":
        "sha256:0cc0c446459b0f5cccfc8706b9a8ad03edf181596fc032425e1f7822dfcf84a0",
    "ch03.mlp_weight_count":
        "sha256:ba2a938f8fecdeaf6a5a1ed401d76109fa09b05443c1602528db5dd2b60fe025",
}


def _softmax_rows(X):
    """NumPy oracle: row-wise softmax."""
    exp = np.exp(X - X.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def _assert_updated(got, before, expected, what):
    """Compare updated arrays with expected, first telling apart 'not updated at all' (no in-place write)."""
    if all(np.array_equal(g, b) for g, b in zip(got, before)):
        raise AssertionError(f"{what}: the parameters did not change. Write into them in place "
                             "(param[:] = ...); param = ... only rebinds a local name.")
    for index, (g, e) in enumerate(zip(got, expected)):
        assert_close(g, e, rtol=1e-5, atol=1e-6, what=f"{what}: params[{index}]")


@exercise("ch03.dense_shapes", 2, "XW must map 8 features to 1 output; b broadcasts over the 7 rows.")
def test_dense_shapes(student):
    got = student.value("DENSE_SHAPES")
    if not isinstance(got, (list, tuple)) or len(got) != 2:
        raise AssertionError(f"DENSE_SHAPES: expected a tuple of two shapes, got {got!r}")
    assert_answer(got, DIGESTS["ch03.dense_shapes"], "ch03.dense_shapes", what="DENSE_SHAPES")


@exercise("ch03.data_iter", 3, "Shuffle a list of all indices, then yield features.take(...) for each slice.")
def test_data_iter(student, rng):
    n, batch_size = int(rng.integers(23, 60)), int(rng.integers(3, 8))
    labels = np.arange(n, dtype=np.float64)
    features = np.stack([labels, -labels], axis=1)
    batches = student.probe("iterate", "data_iter", batch_size, nd(features), nd(labels))
    if not batches:
        raise AssertionError("data_iter yielded no batches")
    for batch in batches:
        if len(batch) != 2:
            raise AssertionError(f"data_iter must yield (X, y) pairs, got a batch with {len(batch)} parts")
    with checkpoint("batch sizes", 1):
        expected_sizes = [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])
        assert_equal([len(y) for _, y in batches], expected_sizes, what="batch sizes")
    with checkpoint("every example once, rows matching labels, in a shuffled order", 2):
        seen_labels = np.concatenate([y for _, y in batches])
        assert_equal(sorted(seen_labels.tolist()), labels.tolist(), what="labels seen over one pass")
        seen_features = np.concatenate([X for X, _ in batches])
        assert_close(seen_features, np.stack([seen_labels, -seen_labels], axis=1), what="feature rows")
        if np.array_equal(seen_labels, labels):
            raise AssertionError("the examples come in their original order: shuffle the indices first")


@exercise("ch03.linreg", 2, "nd.dot(X, w) + b.")
def test_linreg(student, rng):
    n, d = int(rng.integers(3, 9)), int(rng.integers(2, 5))
    X, w, b = rng.normal(size=(n, d)), rng.normal(size=(d, 1)), rng.normal(size=(1,))
    got = student.call("linreg", nd(X), nd(w), nd(b))
    assert_close(got, X @ w + b, rtol=1e-5, atol=1e-5, what="linreg(X, w, b)")


@exercise("ch03.squared_loss", 2, "Reshape y to y_hat.shape before subtracting, or it broadcasts to (n, n).")
def test_squared_loss(student, rng):
    n = int(rng.integers(3, 9))
    y_hat, y = rng.normal(size=(n, 1)), rng.normal(size=(n,))
    got = student.call("squared_loss", nd(y_hat), nd(y))
    with checkpoint("shape (n, 1)", 1):
        if np.shape(got) != (n, 1):
            raise AssertionError(f"squared_loss(y_hat, y) has shape {np.shape(got)}, expected ({n}, 1)")
    with checkpoint("values", 1):
        losses = np.reshape(got, -1)
        if losses.size != n:
            raise AssertionError(f"expected {n} losses, got {losses.size} values: did y_hat - y broadcast?")
        assert_close(losses, (y_hat[:, 0] - y) ** 2 / 2, rtol=1e-5, what="losses")


@exercise("ch03.sgd", 3, "param[:] = param - lr * param.grad / batch_size, for each param.")
def test_sgd(student, rng):
    params = [rng.normal(size=(3, 2)), rng.normal(size=(4,))]
    grads = [rng.normal(size=p.shape) for p in params]
    lr, batch_size = float(rng.uniform(0.01, 0.5)), int(rng.integers(2, 20))
    got = student.probe("update_in_place", "sgd", params, grads, lr, batch_size)
    expected = [p - lr * g / batch_size for p, g in zip(params, grads)]
    before = [p.astype(np.float32) for p in params]
    _assert_updated(got["params"], before, expected, "sgd")


@exercise("ch03.trainer_step_arg", 1,
          "Read help(gluon.Trainer.step): what does its batch_size argument do to the gradients?")
def test_trainer_step_arg(student):
    assert_answer(student.value("TRAINER_STEP_ARG"), DIGESTS["ch03.trainer_step_arg"],
                  "ch03.trainer_step_arg", what="TRAINER_STEP_ARG")


@exercise("ch03.softmax", 3, "exp(X - X.max(axis=1, keepdims=True)), divided by its row sums.")
def test_softmax(student, rng):
    with checkpoint("random input", 2):
        X = rng.normal(scale=3.0, size=(int(rng.integers(2, 6)), int(rng.integers(2, 7))))
        expected = mx.nd.softmax(mx.nd.array(X), axis=1).asnumpy()
        assert_close(student.call("softmax", nd(X)), expected, rtol=1e-5, what="softmax(X)")
    with checkpoint("large inputs stay finite", 1):
        X = rng.uniform(90.0, 110.0, size=(2, 4))
        expected = mx.nd.softmax(mx.nd.array(X), axis=1).asnumpy()
        assert_close(student.call("softmax", nd(X)), expected, rtol=1e-5,
                     what="softmax of values near 100 (exp overflows float32 above 88.7)")


@exercise("ch03.cross_entropy", 2, "-nd.pick(y_hat, y).log(): pick the true-class probability of each row.")
def test_cross_entropy(student, rng):
    n, q = int(rng.integers(3, 8)), int(rng.integers(3, 6))
    y_hat = _softmax_rows(rng.normal(size=(n, q)))
    y = rng.integers(0, q, size=n).astype(np.float64)
    got = student.call("cross_entropy", nd(y_hat), nd(y))
    assert_close(got, -np.log(y_hat[np.arange(n), y.astype(int)]), rtol=1e-5, what="cross_entropy(y_hat, y)")


@exercise("ch03.accuracy", 2, "Compare y_hat.argmax(axis=1) with y (as float32), average, then .asscalar().")
def test_accuracy(student, rng):
    n, q = 20, int(rng.integers(3, 6))
    y_hat = rng.uniform(size=(n, q))
    y = rng.integers(0, q, size=n).astype(np.float64)
    got = student.call("accuracy", nd(y_hat), nd(y))
    expected = (y_hat.argmax(axis=1) == y).mean()
    assert_close(np.reshape(got, -1), [expected], what="accuracy(y_hat, y) (one number)")


@exercise("ch03.train_softmax_regression", 4,
          "Move the data to ctx, create W and b on ctx with attach_grad(), loop: record, backward, sgd.")
def test_train_softmax_regression(student, rng, ctx):
    num_classes, dim, per_class = 3, 4, 40
    centers = 4.0 * np.eye(num_classes, dim)[rng.permutation(num_classes)]
    labels = np.repeat(np.arange(num_classes), per_class)
    features = centers[labels] + rng.normal(scale=0.7, size=(len(labels), dim))
    got = student.probe("on_context", "train_softmax_regression", ctx, nd(features), nd(labels), 5, 0.1)
    if not isinstance(got["value"], (list, tuple)) or len(got["value"]) != 2:
        raise AssertionError("train_softmax_regression must return the pair (W, b)")
    W, b = got["value"]
    with checkpoint("W and b live on ctx", 1):
        assert_equal(got["contexts"], [got["requested"]], what="contexts of the returned W and b")
    shapes_right = (np.shape(W), np.shape(b)) == ((dim, num_classes), (num_classes,))
    with checkpoint("shapes of W and b", 1):
        if not shapes_right:
            raise AssertionError(f"W has shape {np.shape(W)} and b {np.shape(b)}, "
                                 f"expected ({dim}, {num_classes}) and ({num_classes},)")
    with checkpoint("training accuracy at least 0.9", 2):
        if not shapes_right:
            raise AssertionError("accuracy not measured: W or b has the wrong shape")
        accuracy = float(((features @ W + b).argmax(axis=1) == labels).mean())
        if accuracy < 0.9:
            raise AssertionError(f"training accuracy {accuracy:.3f} is below 0.9 (5 epochs, lr 0.1)")


@exercise("ch03.mlp_weight_count", 2, "Count the input-to-hidden and the hidden-to-output weight matrices.")
def test_mlp_weight_count(student):
    assert_answer(student.value("MLP_WEIGHT_COUNT"), DIGESTS["ch03.mlp_weight_count"],
                  "ch03.mlp_weight_count", what="MLP_WEIGHT_COUNT")


@exercise("ch03.relu", 1, "nd.maximum(X, 0).")
def test_relu(student, rng):
    X = rng.normal(size=(3, int(rng.integers(2, 6))))
    assert_close(student.call("relu", nd(X)), np.maximum(X, 0), rtol=1e-6, what="relu(X)")


@exercise("ch03.poly_features", 2, "nd.concat(x, x ** 2, ..., dim=1), or nd.power with a (1, degree) exponent row.")
def test_poly_features(student, rng):
    degree = int(rng.integers(2, 6))
    x = rng.uniform(-2.0, 2.0, size=(int(rng.integers(3, 7)), 1))
    got = student.call("poly_features", nd(x), degree)
    expected = np.hstack([x ** power for power in range(1, degree + 1)])
    assert_close(got, expected, rtol=1e-5, atol=1e-5, what=f"poly_features(x, {degree})")


@exercise("ch03.l2_penalty", 1, "(w ** 2).sum() / 2.")
def test_l2_penalty(student, rng):
    w = rng.normal(size=(int(rng.integers(2, 6)), 1))
    got = student.call("l2_penalty", nd(w))
    assert_close(np.reshape(got, -1), [(w ** 2).sum() / 2], rtol=1e-5, what="l2_penalty(w) (one number)")


@exercise("ch03.weight_decay_step", 1,
          "Differentiate the penalty 0.2 / 2 * w ** 2 and add it to the gradient before the step.")
def test_weight_decay_step(student):
    weight = gluon.Parameter("w", shape=(1,), init=mx.init.One())
    weight.initialize()
    trainer = gluon.Trainer([weight], "sgd", {"learning_rate": 0.1, "wd": 0.2})
    with autograd.record():
        loss = 0.5 * weight.data()
    loss.backward()
    trainer.step(1)
    assert_close(student.value("WEIGHT_DECAY_STEP"), float(weight.data().asscalar()), rtol=1e-4,
                 what="WEIGHT_DECAY_STEP")


@exercise("ch03.dropout", 3, "mask = nd.random.uniform(0, 1, X.shape) < keep_prob; return mask * X / keep_prob.")
def test_dropout(student, rng):
    X = rng.uniform(1.0, 2.0, size=(200, 500))
    with checkpoint("drop_prob 0 keeps X", 1):
        small = X[:3, :4]
        assert_close(student.call("dropout", nd(small), 0.0), small, rtol=1e-6, what="dropout(X, 0)")
    with checkpoint("drop_prob 1 gives zeros", 1):
        assert_close(student.call("dropout", nd(X[:3, :4]), 1.0), np.zeros((3, 4)), what="dropout(X, 1)")
    with checkpoint("kept elements scaled by 1 / (1 - p), a fraction p dropped", 1):
        p = float(rng.uniform(0.2, 0.8))
        got = student.call("dropout", nd(X), p)
        if np.shape(got) != X.shape:
            raise AssertionError(f"dropout(X, p) has shape {np.shape(got)}, expected {X.shape}")
        got = np.asarray(got)
        kept = got != 0
        assert_close(got[kept], X.astype(np.float32)[kept] / (1 - p), rtol=1e-5, what="kept elements")
        dropped = 1 - kept.mean()
        if abs(dropped - p) > 0.01:
            raise AssertionError(f"dropped a fraction {dropped:.4f} of the elements, expected about {p:.4f}")


@exercise("ch03.backprop_grads", 3, "Use autograd on copies of W1 and W2, or apply the chain rule of section 3.14.")
def test_backprop_grads(student, rng):
    d, h = int(rng.integers(2, 5)), int(rng.integers(3, 6))
    x, y = rng.normal(size=(d,)), rng.normal(size=(1,))
    W1, W2 = rng.normal(size=(h, d)), rng.normal(size=(1, h))
    lambd = float(rng.uniform(0.01, 0.5))
    got = student.call("backprop_grads", nd(x), nd(y), nd(W1), nd(W2), lambd)
    if not isinstance(got, (list, tuple)) or len(got) != 3:
        raise AssertionError(f"backprop_grads must return (J, dJ/dW1, dJ/dW2), got {type(got).__name__}")
    z = W1 @ x
    hidden = np.maximum(z, 0)
    err = W2 @ hidden - y
    with checkpoint("J", 1):
        J = (err ** 2).sum() / 2 + lambd / 2 * ((W1 ** 2).sum() + (W2 ** 2).sum())
        assert_close(got[0], float(J), rtol=1e-4, what="J")
    with checkpoint("dJ/dW2", 1):
        assert_close(got[2], np.outer(err, hidden) + lambd * W2, rtol=1e-4, atol=1e-5, what="dJ/dW2")
    with checkpoint("dJ/dW1", 1):
        dz = (W2.T @ err) * (z > 0)
        assert_close(got[1], np.outer(dz, x) + lambd * W1, rtol=1e-4, atol=1e-5, what="dJ/dW1")
