"""Chapter 4, Deep-learning computation: model solutions (same names as the exercises module)."""
from mxnet import autograd, init, nd
from mxnet.gluon import nn

# ---------------------------------------------------------------------------------------------
# 4.1 Model construction
# ---------------------------------------------------------------------------------------------


# Exercise 4.1.1
class MLP(nn.Block):
    """A hidden Dense layer with relu, then an output Dense layer."""

    def __init__(self, num_hiddens, num_outputs, **kwargs):
        super().__init__(**kwargs)
        self.hidden = nn.Dense(num_hiddens, activation="relu")
        self.output = nn.Dense(num_outputs)

    def forward(self, X):
        return self.output(self.hidden(X))


# Exercise 4.1.2
class MySequential(nn.Block):
    """Runs its children in the order they were added."""

    def add(self, block):
        self._children[block.name] = block

    def forward(self, X):
        for block in self._children.values():
            X = block(X)
        return X


# Exercise 4.1.3: the constant matrix and the while loop need a forward of your own.
SEQUENTIAL_CANNOT = "b"

# ---------------------------------------------------------------------------------------------
# 4.2 Access, initialisation and sharing of model parameters
# ---------------------------------------------------------------------------------------------


# Exercise 4.2.1
def param_shapes(in_features, num_hiddens, num_outputs):
    """Gluon stores a Dense weight as (units, in_units), then the bias (units,)."""
    return [(num_hiddens, in_features), (num_hiddens,), (num_outputs, num_hiddens), (num_outputs,)]


# Exercise 4.2.2
def param_count(in_features, widths):
    """Each Dense layer holds in_units * units weights and units biases."""
    count = 0
    for width in widths:
        count += in_features * width + width
        in_features = width
    return count


# Exercise 4.2.3
def initialize_mixed(net, value):
    """Xavier for the first layer's weight, a constant for every other weight (section 4.2.2)."""
    net[0].weight.initialize(init=init.Xavier(), force_reinit=True)
    for index in range(1, len(net)):
        net[index].weight.initialize(init=init.Constant(value), force_reinit=True)


# Exercise 4.2.4
class CutoffUniform(init.Initializer):
    """Uniform on [-bound, bound], with the values smaller than cutoff in absolute value set to zero."""

    def __init__(self, bound, cutoff, **kwargs):
        super().__init__(**kwargs)
        self.bound = bound
        self.cutoff = cutoff

    def _init_weight(self, name, data):
        data[:] = nd.random.uniform(low=-self.bound, high=self.bound, shape=data.shape)
        data *= data.abs() >= self.cutoff


# Exercise 4.2.5
def shared_param_count(in_features, num_hiddens, num_outputs):
    """The shared layer's weight and bias are counted once."""
    first = in_features * num_hiddens + num_hiddens
    shared = num_hiddens * num_hiddens + num_hiddens
    output = num_hiddens * num_outputs + num_outputs
    return first + shared + output


# Exercise 4.2.6
def shared_weight_grad(X, W):
    """Autograd adds the gradients of both uses of the layer into one weight gradient."""
    layer = nn.Dense(W.shape[0], in_units=W.shape[1], use_bias=False)
    layer.initialize()
    layer.weight.set_data(W)
    with autograd.record():
        loss = layer(layer(X)).sum()
    loss.backward()
    return layer.weight.grad()


# ---------------------------------------------------------------------------------------------
# 4.3 Deferred initialisation
# ---------------------------------------------------------------------------------------------


# Exercise 4.3.1
def deferred_shapes(units, in_features):
    """The unknown input size shows as 0 until the first forward pass fills it in."""
    return (units, 0), (units, in_features)


# Exercise 4.3.2: the input size, hence the weight's shape, is unknown until the first forward pass.
DEFERRED_INIT_REASON = "a"

# ---------------------------------------------------------------------------------------------
# 4.4 Custom layers
# ---------------------------------------------------------------------------------------------


# Exercise 4.4.1
class CenteredLayer(nn.Block):
    """Subtracts the mean of all elements."""

    def forward(self, X):
        return X - X.mean()


# Exercise 4.4.2
class MyDense(nn.Block):
    """relu(X . weight + bias) with weight (in_units, units) and bias (units,) of its own."""

    def __init__(self, units, in_units, **kwargs):
        super().__init__(**kwargs)
        self.weight = self.params.get("weight", shape=(in_units, units))
        self.bias = self.params.get("bias", shape=(units,))

    def forward(self, X):
        return nd.relu(nd.dot(X, self.weight.data()) + self.bias.data())


# ---------------------------------------------------------------------------------------------
# 4.5 Reading and storing
# ---------------------------------------------------------------------------------------------


# Exercise 4.5.1
def save_and_load(net, make_net, filename):
    """save_parameters, then load_parameters into a fresh net of the same architecture."""
    net.save_parameters(filename)
    clone = make_net()
    clone.load_parameters(filename)
    return clone


# ---------------------------------------------------------------------------------------------
# 4.6 GPU computing (contexts)
# ---------------------------------------------------------------------------------------------


# Exercise 4.6.1
def sum_on(arrays, ctx):
    """Copy every array to ctx first; the sum is then computed, and lives, there."""
    return nd.add_n(*[array.as_in_context(ctx) for array in arrays])


# Exercise 4.6.2: copyto always copies; as_in_context returns x itself on x's own context.
COPY_SEMANTICS = "b"
