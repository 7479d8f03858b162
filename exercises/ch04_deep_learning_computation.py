"""Chapter 4, Deep-learning computation: exercises.

Topics:
- model construction: a custom Block, the book's MySequential, what nn.Sequential cannot express
- parameter access: the shapes and the number of a net's parameters
- initialisation: built-in initialisers for chosen layers, a custom initialiser
- shared parameters: how many there are, and how the gradient of a layer used twice accumulates
- deferred initialisation: parameter shapes before and after the first forward pass, and why
- custom layers: one without parameters, and one with its own weight and bias
- reading and storing: a save and load round trip of a net's parameters
- contexts: summing NDArrays that live on different devices, and what copying does

How to work on these:
- Replace each ``raise NotImplementedError(...)`` with your code, and each ``None`` answer with your answer
  in the format its comment asks for. Leave the names and signatures as they are.
- Use MXNet (``from mxnet import init, nd``, ``from mxnet.gluon import nn``); ``import d2lzh as d2l`` is
  allowed too.
- Check your work with ``python -m grader ch04``.
"""
from mxnet import init, nd  # noqa: F401  (you will need them)
from mxnet.gluon import nn

# ---------------------------------------------------------------------------------------------
# 4.1 Model construction
# ---------------------------------------------------------------------------------------------


# Exercise 4.1.1 (3 points)
class MLP(nn.Block):
    """The book's MLP as a Block subclass: MLP(num_hiddens, num_outputs).

    __init__ creates a hidden layer nn.Dense(num_hiddens, activation="relu") and an output layer
    nn.Dense(num_outputs) as attributes; forward(X) returns output(hidden(X)). MLP(256, 10) maps an
    input of shape (2, 20) to shape (2, 10). The grader checks the output shape, the parameter shapes and
    the output computed from your net's own parameters.
    """

    def __init__(self, num_hiddens, num_outputs, **kwargs):
        super().__init__(**kwargs)
        raise NotImplementedError("Exercise 4.1.1: implement MLP.__init__ and MLP.forward")

    def forward(self, X):
        raise NotImplementedError("Exercise 4.1.1: implement MLP.forward")


# Exercise 4.1.2 (3 points)
class MySequential(nn.Block):
    """The book's MySequential: a container that runs the blocks given to add(), in the order added.

    Register each block as a child of this Block (self._children[block.name] = block, or
    self.register_child(block)), so that initialize() and collect_params() see its parameters.
    net = MySequential(); net.add(nn.Dense(256, activation="relu")); net.add(nn.Dense(10)) then
    behaves like the same layers in an nn.Sequential.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        raise NotImplementedError("Exercise 4.1.2: implement MySequential (keep only super().__init__ here)")

    def add(self, block):
        raise NotImplementedError("Exercise 4.1.2: implement MySequential.add")

    def forward(self, X):
        raise NotImplementedError("Exercise 4.1.2: implement MySequential.forward")


# Exercise 4.1.3 (1 point)
# Which of these forward computations can NOT be built by adding layers to an nn.Sequential, so that
# you have to write your own Block subclass (like the book's FancyMLP)?
#   (a) Dense(256, activation="relu") followed by Dense(10)
#   (b) a Dense layer, then multiplying by a constant random matrix that is never trained, then halving
#       the result in a Python while loop until its norm is at most 1
#   (c) Conv2D, then MaxPool2D, then Dense(10)
# Answer: one letter, "a", "b" or "c".
SEQUENTIAL_CANNOT = None

# ---------------------------------------------------------------------------------------------
# 4.2 Access, initialisation and sharing of model parameters
# ---------------------------------------------------------------------------------------------


# Exercise 4.2.1 (2 points)
def param_shapes(in_features, num_hiddens, num_outputs):
    """Return the shapes of the parameters of a two-layer MLP, as a list of tuples.

    The net: nn.Sequential holding nn.Dense(num_hiddens, activation="relu") and nn.Dense(num_outputs),
    initialised and run once on an input of shape (batch_size, in_features). List the shapes in the order
    net.collect_params() lists the parameters (each layer's weight, then its bias), e.g. [(a, b), (c,), ...].
    Mind how Gluon lays out a Dense layer's weight.
    """
    raise NotImplementedError("Exercise 4.2.1: implement param_shapes")


# Exercise 4.2.2 (2 points)
def param_count(in_features, widths):
    """Return the number of parameters (weights and biases) of a stack of Dense layers, as an int.

    widths lists the layers' output sizes in order; the input has in_features features. A net of
    nn.Dense(3) alone on 4 features has param_count(4, [3]) = 4 * 3 + 3 = 15.
    """
    raise NotImplementedError("Exercise 4.2.2: implement param_count")


# Exercise 4.2.3 (3 points)
def initialize_mixed(net, value):
    """Re-initialise some of net's parameters in place, as the book does in section 4.2.2.

    net is an nn.Sequential of Dense layers that is already initialised and has run once. Give the first
    layer's weight a fresh init.Xavier() initialisation and the weights of every other layer the constant
    value (init.Constant). Leave every bias as it is. Hint: a parameter's initialize() needs
    force_reinit=True once it holds data. Return nothing.
    """
    raise NotImplementedError("Exercise 4.2.3: implement initialize_mixed")


# Exercise 4.2.4 (3 points)
class CutoffUniform(init.Initializer):
    """A custom initialiser, the book's MyInit with its numbers as arguments: CutoffUniform(bound, cutoff).

    _init_weight(self, name, data) fills data in place with values drawn uniformly from [-bound, bound],
    then sets every value whose absolute value is below cutoff to zero. MyInit is CutoffUniform(10, 5).
    Only weights go through _init_weight; biases keep the default (zeros). Pass **kwargs on to
    init.Initializer.__init__.
    """

    def __init__(self, bound, cutoff, **kwargs):
        super().__init__(**kwargs)
        raise NotImplementedError("Exercise 4.2.4: implement CutoffUniform.__init__ and _init_weight")

    def _init_weight(self, name, data):
        raise NotImplementedError("Exercise 4.2.4: implement CutoffUniform._init_weight")


# Exercise 4.2.5 (2 points)
def shared_param_count(in_features, num_hiddens, num_outputs):
    """Return the number of distinct parameters (weights and biases) of the book's net with a shared layer.

    shared = nn.Dense(num_hiddens, activation="relu"); the net is nn.Sequential holding
    nn.Dense(num_hiddens, activation="relu"), shared, nn.Dense(num_hiddens, activation="relu",
    params=shared.params) and nn.Dense(num_outputs), on inputs of in_features features. Count what
    net.collect_params() holds, as an int.
    """
    raise NotImplementedError("Exercise 4.2.5: implement shared_param_count")


# Exercise 4.2.6 (3 points)
def shared_weight_grad(X, W):
    """Return the gradient of Y.sum() with respect to W when one layer is used twice: Y = layer(layer(X)).

    layer is nn.Dense(d, in_units=d, use_bias=False) with weight W (an NDArray (d, d)), so
    layer(X) = nd.dot(X, W.T); X is an NDArray (n, d). Return the gradient as an NDArray (d, d).
    Autograd (or the chain rule) tells you how the contributions of both uses combine.
    """
    raise NotImplementedError("Exercise 4.2.6: implement shared_weight_grad")


# ---------------------------------------------------------------------------------------------
# 4.3 Deferred initialisation
# ---------------------------------------------------------------------------------------------


# Exercise 4.3.1 (2 points)
def deferred_shapes(units, in_features):
    """Return the shape of layer.weight before and after the first forward pass, as a pair of tuples.

    layer = nn.Dense(units); layer.initialize(); then layer(X) with X of shape (batch_size, in_features).
    Return (shape right after initialize(), shape after the forward pass), as MXNet reports them.
    """
    raise NotImplementedError("Exercise 4.3.1: implement deferred_shapes")


# Exercise 4.3.2 (1 point)
# Why does net.initialize() not create the weight of nn.Dense(256) right away?
#   (a) the number of input features was not given (no in_units), so the weight's shape is unknown until
#       the first input flows through the net; MXNet defers creating it until then
#   (b) initialising is expensive, so MXNet waits until the trainer takes its first step
#   (c) Gluon creates fresh weights at every forward pass
# Answer: one letter, "a", "b" or "c".
DEFERRED_INIT_REASON = None

# ---------------------------------------------------------------------------------------------
# 4.4 Custom layers
# ---------------------------------------------------------------------------------------------


# Exercise 4.4.1 (1 point)
class CenteredLayer(nn.Block):
    """The book's layer without parameters: forward(X) returns X minus the mean of all of X's elements."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        raise NotImplementedError("Exercise 4.4.1: implement CenteredLayer (keep only super().__init__ here)")

    def forward(self, X):
        raise NotImplementedError("Exercise 4.4.1: implement CenteredLayer.forward")


# Exercise 4.4.2 (3 points)
class MyDense(nn.Block):
    """The book's fully connected layer with its own parameters: MyDense(units, in_units).

    Create them with self.params.get: "weight" of shape (in_units, units) and "bias" of shape (units,).
    forward(X) returns relu(X . weight + bias) (nd.dot, then nd.relu), reading the values with .data().
    The grader checks the parameter names and shapes and the output computed from them.
    """

    def __init__(self, units, in_units, **kwargs):
        super().__init__(**kwargs)
        raise NotImplementedError("Exercise 4.4.2: implement MyDense.__init__ and MyDense.forward")

    def forward(self, X):
        raise NotImplementedError("Exercise 4.4.2: implement MyDense.forward")


# ---------------------------------------------------------------------------------------------
# 4.5 Reading and storing
# ---------------------------------------------------------------------------------------------


# Exercise 4.5.1 (3 points)
def save_and_load(net, make_net, filename):
    """Save net's parameters to the file filename, load them into a new net, and return the new net.

    net is an initialised Block; make_net() builds a fresh, uninitialised net of the same architecture.
    Use net.save_parameters and load_parameters. The returned net must compute what net computes now,
    with parameters of its own: changing net afterwards must not change it.
    """
    raise NotImplementedError("Exercise 4.5.1: implement save_and_load")


# ---------------------------------------------------------------------------------------------
# 4.6 GPU computing (contexts)
# ---------------------------------------------------------------------------------------------


# Exercise 4.6.1 (2 points)
def sum_on(arrays, ctx):
    """Return the elementwise sum of arrays as an NDArray that lives on the context ctx.

    arrays: a list of NDArrays of one shape, possibly on different contexts (mx.cpu(0), mx.cpu(1),
    mx.gpu(0), ...); each has a .context. MXNet computes where its operands live, so copy them first
    (as_in_context or copyto).
    """
    raise NotImplementedError("Exercise 4.6.1: implement sum_on")


# Exercise 4.6.2 (1 point)
# x = nd.ones(3, ctx=mx.cpu(0)); y = x.copyto(mx.cpu(0)); z = x.as_in_context(mx.cpu(0)); x[:] = 2.
# What do y and z hold now?
#   (a) both still hold ones: copyto and as_in_context always copy
#   (b) y holds ones (copyto always copies), z holds twos (as_in_context returns x itself when x
#       already lives on that context)
#   (c) both hold twos: neither copies within one context
# Answer: one letter, "a", "b" or "c".
COPY_SEMANTICS = None
