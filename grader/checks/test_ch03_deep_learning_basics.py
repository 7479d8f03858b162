"""Checks for exercises/ch03_deep_learning_basics.py: chapter 3, Deep-learning basics."""

import mxnet as mx
import numpy as np
from mxnet import autograd, gluon
from mxnet.gluon import nn

from d2lzh.data.fashion_mnist import read_split, to_tensor
from d2lzh.data.synthetic import write_fashion_mnist
from grader.checking import assert_answer, assert_close, assert_equal, checkpoint, exercise, is_mistake, nd

CHAPTER = "ch03_deep_learning_basics"

# Salted digests of the answer constants: python -m grader.answers <exercise id> '<answer>'.
DIGESTS = {
    "ch03.dense_shapes":
        "sha256:8524167c7dd20d210f9f7020d1d160884fffbd5174a94c95fee3819f213f5e82",
    "ch03.trainer_step_arg":
        "sha256:0cc0c446459b0f5cccfc8706b9a8ad03edf181596fc032425e1f7822dfcf84a0",
    "ch03.mlp_weight_count":
        "sha256:ba2a938f8fecdeaf6a5a1ed401d76109fa09b05443c1602528db5dd2b60fe025",
    "ch03.fashion_mnist_facts.sizes":
        "sha256:9514c8e5b9a2727b7c83a127122df52cc1576c874c7b072a7905fbaa827480ff",
    "ch03.fashion_mnist_facts.sample":
        "sha256:1d5bd74644e71fc563e8dee6be438e752800142c95fb270af6c2f5f053efff29",
    "ch03.fit_diagnosis.diagnosis":
        "sha256:f6fc1c69bc5f6c7b4205524663cd6164d791e60f08fa1cc3e3b5d9afdf74c783",
    "ch03.fit_diagnosis.remedies":
        "sha256:f61252a91b9a40508ef1d68cccadf65a72685e2afd8166104dd10b78d1105f97",
    "ch03.zero_init.mlp":
        "sha256:fee193eab7c46331c3f8dffdda9add1ad96a7d93599e124b4c15720221a39ace",
    "ch03.zero_init.softmax":
        "sha256:b2d498b6b276e7d77922de0cb01389e275ffdde06e1022449d0d3b8abbda14cc",
}

# The Fashion-MNIST stand-in train_mlp learns from, and the held-out accuracy it must reach.
MLP_TRAIN_EXAMPLES, MLP_TEST_EXAMPLES = 3000, 500
MLP_EPOCHS, MLP_LR, MLP_BATCH_SIZE = 10, 0.05, 64
MLP_MIN_ACCURACY = 0.7


def _softmax_rows(X):
    """NumPy oracle: row-wise softmax."""
    exp = np.exp(X - X.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def _dense_param_count(num_inputs, widths):
    """Parameters of Dense layers of the given widths on num_inputs features, by symbolic shape inference."""
    net = nn.HybridSequential()
    for width in widths:
        net.add(nn.Dense(int(width)))
    output = net(mx.sym.var("data"))
    arg_shapes, _, _ = output.infer_shape(data=(1, int(num_inputs)))
    return sum(int(np.prod(shape)) for name, shape in zip(output.list_arguments(), arg_shapes) if name != "data")


def _derivative(activation, X):
    """The elementwise derivative of an MXNet activation at X, by autograd."""
    x = mx.nd.array(X)
    x.attach_grad()
    with autograd.record():
        y = activation(x)
    y.backward()
    return x.grad.asnumpy()


def _tuple_of(got, count, what):
    """got as a tuple of count items, or an AssertionError naming the expected format."""
    if not isinstance(got, (list, tuple)) or len(got) != count:
        raise AssertionError(f"{what}: expected a tuple of {count} items, got {got!r}")
    return tuple(got)


def _letters(got, what):
    """A string answer of option letters, lower-cased, sorted and without separators."""
    if not isinstance(got, str):
        raise AssertionError(f'{what}: expected a string of letters such as "ab", got {got!r}')
    return "".join(sorted(set(got.lower()) - set(", ")))


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


@exercise("ch03.least_squares", 3,
          "Solve for theta = (w, b) with a column of ones appended to X: np.linalg.lstsq(A, y).")
def test_least_squares(student, rng):
    n, d = int(rng.integers(20, 40)), int(rng.integers(2, 5))
    X = rng.normal(size=(n, d)).astype(np.float32)
    bias = rng.choice([-1.0, 1.0]) * rng.uniform(1.0, 4.0)
    y = (X @ rng.normal(size=d) + bias + rng.normal(scale=0.5, size=n)).astype(np.float32)
    A = np.hstack([X, np.ones((n, 1), dtype=np.float32)]).astype(np.float64)
    theta = np.linalg.lstsq(A, y.astype(np.float64), rcond=None)[0]
    w, b = _tuple_of(student.call("least_squares", nd(X), nd(y)), 2, "least_squares(X, y)")
    with checkpoint("w", 2):
        assert_close(w, theta[:-1].reshape((d, 1)), rtol=1e-3, atol=1e-3, what="w")
    with checkpoint("b", 1):
        if is_mistake(b, theta[-1:], np.zeros(1), atol=1e-6):
            raise AssertionError("b is 0: append a column of ones to X so that the bias is fitted too")
        assert_close(b, theta[-1:], rtol=1e-3, atol=1e-3, what="b")


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


@exercise("ch03.batch_sizes", 2,
          "num_examples // batch_size full batches, then the remainder as one short batch unless discarded.")
def test_batch_sizes(student, rng):
    batch_size = int(rng.integers(3, 17))
    num_examples = batch_size * int(rng.integers(2, 12)) + int(rng.integers(1, batch_size))
    dataset = gluon.data.ArrayDataset(np.arange(num_examples))
    for points, last_batch in ((1, "keep"), (1, "discard")):
        with checkpoint(f'last_batch="{last_batch}"', points):
            loader = gluon.data.DataLoader(dataset, batch_size, last_batch=last_batch)
            expected = [len(batch) for batch in loader]
            got = student.call("batch_sizes", num_examples, batch_size, last_batch)
            assert_equal(list(got) if isinstance(got, tuple) else got, expected,
                         what=f'batch_sizes({num_examples}, {batch_size}, "{last_batch}")')


@exercise("ch03.trainer_step_arg", 1,
          "Read help(gluon.Trainer.step): what does its batch_size argument do to the gradients?")
def test_trainer_step_arg(student):
    assert_answer(student.value("TRAINER_STEP_ARG"), DIGESTS["ch03.trainer_step_arg"],
                  "ch03.trainer_step_arg", what="TRAINER_STEP_ARG")


@exercise("ch03.huber_loss", 2,
          "a = y_hat - y.reshape(y_hat.shape); nd.where(nd.abs(a) < rho, 0.5 / rho * a ** 2, nd.abs(a) - 0.5 * rho).")
def test_huber_loss(student, rng):
    n, rho = int(rng.integers(6, 11)), float(rng.uniform(0.5, 2.0))
    errors = rng.uniform(-3 * rho, 3 * rho, size=n)
    errors[:2] = (0.5 * rho, -2 * rho)  # both pieces of the loss
    y_hat = rng.normal(size=(n, 1))
    y = y_hat[:, 0] - errors
    got = student.call("huber_loss", nd(y_hat), nd(y), rho)
    expected = gluon.loss.HuberLoss(rho=rho)(mx.nd.array(y_hat), mx.nd.array(y)).asnumpy()
    with checkpoint("shape (n,)", 1):
        if np.shape(got) != expected.shape:
            raise AssertionError(f"huber_loss(y_hat, y) has shape {np.shape(got)}, expected {expected.shape}")
    with checkpoint("values", 1):
        assert_close(np.reshape(got, -1), expected, rtol=1e-5, atol=1e-6, what=f"huber_loss(y_hat, y, rho={rho:.3f})")


@exercise("ch03.softmax_param_count", 2, "One weight per input pixel and class, plus one bias per class.")
def test_softmax_param_count(student, rng):
    for _ in range(3):
        height, width, num_classes = (int(n) for n in rng.integers(2, 64, size=3))
        got = student.call("softmax_param_count", height, width, num_classes)
        assert_equal(got, _dense_param_count(height * width, [num_classes]),
                     what=f"softmax_param_count({height}, {width}, {num_classes})")


@exercise("ch03.fashion_mnist_facts", 2,
          "Print len(mnist_train), len(mnist_test), and mnist_train[0][0].shape and .dtype, as in section 3.5.")
def test_fashion_mnist_facts(student):
    with checkpoint("sizes", 1):
        got = _tuple_of(student.value("FASHION_MNIST_SIZES"), 3, "FASHION_MNIST_SIZES")
        assert_answer(got, DIGESTS["ch03.fashion_mnist_facts.sizes"], "ch03.fashion_mnist_facts.sizes",
                      what="FASHION_MNIST_SIZES")
    with checkpoint("one raw image", 1):
        shape, dtype = _tuple_of(student.value("FASHION_MNIST_SAMPLE"), 2, "FASHION_MNIST_SAMPLE")
        if not isinstance(dtype, str):
            raise AssertionError(f"FASHION_MNIST_SAMPLE: give the dtype as a string such as 'float64', got {dtype!r}")
        assert_answer((shape, dtype), DIGESTS["ch03.fashion_mnist_facts.sample"], "ch03.fashion_mnist_facts.sample",
                      what="FASHION_MNIST_SAMPLE")


@exercise("ch03.to_tensor", 2,
          "images.astype('float32').transpose((0, 3, 1, 2)) / 255: move the channel axis, then scale.")
def test_to_tensor(student, rng):
    n, height, width, channels = 2, int(rng.integers(3, 7)), int(rng.integers(3, 7)), int(rng.integers(2, 4))
    images = rng.integers(0, 256, size=(n, height, width, channels)).astype(np.uint8)
    expected = mx.nd.image.to_tensor(mx.nd.array(images, dtype="uint8")).asnumpy()
    got = student.call("to_tensor", nd(images, dtype="uint8"))
    with checkpoint("layout (n, c, h, w), float32", 1):
        if np.shape(got) != expected.shape:
            raise AssertionError(f"to_tensor(images {images.shape}) has shape {np.shape(got)}, "
                                 f"expected {expected.shape}")
        if np.asarray(got).dtype != expected.dtype:
            raise AssertionError(f"to_tensor gave dtype {np.asarray(got).dtype}, expected {expected.dtype}")
    with checkpoint("values", 1):
        reshaped = (images / 255.0).reshape(expected.shape)  # the same memory order, relabelled
        if is_mistake(got, expected, reshaped, atol=1e-6):
            raise AssertionError("to_tensor scrambles the pixels: a reshape keeps the memory order; "
                                 "move the channel axis with transpose")
        if is_mistake(got, expected, expected * 255, atol=1e-3):
            raise AssertionError("to_tensor keeps values in 0..255: divide by 255")
        assert_close(got, expected, rtol=1e-5, atol=1e-6, what="to_tensor(images)")


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


@exercise("ch03.evaluate_accuracy", 2,
          "Sum (net(X).argmax(axis=1) == y).sum() and y.size over all batches; divide once at the end.")
def test_evaluate_accuracy(student, rng):
    dim, num_classes, batch_size = 4, int(rng.integers(3, 6)), int(rng.integers(6, 11))
    sizes = [batch_size] * int(rng.integers(3, 6)) + [int(rng.integers(1, batch_size // 2))]
    weight = rng.normal(size=(dim, num_classes)).astype(np.float32)
    batches, correct = [], []
    for size in sizes:
        X = rng.normal(size=(size, dim)).astype(np.float32)
        predicted = mx.nd.dot(mx.nd.array(X), mx.nd.array(weight)).argmax(axis=1).asnumpy()
        y = predicted.copy()
        if size == batch_size:  # full batches are about half right, the short last batch all right
            wrong = rng.random(size) < 0.5
            y[wrong] = (y[wrong] + rng.integers(1, num_classes, size=int(wrong.sum()))) % num_classes
        batches.append((X, y))
        correct.append(float((predicted == y).sum()))
    got = np.reshape(student.probe("evaluate_with", "evaluate_accuracy", batches, weight), -1)
    expected = [sum(correct) / sum(sizes)]
    if is_mistake(got, expected, [np.mean(np.divide(correct, sizes))], rtol=1e-6, atol=1e-9):
        raise AssertionError("evaluate_accuracy gave the mean of the per-batch accuracies, but the last batch is "
                             "shorter: count correct predictions and examples over all batches")
    assert_close(got, expected, rtol=1e-6, what=f"evaluate_accuracy over batches of sizes {sizes} (one number)")


@exercise("ch03.mlp_weight_count", 2, "Count the input-to-hidden and the hidden-to-output weight matrices.")
def test_mlp_weight_count(student):
    assert_answer(student.value("MLP_WEIGHT_COUNT"), DIGESTS["ch03.mlp_weight_count"],
                  "ch03.mlp_weight_count", what="MLP_WEIGHT_COUNT")


@exercise("ch03.mlp_param_count", 2, "Each layer from m to n units has m * n weights and n biases.")
def test_mlp_param_count(student, rng):
    for hidden_count in (0, 1, int(rng.integers(2, 4))):
        num_inputs, num_outputs = int(rng.integers(2, 1000)), int(rng.integers(2, 20))
        hidden = [int(n) for n in rng.integers(2, 300, size=hidden_count)]
        got = student.call("mlp_param_count", num_inputs, hidden, num_outputs)
        assert_equal(got, _dense_param_count(num_inputs, hidden + [num_outputs]),
                     what=f"mlp_param_count({num_inputs}, {hidden}, {num_outputs})")


@exercise("ch03.sigmoid_tanh", 2, "1 / (1 + nd.exp(-X)); tanh from e = nd.exp(-2 * X) as (1 - e) / (1 + e).")
def test_sigmoid_tanh(student, rng):
    X = rng.uniform(-5.0, 5.0, size=(3, int(rng.integers(3, 7))))
    with checkpoint("sigmoid", 1):
        expected = mx.nd.sigmoid(mx.nd.array(X)).asnumpy()
        assert_close(student.call("sigmoid", nd(X)), expected, rtol=1e-5, atol=1e-6, what="sigmoid(X)")
    with checkpoint("tanh", 1):
        expected = mx.nd.tanh(mx.nd.array(X)).asnumpy()
        assert_close(student.call("tanh", nd(X)), expected, rtol=1e-5, atol=1e-6, what="tanh(X)")


@exercise("ch03.activation_grads", 2,
          "Write each derivative with the function itself: s(x) * (1 - s(x)) for the sigmoid; tanh is similar.")
def test_activation_grads(student, rng):
    X = rng.uniform(-4.0, 4.0, size=(3, int(rng.integers(3, 7))))
    with checkpoint("sigmoid_grad", 1):
        assert_close(student.call("sigmoid_grad", nd(X)), _derivative(mx.nd.sigmoid, X), rtol=1e-4, atol=1e-6,
                     what="sigmoid_grad(X)")
    with checkpoint("tanh_grad", 1):
        assert_close(student.call("tanh_grad", nd(X)), _derivative(mx.nd.tanh, X), rtol=1e-4, atol=1e-6,
                     what="tanh_grad(X)")


@exercise("ch03.relu", 1, "nd.maximum(X, 0).")
def test_relu(student, rng):
    X = rng.normal(size=(3, int(rng.integers(2, 6))))
    assert_close(student.call("relu", nd(X)), np.maximum(X, 0), rtol=1e-6, what="relu(X)")


@exercise("ch03.mlp_net", 2,
          "net = nn.Sequential(); net.add(nn.Dense(num_hidden, activation='relu'), nn.Dense(num_outputs)).")
def test_mlp_net(student, rng):
    num_hidden, num_outputs = int(rng.integers(8, 65)), int(rng.integers(3, 13))
    with checkpoint("output shape and parameter count", 1):
        got = student.probe("forward_summary", "mlp_net", num_hidden, num_outputs, input_shape=(2, 1, 28, 28))
        assert_equal(tuple(got["output_shape"]), (2, num_outputs), what="output shape for 2 images")
        assert_equal(got["param_count"], _dense_param_count(28 * 28, [num_hidden, num_outputs]),
                     what=f"parameter count of mlp_net({num_hidden}, {num_outputs})")
    with checkpoint("ReLU in the hidden layer", 1):
        image = rng.uniform(0.0, 1.0, size=(1, 28, 28))
        x = np.stack([image, -image, 2 * image, np.zeros_like(image)])
        out = np.asarray(student.probe("outputs_after_init", "mlp_net", num_hidden, num_outputs, x=x), np.float64)
        scale = np.abs(out).max() + 1e-12
        if np.abs(out[0] + out[1] - 2 * out[3]).max() < 1e-4 * scale:
            raise AssertionError("mlp_net computes an affine (or odd) function of its input: "
                                 "give the hidden layer activation='relu'")
        if np.abs(out[2] - out[3] - 2 * (out[0] - out[3])).max() > 1e-3 * scale:
            raise AssertionError("the hidden activation of mlp_net is not ReLU (doubling the input does not "
                                 "double the output of a fresh net)")


@exercise("ch03.train_mlp", 4,
          "Initialise on ctx, move every batch to ctx, record the summed loss, backward, trainer.step(batch size).",
          slow=True)
def test_train_mlp(student, rng, ctx, shared_folder):
    write_fashion_mnist(shared_folder, MLP_TRAIN_EXAMPLES, MLP_TEST_EXAMPLES, seed=int(rng.integers(1 << 31)))
    images, labels = read_split(shared_folder, "test")
    got = student.probe("trained_predictions", "train_mlp", shared_folder, MLP_EPOCHS, MLP_LR, MLP_BATCH_SIZE,
                        images=to_tensor(images), ctx=ctx)
    with checkpoint("parameters live on ctx", 1):
        assert_equal(got["contexts"], [got["requested"]], what="contexts of the net's parameters")
    with checkpoint(f"held-out accuracy at least {MLP_MIN_ACCURACY}", 3):
        predictions = np.reshape(got["predictions"], -1)
        if predictions.shape != labels.shape:
            raise AssertionError(f"expected one prediction per test image ({labels.size}), got {predictions.size}")
        accuracy = float((predictions == labels).mean())
        if accuracy < MLP_MIN_ACCURACY:
            raise AssertionError(f"held-out accuracy {accuracy:.3f} is below {MLP_MIN_ACCURACY} after {MLP_EPOCHS} "
                                 f"epochs with lr {MLP_LR} (chance is 0.1)")


@exercise("ch03.poly_features", 2, "nd.concat(x, x ** 2, ..., dim=1), or nd.power with a (1, degree) exponent row.")
def test_poly_features(student, rng):
    degree = int(rng.integers(2, 6))
    x = rng.uniform(-2.0, 2.0, size=(int(rng.integers(3, 7)), 1))
    got = student.call("poly_features", nd(x), degree)
    expected = np.hstack([x ** power for power in range(1, degree + 1)])
    assert_close(got, expected, rtol=1e-5, atol=1e-5, what=f"poly_features(x, {degree})")


@exercise("ch03.fit_diagnosis", 2,
          "Underfitting: both errors high. Overfitting: low training error, much higher test error.")
def test_fit_diagnosis(student):
    with checkpoint("which model underfits, which overfits", 1):
        got = _tuple_of(student.value("FIT_DIAGNOSIS"), 2, "FIT_DIAGNOSIS")
        got = tuple(letter.lower() if isinstance(letter, str) else letter for letter in got)
        assert_answer(got, DIGESTS["ch03.fit_diagnosis.diagnosis"], "ch03.fit_diagnosis.diagnosis",
                      what="FIT_DIAGNOSIS")
    with checkpoint("what helps against overfitting", 1):
        letters = _letters(student.value("OVERFIT_REMEDIES"), "OVERFIT_REMEDIES")
        assert_answer(letters, DIGESTS["ch03.fit_diagnosis.remedies"], "ch03.fit_diagnosis.remedies",
                      what=f"OVERFIT_REMEDIES (as {letters!r})")


@exercise("ch03.l2_penalty", 1, "(w ** 2).sum() / 2.")
def test_l2_penalty(student, rng):
    w = rng.normal(size=(int(rng.integers(2, 6)), 1))
    got = student.call("l2_penalty", nd(w))
    assert_close(np.reshape(got, -1), [(w ** 2).sum() / 2], rtol=1e-5, what="l2_penalty(w) (one number)")


@exercise("ch03.weight_decay_step", 1,
          "The penalty wd / 2 * ||w||^2 adds wd * w to the gradient: w - lr * (grad + wd * w).")
def test_weight_decay_step(student, rng):
    w = rng.normal(size=(int(rng.integers(2, 6)),))
    grad = rng.normal(size=w.shape)
    lr, wd = float(rng.uniform(0.05, 0.5)), float(rng.uniform(0.05, 0.5))
    weight = gluon.Parameter("w", shape=w.shape, init=mx.init.Constant(mx.nd.array(w)))
    weight.initialize()
    trainer = gluon.Trainer([weight], "sgd", {"learning_rate": lr, "wd": wd})
    with autograd.record():
        loss = (mx.nd.array(grad) * weight.data()).sum()  # its gradient is grad
    loss.backward()
    trainer.step(1)
    expected = weight.data().asnumpy()
    got = student.call("weight_decay_step", nd(w), nd(grad), lr, wd)
    if is_mistake(got, expected, w - lr * grad - wd * w):
        raise AssertionError("weight_decay_step subtracts wd * w without the learning rate: the decay is part "
                             "of the gradient, so it is scaled by lr too")
    assert_close(got, expected, rtol=1e-4, atol=1e-5, what=f"weight_decay_step(w, grad, {lr:.3f}, {wd:.3f})")


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


@exercise("ch03.zero_init", 2,
          "Compare the gradients two hidden units get when their weights are equal; "
          "softmax regression has no hidden units.")
def test_zero_init(student):
    with checkpoint("an MLP started at zero", 1):
        got = student.value("ZERO_INIT_MLP")
        assert_answer(_letters(got, "ZERO_INIT_MLP"), DIGESTS["ch03.zero_init.mlp"], "ch03.zero_init.mlp",
                      what="ZERO_INIT_MLP")
    with checkpoint("softmax regression started at zero", 1):
        got = student.value("ZERO_INIT_SOFTMAX")
        if not isinstance(got, bool):
            raise AssertionError(f"ZERO_INIT_SOFTMAX: expected True or False, got {got!r}")
        assert_answer(got, DIGESTS["ch03.zero_init.softmax"], "ch03.zero_init.softmax", what="ZERO_INIT_SOFTMAX")


@exercise("ch03.get_k_fold_data", 3,
          "fold_size = n // k; fold j is rows j * fold_size to (j + 1) * fold_size; "
          "concatenate the others with nd.concat.")
def test_get_k_fold_data(student, rng):
    k = int(rng.integers(3, 6))
    n = k * int(rng.integers(2, 6)) + int(rng.integers(1, k))
    i = int(rng.integers(0, k))
    y = rng.permutation(n).astype(np.float64)
    X = np.stack([y, 100 + y], axis=1)
    got = _tuple_of(student.call("get_k_fold_data", k, i, nd(X), nd(y)), 4, f"get_k_fold_data({k}, {i}, X, y)")
    fold_size = n // k
    folds = [slice(j * fold_size, (j + 1) * fold_size) for j in range(k)]
    train = np.concatenate([np.arange(n)[fold] for j, fold in enumerate(folds) if j != i])
    with checkpoint("validation fold", 1):
        assert_close(got[3], y[folds[i]], what=f"y_valid for fold {i} of {k} ({n} rows)")
        assert_close(got[2], X[folds[i]], what="X_valid")
    with checkpoint("training folds", 2):
        assert_close(got[1], y[train], what=f"y_train for fold {i} of {k} ({n} rows)")
        assert_close(got[0], X[train], what="X_train")
