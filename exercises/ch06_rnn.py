"""Chapter 6, Recurrent neural networks: exercises.

Topics: random and consecutive sampling of (X, Y) windows; one-hot inputs; a tanh RNN from scratch;
gradient clipping; perplexity; detaching the hidden state (how and why); parameter counts of Gluon's
rnn.RNN, rnn.GRU and rnn.LSTM (several layers, bidirectional); GRU and LSTM steps from scratch in
Gluon's gate order and weight layout; training a character-level language model to a perplexity.

How to work on these:
- Replace each ``raise NotImplementedError(...)`` with your code, and each ``None`` answer with your answer
  in the format its comment asks for. Leave the names and signatures as they are.
- Use MXNet (``from mxnet import nd``); ``import d2lzh as d2l`` is allowed too.
- Check your work with ``python -m grader ch06`` (add ``--ctx gpu`` to run on a GPU). The training
  exercise (6.5.2) is slow: it is graded only with ``python -m grader ch06 --slow``.
"""
from mxnet import nd  # noqa: F401  (you will need it)

# ---------------------------------------------------------------------------------------------
# 6.3 Language model data sets (lyrics)
# ---------------------------------------------------------------------------------------------


# Exercise 6.3.1 (3 points)
def data_iter_random(corpus_indices, batch_size, num_steps, ctx=None):
    """Yield (X, Y) minibatches by random sampling, as the book does. This is a generator.

    corpus_indices: a list of ints. Cut the corpus into non-overlapping windows of num_steps indices
    starting at 0, num_steps, 2 * num_steps, ... keeping only the windows whose Y (the window shifted
    one step ahead) still fits: (len(corpus_indices) - 1) // num_steps of them. Shuffle the windows
    (random.shuffle) and hand them out batch_size at a time; a last incomplete batch is dropped.
    X, Y: NDArrays (batch_size, num_steps) on ctx. Example: list(range(30)), batch_size 2, num_steps 6
    has the 4 windows starting at 0, 6, 12 and 18, so 2 batches; one might be
    X = [[12..17], [0..5]], Y = [[13..18], [1..6]].
    """
    raise NotImplementedError("Exercise 6.3.1: implement data_iter_random")


# Exercise 6.3.2 (3 points)
def data_iter_consecutive(corpus_indices, batch_size, num_steps, ctx=None):
    """Yield (X, Y) minibatches by consecutive sampling, as the book does. This is a generator.

    corpus_indices: a list of ints. Cut the corpus into batch_size equal rows (drop the remainder), so
    row r is the r-th consecutive stretch of the corpus; then walk along the rows num_steps columns at a
    time. X: NDArray (batch_size, num_steps) on ctx; Y: X shifted one step ahead. Stop when a full Y no
    longer fits. Example: list(range(30)), batch_size 2, num_steps 6 gives two batches, the first being
    X = [[0..5], [15..20]], Y = [[1..6], [16..21]].
    """
    raise NotImplementedError("Exercise 6.3.2: implement data_iter_consecutive")


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
def rnn(inputs, state, params):
    """Run the book's tanh RNN over a sequence; return (outputs, (H,)).

    inputs: a list of num_steps NDArrays (batch_size, vocab_size) (what to_onehot returns);
    state: the tuple (H,), H of shape (batch_size, num_hiddens); params: [W_xh, W_hh, b_h, W_hq, b_q]
    of shapes (vocab_size, h), (h, h), (h,), (h, q), (q,). At every step
    H = tanh(X W_xh + H W_hh + b_h) and the output is Y = H W_hq + b_q.
    Returns the list of num_steps outputs Y (batch_size, q) and the final state as the tuple (H,).
    """
    raise NotImplementedError("Exercise 6.4.2: implement rnn")


# Exercise 6.4.3 (3 points)
def grad_clipping(params, theta, ctx):
    """Clip gradients in place: if their global norm ||g|| exceeds theta, multiply each by theta / ||g||.

    params: list of NDArrays with attached gradients (on ctx); theta: float; ctx: their mx.Context.
    ||g|| is the L2 norm of all gradient elements of all params together. Returns nothing: write into
    param.grad (param.grad[:] = ...). Gradients [3, 0] and [[4]] with theta = 1 become [0.6, 0] and [[0.8]].
    """
    raise NotImplementedError("Exercise 6.4.3: implement grad_clipping")


# Exercise 6.4.4 (2 points)
def perplexity(probs, labels):
    """Return the perplexity of predictions, as a Python float.

    probs: NDArray (n, vocab_size), each row a predicted distribution over the next token;
    labels: NDArray (n,) of the true next tokens. Perplexity = exp(mean over the n rows of
    -log probs[i, labels[i]]). Example: true-token probabilities 0.5 and 0.125 give exp(2 log 2) = 4.0.
    Hint: nd.pick.
    """
    raise NotImplementedError("Exercise 6.4.4: implement perplexity")


# Exercise 6.4.5 (2 points)
# Perplexity is exp of the average cross-entropy loss. What is the perplexity of
#   1. a model that predicts every one of 1027 characters with probability 1/1027,
#   2. a model that gives the true next character the probabilities 0.5, 0.25 and 1.0 on three steps,
#   3. a perfect model (probability 1 for every true character)?
# Answer: a tuple of three floats; 4 decimals are enough.
PERPLEXITIES = None


# Exercise 6.4.6 (2 points)
def detach_state(state):
    """Return the hidden state cut from the computation graph, in the same form as it came.

    state: an NDArray, or a list or tuple of NDArrays (an LSTM has [H, C]). Return an NDArray, or a list
    or tuple (the same kind) of NDArrays with the same values, from which backward() goes no further.
    Careful: s.detach() RETURNS a detached copy; it does not change s.
    """
    raise NotImplementedError("Exercise 6.4.6: implement detach_state")


# Exercise 6.4.7 (1 point)
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


# Exercise 6.5.2 (5 points)
def train_language_model(corpus_indices, vocab_size, ctx):
    """Train a character-level language model on corpus_indices on the device ctx; return the model.

    corpus_indices: a list of ints below vocab_size, text made of a few short "words" (index
    vocab_size - 1 is the space) drawn at random; the next character depends on the characters before it.
    Return a model with the interface of the book's d2l.RNNModel: model.begin_state(batch_size=..., ctx=...)
    and model(inputs, state) -> (outputs, state), inputs (batch_size, num_steps) of indices, outputs
    (num_steps * batch_size, vocab_size) of scores (softmax is applied by the grader), time-major like
    RNNModel's. Its parameters must live on ctx. The grader feeds it fresh text from the same source,
    starting from begin_state, and wants a perplexity below 2.0 (a bigram model gets about 3).
    d2l.RNNModel(rnn.GRU(...), vocab_size), Adam and a few epochs of your data_iter_random are enough;
    keep the training under a few seconds on a CPU.
    """
    raise NotImplementedError("Exercise 6.5.2: implement train_language_model")

# ---------------------------------------------------------------------------------------------
# 6.7 Gated recurrent units (GRU)
# ---------------------------------------------------------------------------------------------


# Exercise 6.7.1 (3 points)
def gru_step(X, H, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
    """Return the new hidden state of one time step of Gluon's rnn.GRU, computed from its own weights.

    X: (batch_size, n); H: (batch_size, h). The weights are laid out as in rnn.GRU(h).collect_params():
    i2h_weight (3h, n), h2h_weight (3h, h), i2h_bias (3h,), h2h_bias (3h,), their rows stacked in the gate
    order reset r, update z, candidate n (rows 0..h-1 are r). With i = X i2h_weight^T + i2h_bias and
    g = H h2h_weight^T + h2h_bias, each split into three (batch_size, h) parts:
        r = sigmoid(i_r + g_r),  z = sigmoid(i_z + g_z),  n = tanh(i_n + r * g_n),
        H_new = (1 - z) * n + z * H.
    Note that Gluon applies r after the hidden matrix product (to g_n), unlike the book's R * H.
    Hint: nd.FullyConnected or nd.dot(X, W.T), and nd.split(..., num_outputs=3, axis=1).
    """
    raise NotImplementedError("Exercise 6.7.1: implement gru_step")

# ---------------------------------------------------------------------------------------------
# 6.8 Long short-term memory (LSTM)
# ---------------------------------------------------------------------------------------------


# Exercise 6.8.1 (3 points)
def lstm_step(X, H, C, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
    """Return (H_new, C_new) of one time step of Gluon's rnn.LSTM, computed from its own weights.

    X: (batch_size, n); H, C: (batch_size, h). The weights are laid out as in rnn.LSTM(h): i2h_weight
    (4h, n), h2h_weight (4h, h), i2h_bias (4h,), h2h_bias (4h,), rows stacked in the gate order input i,
    forget f, candidate cell c, output o. With a = X i2h_weight^T + i2h_bias + H h2h_weight^T + h2h_bias
    split into four (batch_size, h) parts:
        i = sigmoid(a_i),  f = sigmoid(a_f),  c = tanh(a_c),  o = sigmoid(a_o),
        C_new = f * C + i * c,  H_new = o * tanh(C_new).
    """
    raise NotImplementedError("Exercise 6.8.1: implement lstm_step")

# ---------------------------------------------------------------------------------------------
# 6.9 and 6.10 Deep and bidirectional recurrent neural networks
# ---------------------------------------------------------------------------------------------


# Exercise 6.10.1 (3 points)
def rnn_param_count(mode, input_size, num_hiddens, num_layers=1, bidirectional=False):
    """Return the number of parameters of Gluon's recurrent layer, as an int, without building it.

    mode: "rnn", "gru" or "lstm" (rnn.RNN, rnn.GRU, rnn.LSTM with num_hiddens units, num_layers layers,
    bidirectional=bidirectional and input_size=input_size). Each layer and direction has i2h_weight,
    h2h_weight, i2h_bias and h2h_bias for 1, 3 or 4 gates. Example: rnn_param_count("rnn", 10, 4) is
    4 * 10 + 4 * 4 + 2 * 4 = 64. Mind what the layers above the first get as input.
    """
    raise NotImplementedError("Exercise 6.10.1: implement rnn_param_count")
