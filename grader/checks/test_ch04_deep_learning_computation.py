"""Checks for exercises/ch04_deep_learning_computation.py: chapter 4, Deep-learning computation."""
import math

import mxnet as mx
import numpy as np
from mxnet.gluon import nn

from grader.checking import assert_answer, assert_close, assert_equal, checkpoint, exercise, nd
from grader.protocol import ContextArg

CHAPTER = "ch04_deep_learning_computation"

# Salted digests of the answer constants: python -m grader.answers <exercise id> '<answer>'.
DIGESTS = {
    "ch04.sequential_cannot":
        "sha256:5d72a5ad59e8e001b7f555195618dc88c1de5d59115a0458f13df40b9f3fc0f2",
    "ch04.deferred_init_reason":
        "sha256:91e45754000754d183df9f03b1278a7f8668b54cdd79b396b75b87737460f3c9",
    "ch04.copy_semantics":
        "sha256:9bc5b9bcf73a379b3cd7ebd5102af040c89cfb008504f04717ce95aff5d3ca59",
}
DEFAULT_INIT_SCALE = 0.07  # net.initialize() without arguments draws weights from Uniform(-0.07, 0.07)


# ---- oracles ---------------------------------------------------------------------------------

def _dense_stack(widths, shared_hidden=False):
    """nn.Sequential of Dense layers of widths, relu on all but the last (not initialised).

    shared_hidden: the book's net of section 4.2.4 instead, whose second and third layers share one
    set of parameters (widths = [hidden, hidden, hidden, outputs]).
    """
    net = nn.Sequential()
    layers = [nn.Dense(width, activation="relu" if i < len(widths) - 1 else None) for i, width in enumerate(widths)]
    if shared_hidden:
        layers[2] = nn.Dense(widths[2], activation="relu", params=layers[1].params)
    net.add(*layers)
    return net


def _param_shapes_after_forward(net, in_features):
    """MXNet oracle: the shapes of net's parameters, in collect_params order, after one forward pass."""
    net.initialize()
    net(mx.nd.zeros((1, in_features)))
    return [param.shape for param in net.collect_params().values()]


def _dense_forward(X, params, relu=True):
    """NumPy oracle: the output of a Dense stack (relu between layers) from its [name, value] parameters.

    relu=False leaves the activations out, to recognise a stack that forgot them.
    """
    if len(params) % 2:
        raise AssertionError(f"expected a weight and a bias per Dense layer, got {len(params)} parameters")
    H = X
    for index in range(0, len(params), 2):
        W, b = np.asarray(params[index][1]), np.asarray(params[index + 1][1])
        if W.ndim != 2 or H.shape[1] != W.shape[1]:
            raise AssertionError(f"parameter {params[index][0]} has shape {W.shape}, which does not take an input "
                                 f"of {H.shape[1]} features: do the layers run in the order they were added?")
        H = H @ W.T + b
        if relu and index + 2 < len(params):
            H = np.maximum(H, 0)
    return H


# ---- plain-data helpers ----------------------------------------------------------------------

def _shape_list(got, what):
    """got as a list of shape tuples, or an AssertionError naming the expected format."""
    if not isinstance(got, (list, tuple)) or not all(isinstance(shape, (list, tuple)) for shape in got):
        raise AssertionError(f"{what}: expected a list of shape tuples, got {got!r}")
    return [tuple(shape) for shape in got]


def _close(got, expected):
    """Whether got has expected's shape and values (within assert_close's tolerances), to tell mistakes apart."""
    try:
        got = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return got.shape == np.shape(expected) and bool(np.allclose(got, expected, rtol=1e-4, atol=1e-4))


def _distinct_sizes(rng, count, low=2, high=30):
    """count different ints in [low, high), so that a transposed shape never looks right."""
    return [int(size) for size in rng.choice(np.arange(low, high), size=count, replace=False)]


# ---- 4.1 model construction ------------------------------------------------------------------

@exercise("ch04.mlp", 3, "In __init__: self.hidden = nn.Dense(num_hiddens, activation='relu') and "
          "self.output = nn.Dense(num_outputs); forward returns self.output(self.hidden(X)).")
def test_mlp(student, rng):
    n, d = int(rng.integers(2, 5)), int(rng.integers(3, 8))
    hidden, outputs = int(rng.integers(4, 10)), int(rng.integers(2, 4))
    X = rng.normal(size=(n, d))
    got = student.probe("forward_with_params", "MLP", hidden, outputs, x=X)
    with checkpoint("output shape", 1):
        assert_equal(np.shape(got["output"]), (n, outputs), what=f"MLP({hidden}, {outputs}) output shape")
    with checkpoint("parameter shapes", 1):
        expected = _param_shapes_after_forward(_dense_stack([hidden, outputs]), d)
        assert_equal([np.shape(value) for _, value in got["params"]], expected,
                     what="shapes of MLP's parameters in collect_params() order")
    with checkpoint("output = output layer of relu(hidden layer), from the net's own parameters", 1):
        expected = _dense_forward(X, got["params"])
        if not _close(got["output"], expected) and _close(got["output"], _dense_forward(X, got["params"], relu=False)):
            raise AssertionError("MLP's output is linear in X: the hidden layer needs activation='relu'")
        assert_close(got["output"], expected, rtol=1e-4, atol=1e-5, what="MLP output")


@exercise("ch04.my_sequential", 3, "add: self._children[block.name] = block; "
          "forward: for block in self._children.values(): X = block(X).")
def test_my_sequential(student, rng):
    in_features, *widths = _distinct_sizes(rng, 4, low=3, high=10)  # a layer run out of order then cannot fit
    X = rng.normal(size=(int(rng.integers(2, 5)), in_features))
    got = student.probe("chain_of_dense", "MySequential", widths, X)
    with checkpoint("collect_params() sees the weight and bias of every added layer", 1):
        if len(got["params"]) != 2 * len(widths):
            raise AssertionError(f"after adding {len(widths)} Dense layers, collect_params() holds "
                                 f"{len(got['params'])} parameters, expected {2 * len(widths)}: "
                                 "register each block as a child (self._children[block.name] = block)")
    with checkpoint("the layers run in the order they were added", 2):
        assert_close(got["output"], _dense_forward(X, got["params"]), rtol=1e-4, atol=1e-5,
                     what="MySequential output")


@exercise("ch04.sequential_cannot", 1, "nn.Sequential only chains layers; which option needs code in forward?")
def test_sequential_cannot(student):
    assert_answer(student.value("SEQUENTIAL_CANNOT"), DIGESTS["ch04.sequential_cannot"], "ch04.sequential_cannot",
                  what="SEQUENTIAL_CANNOT")


# ---- 4.2 parameters --------------------------------------------------------------------------

@exercise("ch04.param_shapes", 2, "Gluon stores a Dense weight as (units, in_units), outputs first; the bias as (units,).")
def test_param_shapes(student, rng):
    in_features, hidden, outputs = _distinct_sizes(rng, 3)
    args = (in_features, hidden, outputs)
    got = _shape_list(student.call("param_shapes", *args), f"param_shapes{args}")
    expected = _param_shapes_after_forward(_dense_stack([hidden, outputs]), in_features)
    assert_equal(got, expected, what=f"param_shapes{args}")


@exercise("ch04.param_count", 2, "A Dense layer from n inputs to m outputs holds n * m weights and m biases.")
def test_param_count(student, rng):
    in_features = int(rng.integers(2, 50))
    widths = [int(width) for width in rng.integers(1, 64, size=int(rng.integers(1, 5)))]
    shapes = _param_shapes_after_forward(_dense_stack(widths), in_features)
    got = student.call("param_count", in_features, widths)
    assert_equal(got, sum(int(np.prod(shape)) for shape in shapes), what=f"param_count({in_features}, {widths})")


@exercise("ch04.initialize_mixed", 3, "Call initialize on each weight parameter itself: init.Xavier() for "
          "net[0].weight, init.Constant(value) for net[i].weight with i >= 1, each with force_reinit=True.")
def test_initialize_mixed(student, rng):
    in_units, widths = int(rng.integers(8, 17)), [int(width) for width in rng.integers(4, 11, size=3)]
    value = round(float(rng.uniform(0.5, 3.0)), 3)
    got = student.probe("reinitialized", "initialize_mixed", value, in_units=in_units, widths=widths)
    before, after = got["before"], got["after"]
    if len(after) != len(before):
        raise AssertionError(f"the net had {len(before)} parameters, after initialize_mixed it has {len(after)}")
    with checkpoint("the first layer's weight gets a fresh Xavier draw", 2):
        weight = np.asarray(after[0][1])
        bound = math.sqrt(6.0 / (in_units + widths[0]))
        largest = float(np.abs(weight).max())
        if largest > bound * (1 + 1e-5):
            raise AssertionError(f"the first layer's weight reaches {largest:.4g}, beyond the Xavier bound "
                                 f"sqrt(6 / (fan_in + fan_out)) = {bound:.4g}")
        if largest < bound / 2 or np.array_equal(weight, before[0][1]):
            raise AssertionError(f"the first layer's weight stays within {largest:.4g}, not spread over the Xavier "
                                 f"range of +-{bound:.4g}: was it re-initialised (force_reinit=True)?")
    with checkpoint("the other layers' weights all equal value, the biases unchanged", 1):
        for index in range(2, len(after), 2):
            assert_close(after[index][1], np.full(np.shape(before[index][1]), value), rtol=1e-6,
                         what=f"weight of layer {index // 2}")
        for index in range(1, len(after), 2):
            assert_close(after[index][1], before[index][1], what=f"bias of layer {index // 2}")


@exercise("ch04.cutoff_uniform", 3, "data[:] = nd.random.uniform(-bound, bound, shape=data.shape), "
          "then data *= data.abs() >= cutoff.")
def test_cutoff_uniform(student, rng):
    bound = round(float(rng.uniform(2.0, 20.0)), 2)
    cutoff = round(bound * float(rng.uniform(0.2, 0.8)), 2)
    units, in_units = int(rng.integers(40, 60)), int(rng.integers(40, 60))
    got = student.probe("initializer_sample", "CutoffUniform", bound, cutoff, units=units, in_units=in_units)
    weight = np.asarray(got["weight"], dtype=np.float64)
    if weight.shape != (units, in_units):
        raise AssertionError(f"the weight has shape {weight.shape}, expected {(units, in_units)}: fill data in place")
    kept = weight[weight != 0]
    with checkpoint("every weight is 0 or between cutoff and bound in absolute value", 1):
        outside = (np.abs(kept) < cutoff * (1 - 1e-6)) | (np.abs(kept) > bound * (1 + 1e-6))
        if outside.any():
            raise AssertionError(f"weight {kept[outside][0]:.4g} is neither 0 nor between cutoff {cutoff} "
                                 f"and bound {bound} in absolute value")
    with checkpoint("a fraction cutoff / bound of the weights is zero", 1):
        share, zeros = cutoff / bound, float((weight == 0).mean())
        if abs(zeros - share) > 5 * math.sqrt(share * (1 - share) / weight.size):
            raise AssertionError(f"{zeros:.3f} of the weights are zero, expected about cutoff / bound = {share:.3f}")
    with checkpoint("the kept weights are uniform, half of them negative", 1):
        if kept.size == 0:
            raise AssertionError("every weight is zero")
        negative = float((kept < 0).mean())
        if abs(negative - 0.5) > 5 * 0.5 / math.sqrt(kept.size):
            raise AssertionError(f"{negative:.3f} of the kept weights are negative, expected about half: "
                                 "draw from [-bound, bound]")
        mean, spread = float(np.abs(kept).mean()), (bound - cutoff) / math.sqrt(12 * kept.size)
        if abs(mean - (bound + cutoff) / 2) > 5 * spread:
            raise AssertionError(f"the kept weights have mean absolute value {mean:.4g}, expected about "
                                 f"(cutoff + bound) / 2 = {(bound + cutoff) / 2:.4g} for uniform draws")


@exercise("ch04.shared_param_count", 2, "A layer built with params=shared.params adds no parameters of its own.")
def test_shared_param_count(student, rng):
    in_features, hidden, outputs = _distinct_sizes(rng, 3)
    shapes = _param_shapes_after_forward(_dense_stack([hidden] * 3 + [outputs], shared_hidden=True), in_features)
    expected = sum(int(np.prod(shape)) for shape in shapes)
    args = (in_features, hidden, outputs)
    got = student.call("shared_param_count", *args)
    if got == expected + hidden * hidden + hidden:
        raise AssertionError(f"shared_param_count{args} = {got}: the shared layer's weight and bias are counted "
                             "twice, but both uses hold one set of parameters")
    assert_equal(got, expected, what=f"shared_param_count{args}")


@exercise("ch04.shared_weight_grad", 3, "Record Y = layer(layer(X)) with autograd and read layer.weight.grad(): "
          "the gradients of both uses add up.")
def test_shared_weight_grad(student, rng):
    n, d = int(rng.integers(2, 6)), int(rng.integers(2, 5))
    X, W = rng.normal(size=(n, d)), rng.normal(size=(d, d))
    got = student.call("shared_weight_grad", nd(X), nd(W))
    ones = np.ones((n, d))
    H = X @ W.T
    second_use = ones.T @ H  # Y = H W^T: dL/dW = (dL/dY)^T H
    first_use = (ones @ W).T @ X  # H = X W^T with dL/dH = dL/dY W: dL/dW = (dL/dH)^T X
    if not _close(got, first_use + second_use) and any(_close(got, one) for one in (first_use, second_use)):
        raise AssertionError("shared_weight_grad returned the gradient of one use of the layer only: a parameter "
                             "used twice gets the sum of both uses' gradients")
    assert_close(got, first_use + second_use, rtol=1e-4, atol=1e-4, what="gradient of Y.sum() with respect to W")


# ---- 4.3 deferred initialisation -------------------------------------------------------------

@exercise("ch04.deferred_shapes", 2, "Print layer.weight.shape (or layer.weight) right after initialize() "
          "and again after the first forward pass.")
def test_deferred_shapes(student, rng):
    units, in_features = _distinct_sizes(rng, 2)
    layer = nn.Dense(units)
    layer.initialize()
    before = layer.weight.shape
    layer(mx.nd.zeros((1, in_features)))
    got = _shape_list(student.call("deferred_shapes", units, in_features), f"deferred_shapes({units}, {in_features})")
    assert_equal(tuple(got), (before, layer.weight.shape), what=f"deferred_shapes({units}, {in_features})")


@exercise("ch04.deferred_init_reason", 1, "What does the weight's shape depend on that nn.Dense(256) was not told?")
def test_deferred_init_reason(student):
    assert_answer(student.value("DEFERRED_INIT_REASON"), DIGESTS["ch04.deferred_init_reason"],
                  "ch04.deferred_init_reason", what="DEFERRED_INIT_REASON")


# ---- 4.4 custom layers -----------------------------------------------------------------------

@exercise("ch04.centered_layer", 1, "return X - X.mean()")
def test_centered_layer(student, rng):
    X = rng.normal(loc=3.0, size=(int(rng.integers(2, 5)), int(rng.integers(2, 6))))
    got = student.probe("forward_with_params", "CenteredLayer", x=X)
    assert_close(got["output"], X - X.mean(), rtol=1e-5, atol=1e-5, what="CenteredLayer output")


@exercise("ch04.my_dense", 3, "self.weight = self.params.get('weight', shape=(in_units, units)), the same for "
          "'bias' with (units,); forward: nd.relu(nd.dot(X, self.weight.data()) + self.bias.data()).")
def test_my_dense(student, rng):
    units, in_units = _distinct_sizes(rng, 2, low=2, high=8)
    X = rng.normal(size=(int(rng.integers(2, 5)), in_units))
    got = student.probe("forward_with_params", "MyDense", units, in_units, x=X)
    params = {name.rsplit("_", 1)[-1]: np.asarray(value) for name, value in got["params"]}
    shapes_right = sorted(params) == ["bias", "weight"] and (params["weight"].shape, params["bias"].shape) == (
        (in_units, units), (units,))
    with checkpoint("parameters named weight (in_units, units) and bias (units,)", 1):
        if not shapes_right:
            found = {name: np.shape(value) for name, value in got["params"]}
            raise AssertionError(f"MyDense({units}, {in_units}) holds parameters {found}, expected a 'weight' of "
                                 f"shape {(in_units, units)} and a 'bias' of shape {(units,)}")
    with checkpoint("output = relu(X . weight + bias), from the layer's own parameters", 2):
        if not shapes_right:
            raise AssertionError("output not checked: the parameters have the wrong names or shapes")
        expected = np.maximum(X @ params["weight"] + params["bias"], 0)
        if not _close(got["output"], expected) and _close(got["output"], np.maximum(X @ params["weight"], 0)):
            raise AssertionError("MyDense's output is relu(X . weight): add the bias before the relu")
        assert_close(got["output"], expected, rtol=1e-4, atol=1e-5, what="MyDense output")


# ---- 4.5 reading and storing -----------------------------------------------------------------

@exercise("ch04.save_and_load", 3, "net.save_parameters(filename); clone = make_net(); "
          "clone.load_parameters(filename); return clone.")
def test_save_and_load(student, rng):
    in_units, widths = int(rng.integers(2, 6)), [int(width) for width in rng.integers(2, 6, size=2)]
    X = rng.normal(size=(3, in_units))
    got = student.probe("save_load_round_trip", "save_and_load", "mlp.params", in_units=in_units, widths=widths,
                        x=X)
    with checkpoint("the file holds the net's parameters", 1):
        if got["saved"] is None:
            raise AssertionError("save_and_load(net, make_net, 'mlp.params') wrote no file named mlp.params")
        expected = _param_shapes_after_forward(_dense_stack(widths), in_units)
        assert_equal(sorted(np.shape(array) for array in got["saved"].values()), sorted(expected),
                     what="shapes of the arrays in mlp.params")
    with checkpoint("the returned net computes what the saved one did, with parameters of its own", 2):
        assert_close(got["loaded"], got["original"], rtol=1e-5, atol=1e-6,
                     what="output of the returned net once the saved net was re-initialised (a net with "
                          "parameters of its own keeps the saved values)")


# ---- 4.6 contexts ----------------------------------------------------------------------------

@exercise("ch04.sum_on", 2, "nd.add_n(*[a.as_in_context(ctx) for a in arrays]): copy to ctx first, then add.")
def test_sum_on(student, rng, ctx):
    shape = tuple(int(size) for size in rng.integers(1, 5, size=2))
    arrays = [rng.normal(size=shape) for _ in range(3)]
    contexts = [ContextArg("cpu:1"), ContextArg("cpu:0"), ContextArg("cpu:1")]
    got = student.probe("across_contexts", "sum_on", arrays, contexts, ctx)
    with checkpoint("the sum", 1):
        assert_close(got["value"], sum(arrays), rtol=1e-5, atol=1e-5, what="sum_on(arrays, ctx)")
    with checkpoint("the sum lives on ctx", 1):
        assert_equal(got["contexts"], [got["requested"]], what="context of the returned NDArray")


@exercise("ch04.copy_semantics", 1, "Try it: compare id(z) with id(x), and print y and z after x[:] = 2.")
def test_copy_semantics(student):
    assert_answer(student.value("COPY_SEMANTICS"), DIGESTS["ch04.copy_semantics"], "ch04.copy_semantics",
                  what="COPY_SEMANTICS")
