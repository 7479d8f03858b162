"""Chapter 8, Computational performance: exercises.

Topics:
- hybrid programming: HybridBlock, hybrid_forward(F, x), net.hybridize() and what it forbids
- asynchronous computation: host syncs (asnumpy, asscalar, print, wait_to_read) in a training loop
- multi-device training: splitting a batch over contexts, the gradient all-reduce, one training step
  from scratch and with Gluon

How to work on these:
- Replace each ``raise NotImplementedError(...)`` with your code, and each ``None`` answer with your answer
  in the format its comment asks for. Leave the names and signatures as they are.
- Use MXNet (``from mxnet import autograd, gluon, nd``, ``from mxnet.gluon import nn``); ``import d2lzh as d2l``
  is allowed too.
- The multi-device exercises get a list of contexts ``ctx``: [mx.cpu(0), mx.cpu(1)] on a CPU (MXNet treats
  them as two devices), every GPU with ``--ctx gpu``. Write them for any number of devices.
- Check your work with ``python -m grader ch08``.
"""
from mxnet import autograd, gluon, nd  # noqa: F401  (you will need them)
from mxnet.gluon import nn

# ---------------------------------------------------------------------------------------------
# 8.1 Hybrid programming
# ---------------------------------------------------------------------------------------------


# Exercise 8.1.1 (2 points)
class HybridMLP(nn.HybridBlock):
    """The book's HybridNet: HybridMLP(num_hidden, num_outputs).

    A Dense(num_hidden, activation="relu") layer followed by a Dense(num_outputs) layer, written as a
    HybridBlock with hybrid_forward(self, F, x), so that net.hybridize() compiles it. On a (4, 20)
    input, HybridMLP(256, 10) outputs (4, 10), before and after net.hybridize(), with the same values.
    """

    def __init__(self, num_hidden, num_outputs, **kwargs):
        super().__init__(**kwargs)
        raise NotImplementedError("Exercise 8.1.1: implement HybridMLP.__init__ and HybridMLP.hybrid_forward")

    def hybrid_forward(self, F, x):
        raise NotImplementedError("Exercise 8.1.1: implement HybridMLP.hybrid_forward")


# Exercise 8.1.2 (3 points)
class HybridPiecewise(nn.HybridBlock):
    """Elementwise x * x where x > 0, and -3 * x elsewhere; it has no parameters.

    The imperative version would test values with a Python ``if``, which a hybridized block cannot do:
    after net.hybridize() hybrid_forward receives Symbols, which have no values yet. Use F's operators
    only (F is mx.nd or mx.sym). [[1, -2]] gives [[1, 6]], before and after net.hybridize().
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        raise NotImplementedError("Exercise 8.1.2: implement HybridPiecewise.hybrid_forward, then delete this line")

    def hybrid_forward(self, F, x):
        raise NotImplementedError("Exercise 8.1.2: implement HybridPiecewise.hybrid_forward")


# Exercise 8.1.3 (1 point)
# Which of these can hybrid_forward(self, F, x) do and still work after net.hybridize()?
#   (a) call x.asnumpy() to look at the values
#   (b) branch with a Python if on x.sum() > 0
#   (c) compute F.where(x > 0, x, -x)
#   (d) run a Python for loop that applies F.relu a fixed number of times, such as 3
#   (e) call nd.relu(x) instead of F.relu(x)
# Answer: a string with every correct letter, e.g. "ab".
HYBRID_ALLOWED = None

# ---------------------------------------------------------------------------------------------
# 8.2 Asynchronous computation
# ---------------------------------------------------------------------------------------------


# Exercise 8.2.1 (4 points)
def train_epoch(net, trainer, loss, batches):
    """Train net for one pass over batches; return the mean loss over all examples as a Python float.

    batches: a list of (X, y) NDArray pairs. For each one: record the forward pass and loss(net(X), y),
    backpropagate, trainer.step(batch size). The mean loss is the sum of every example's loss, each taken
    before its batch's update, divided by the number of examples.
    MXNet computes asynchronously; Python waits for it (a host sync) whenever it reads a value: asnumpy,
    asscalar, float(), print(), wait_to_read. Make at most ONE host sync in the whole epoch: keep the
    running loss sum as an NDArray and read it once at the end.
    """
    raise NotImplementedError("Exercise 8.2.1: implement train_epoch")


# ---------------------------------------------------------------------------------------------
# 8.4 Multi-GPU computation
# ---------------------------------------------------------------------------------------------


# Exercise 8.4.1 (2 points)
def split_sizes(batch_size, num_devices):
    """Return how many examples each device gets from gluon.utils.split_and_load(..., even_split=False).

    A list of num_devices ints that adds up to batch_size, in device order. Example: 4 examples over 2
    devices give [2, 2]. Work out the rule for uneven batches from the documentation or by trying a few
    (including a batch smaller than the number of devices).
    """
    raise NotImplementedError("Exercise 8.4.1: implement split_sizes")


# Exercise 8.4.2 (3 points)
def split_and_load(data, ctx):
    """Split data along its first axis into len(ctx) consecutive parts; copy part i to ctx[i].

    data: an NDArray (batch, ...); ctx: a list of contexts. Returns the list of parts, sized as
    split_sizes(batch, len(ctx)) says (uneven batches allowed), each one living on its device. This is the
    book's split_and_load from scratch: do not call gluon.utils.split_and_load.
    """
    raise NotImplementedError("Exercise 8.4.2: implement split_and_load")


# Exercise 8.4.3 (3 points)
def allreduce(data):
    """Sum a list of same-shape NDArrays living on different devices; write the sum into every one of them.

    In place: afterwards data[i] holds the sum and still lives on its own device. Copy an array to another
    device with x.copyto(ctx); write into an array with x[:] = ... . Returns nothing.
    """
    raise NotImplementedError("Exercise 8.4.3: implement allreduce")


# Exercise 8.4.4 (4 points)
def train_batch(X, y, device_params, ctx, lr):
    """One step of multi-device training of linear regression, from scratch.

    X: NDArray (n, d); y: NDArray (n,); ctx: a list of contexts; device_params[i] = [w, b] on ctx[i]
    (w of shape (d, 1), b of shape (1,)), replicas of the same values with gradients attached.
    Split X and y over the devices (your split_and_load). On each device, record the squared loss
    (y_hat - y) ** 2 / 2 of the model y_hat = nd.dot(X, w) + b for its part, and backpropagate it.
    Then all-reduce each parameter's gradient over the devices (your allreduce), and update every replica
    in place with minibatch SGD: param[:] = param - lr * param.grad / n, n being the WHOLE batch size.
    The replicas stay equal, and equal to one SGD step on the whole batch on one device. Returns nothing.
    """
    raise NotImplementedError("Exercise 8.4.4: implement train_batch")


# ---------------------------------------------------------------------------------------------
# 8.5 Multi-GPU computation, the concise way
# ---------------------------------------------------------------------------------------------


# Exercise 8.5.1 (3 points)
def train_step_multi(net, trainer, loss, X, y, ctx):
    """One step of multi-device training with Gluon.

    net is initialised on every context of ctx; trainer updates its parameters; X, y: one batch whose size
    may not be a multiple of len(ctx). Split X and y with gluon.utils.split_and_load (allowing uneven
    parts), record loss(net(X_part), y_part) on each device, backpropagate each, and take one
    trainer.step with the right batch size, so the step equals one step on the whole batch. Returns nothing.
    """
    raise NotImplementedError("Exercise 8.5.1: implement train_step_multi")
