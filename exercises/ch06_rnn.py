"""Chapter 6, Recurrent neural networks: exercises.

How to work on these:
- Replace each ``raise NotImplementedError(...)`` with your code, and each ``None`` answer with your answer
  in the format its comment asks for. Leave the names and signatures as they are.
- Use MXNet (``from mxnet import nd``); ``import d2lzh as d2l`` is allowed too.
- Check your work with ``python -m grader ch06`` (add ``--ctx gpu`` to run on a GPU).
"""
from mxnet import nd  # noqa: F401  (you will need it)

# ---------------------------------------------------------------------------------------------
# 6.3 Language model data sets (lyrics)
# ---------------------------------------------------------------------------------------------


# Exercise 6.3.1 (3 points)
def data_iter_consecutive(corpus_indices, batch_size, num_steps, ctx=None):
    """Yield (X, Y) minibatches by consecutive sampling, as the book does. This is a generator.

    corpus_indices: a list of ints. Cut the corpus into batch_size equal rows (drop the remainder), so
    row r is the r-th consecutive stretch of the corpus; then walk along the rows num_steps columns at a
    time. X: NDArray (batch_size, num_steps) on ctx; Y: X shifted one step ahead. Stop when a full Y no
    longer fits. Example: list(range(30)), batch_size 2, num_steps 6 gives two batches, the first being
    X = [[0..5], [15..20]], Y = [[1..6], [16..21]].
    """
    raise NotImplementedError("Exercise 6.3.1: implement data_iter_consecutive")


# ---------------------------------------------------------------------------------------------
# 6.4 Implementation of a recurrent neural network from scratch
# ---------------------------------------------------------------------------------------------


# Exercise 6.4.1 (2 points)
def to_onehot(X, size):
    """Return a list of one-hot NDArrays, one per time step.

    X: NDArray (batch_size, num_steps) of token indices; size: the vocabulary size.
    Returns num_steps NDArrays, each (batch_size, size). Hint: nd.one_hot.
    """
    raise NotImplementedError("Exercise 6.4.1: implement to_onehot")


# Exercise 6.4.2 (3 points)
def grad_clipping(params, theta, ctx):
    """Clip gradients in place: if their global norm ||g|| exceeds theta, multiply each by theta / ||g||.

    params: list of NDArrays with attached gradients (on ctx); theta: float; ctx: their mx.Context.
    ||g|| is the L2 norm of all gradient elements of all params together. Returns nothing: write into
    param.grad (param.grad[:] = ...). Gradients [3, 0] and [[4]] with theta = 1 become [0.6, 0] and [[0.8]].
    """
    raise NotImplementedError("Exercise 6.4.2: implement grad_clipping")


# Exercise 6.4.3 (2 points)
# Perplexity is exp of the average cross-entropy loss. What is the perplexity of
#   1. a model that predicts every one of 1027 characters with probability 1/1027,
#   2. a model that gives the true next character the probabilities 0.5, 0.25 and 1.0 on three steps,
#   3. a perfect model (probability 1 for every true character)?
# Answer: a tuple of three floats; 4 decimals are enough.
PERPLEXITIES = None

# Exercise 6.4.4 (1 point)
# With consecutive sampling, the book detaches the hidden state (s.detach()) before each minibatch. Why?
#   (a) so that gradients do not flow back through all earlier minibatches, whose cost would keep growing
#   (b) to reset the hidden state to zero
#   (c) because SGD requires all inputs to be detached
# Answer: one letter, "a", "b" or "c".
DETACH_REASON = None

# ---------------------------------------------------------------------------------------------
# 6.5 Concise implementation of recurrent neural networks
# ---------------------------------------------------------------------------------------------

# Exercise 6.5.1 (2 points)
# How many parameters do the Gluon layers rnn.RNN(256), rnn.GRU(256) and rnn.LSTM(256) have for inputs
# of size 1027 (one-hot characters)? Count the layer only, not an output Dense layer. Note that Gluon
# keeps two bias vectors per gate (one for the input, one for the hidden state).
# Answer: a tuple of three ints (RNN, GRU, LSTM).
GLUON_RNN_PARAM_COUNTS = None
