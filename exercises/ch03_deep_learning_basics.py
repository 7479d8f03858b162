"""Chapter 3, Deep-learning basics: exercises.

How to work on these:
- Replace each ``raise NotImplementedError(...)`` with your code, and each ``None`` answer with your answer
  in the format its comment asks for. Leave the names and signatures as they are.
- Use MXNet (``from mxnet import nd, autograd, gluon``); ``import d2lzh as d2l`` is allowed too.
  Functions may call each other (train_softmax_regression can use your data_iter, softmax, ...).
- Check your work with ``python -m grader ch03`` (add ``--ctx gpu`` to run on a GPU).
"""
import random  # noqa: F401  (you will need them)

from mxnet import autograd, nd  # noqa: F401

# ---------------------------------------------------------------------------------------------
# 3.1 Linear regression
# ---------------------------------------------------------------------------------------------

# Exercise 3.1.1 (2 points)
# A fully connected layer maps a minibatch X of shape (7, 8) (7 examples, 8 features) to an output of
# shape (7, 1). Writing the layer as in the book, y_hat = XW + b, what are the shapes of W and b?
# (Take b as a matrix that broadcasts over the rows.)
# Answer: a tuple of two shape tuples (shape of W, shape of b), e.g. ((2, 3), (4, 5)).
DENSE_SHAPES = None

# ---------------------------------------------------------------------------------------------
# 3.2 Linear regression from scratch
# ---------------------------------------------------------------------------------------------


# Exercise 3.2.1 (3 points)
def data_iter(batch_size, features, labels):
    """Yield minibatches (X, y) of the data set in a random order. This is a generator (use ``yield``).

    features: NDArray of shape (n, d); labels: NDArray of shape (n,).
    Every example appears in exactly one batch per pass; all batches have batch_size rows except possibly
    the last (n = 1003, batch_size = 10 gives 100 batches of 10 and one of 3).
    Shuffle with Python's ``random.shuffle`` and pick rows with ``features.take(indices)``.
    """
    raise NotImplementedError("Exercise 3.2.1: implement data_iter")


# Exercise 3.2.2 (2 points)
def linreg(X, w, b):
    """Return the linear regression output XW + b.

    X: (n, d), w: (d, 1), b: (1,). Returns an NDArray of shape (n, 1).
    """
    raise NotImplementedError("Exercise 3.2.2: implement linreg")


# Exercise 3.2.3 (2 points)
def squared_loss(y_hat, y):
    """Return the per-example loss (y_hat - y) ** 2 / 2.

    y_hat: (n, 1); y: (n,). Returns an NDArray of shape (n, 1).
    Careful: y_hat - y without a reshape broadcasts to (n, n). Reshape y to y_hat's shape first.
    """
    raise NotImplementedError("Exercise 3.2.3: implement squared_loss")


# Exercise 3.2.4 (3 points)
def sgd(params, lr, batch_size):
    """Take one minibatch SGD step: param <- param - lr * param.grad / batch_size for every param.

    params: a list of NDArrays with attached gradients. Returns nothing.
    Update each NDArray IN PLACE (param[:] = ...): ``param = param - ...`` only rebinds a local name,
    and the model's parameters would never change. The grader checks the very same objects.
    """
    raise NotImplementedError("Exercise 3.2.4: implement sgd")


# ---------------------------------------------------------------------------------------------
# 3.3 Concise implementation of linear regression
# ---------------------------------------------------------------------------------------------

# Exercise 3.3.1 (1 point)
# If you compute the loss as l = loss(net(X), y).mean() instead of l.sum(), why should you call
# trainer.step(1) instead of trainer.step(batch_size)?
#   (a) step(n) divides the gradients by n, and mean() has already divided by the batch size
#   (b) the learning rate must be 1 when mean() is used
#   (c) mean() turns off autograd, so the step size does not matter
# Answer: one letter, "a", "b" or "c".
TRAINER_STEP_ARG = None

# ---------------------------------------------------------------------------------------------
# 3.6 Softmax regression from scratch
# ---------------------------------------------------------------------------------------------


# Exercise 3.6.1 (3 points)
def softmax(X):
    """Return the row-wise softmax of X: exp(X[i, j]) / sum_k exp(X[i, k]).

    X: NDArray of shape (n, q). Returns an NDArray of shape (n, q) whose rows sum to 1.
    Make it numerically stable: X = [[100, 101, 102]] must give finite values. Subtracting each
    row's maximum before exp() does not change the result but avoids overflow.
    """
    raise NotImplementedError("Exercise 3.6.1: implement softmax")


# Exercise 3.6.2 (2 points)
def cross_entropy(y_hat, y):
    """Return the cross-entropy loss -log(y_hat[i, y[i]]) of every example.

    y_hat: (n, q) predicted probabilities; y: (n,) true class indices (as floats, like the book's labels).
    Returns an NDArray of shape (n,). Hint: nd.pick.
    """
    raise NotImplementedError("Exercise 3.6.2: implement cross_entropy")


# Exercise 3.6.3 (2 points)
def accuracy(y_hat, y):
    """Return the fraction of examples whose largest y_hat entry is at the true class, as a Python float.

    y_hat: (n, q); y: (n,) class indices. Example: y_hat = [[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]], y = [0, 2]
    gives 0.5.
    """
    raise NotImplementedError("Exercise 3.6.3: implement accuracy")


# Exercise 3.6.4 (4 points)
def train_softmax_regression(features, labels, num_epochs, lr, ctx):
    """Train a softmax regression model with minibatch SGD on the device ctx; return (W, b).

    features: NDArray (n, d) on the CPU; labels: NDArray (n,) of class indices 0 .. q-1 (q = labels.max() + 1).
    num_epochs, lr: training length and learning rate; ctx: an mx.Context such as mx.cpu() or mx.gpu(0).
    Copy the data to ctx (``as_in_context``), create W (d, q) and b (q,) on ctx, and train with your
    functions above. Return (W, b) as NDArrays on ctx. The grader trains on a small, well-separated
    data set and checks the training accuracy of argmax(XW + b) and that W and b live on ctx.
    """
    raise NotImplementedError("Exercise 3.6.4: implement train_softmax_regression")


# ---------------------------------------------------------------------------------------------
# 3.8 Multilayer perceptron
# ---------------------------------------------------------------------------------------------

# Exercise 3.8.1 (2 points)
# An MLP takes 256 x 256 input images (flattened), has one hidden layer of 1000 units and 10 outputs.
# How many weights does it have? Count weights only, not biases.
# Answer: an int.
MLP_WEIGHT_COUNT = None

# ---------------------------------------------------------------------------------------------
# 3.9 Multilayer perceptron from scratch
# ---------------------------------------------------------------------------------------------


# Exercise 3.9.1 (1 point)
def relu(X):
    """Return ReLU(X) = max(X, 0) elementwise. X: NDArray of any shape; returns the same shape."""
    raise NotImplementedError("Exercise 3.9.1: implement relu")


# ---------------------------------------------------------------------------------------------
# 3.11 Model selection, underfitting and overfitting
# ---------------------------------------------------------------------------------------------


# Exercise 3.11.1 (2 points)
def poly_features(x, degree=3):
    """Return the polynomial features x, x**2, ..., x**degree as columns.

    x: NDArray of shape (n, 1). Returns an NDArray of shape (n, degree); for x = [[2]] and degree 3
    that is [[2, 4, 8]].
    """
    raise NotImplementedError("Exercise 3.11.1: implement poly_features")


# ---------------------------------------------------------------------------------------------
# 3.12 Weight decay
# ---------------------------------------------------------------------------------------------


# Exercise 3.12.1 (1 point)
def l2_penalty(w):
    """Return the L2 penalty sum(w ** 2) / 2 as a one-element NDArray. w: NDArray of any shape."""
    raise NotImplementedError("Exercise 3.12.1: implement l2_penalty")


# Exercise 3.12.2 (1 point)
# A weight w = 1.0 has gradient 0.5 (of the loss without the penalty). One SGD step with learning
# rate 0.1 and weight decay 0.2 (the penalty 0.2 / 2 * w ** 2 added to the loss): what is w afterwards?
# Answer: a Python float; 4 decimals are enough.
WEIGHT_DECAY_STEP = None

# ---------------------------------------------------------------------------------------------
# 3.13 Dropout
# ---------------------------------------------------------------------------------------------


# Exercise 3.13.1 (3 points)
def dropout(X, drop_prob):
    """Return inverted dropout of X: each element is zeroed with probability drop_prob, else divided by
    (1 - drop_prob), so the expected value of every element is unchanged.

    X: NDArray of any shape; 0 <= drop_prob <= 1. drop_prob = 0 returns X's values unchanged and
    drop_prob = 1 returns all zeros. Returns an NDArray of X's shape. Use nd.random.uniform for the mask.
    """
    raise NotImplementedError("Exercise 3.13.1: implement dropout")


# ---------------------------------------------------------------------------------------------
# 3.14 Forward propagation, back-propagation and computational graphs
# ---------------------------------------------------------------------------------------------


# Exercise 3.14.1 (3 points)
def backprop_grads(x, y, W1, W2, lambd):
    """Return (J, dJ/dW1, dJ/dW2) for the section's one-hidden-layer network (no biases).

    x: (d,) input; y: (1,) target; W1: (h, d); W2: (1, h); lambd: float.
    Forward: z = W1 x, h = relu(z), o = W2 h, L = (o - y) ** 2 / 2, s = lambd / 2 * (||W1||^2 + ||W2||^2),
    J = L + s (||.|| is the Frobenius norm). Return J as a Python float and the two gradients as NDArrays
    of the shapes of W1 and W2. Use autograd, or work the chain rule out by hand.
    """
    raise NotImplementedError("Exercise 3.14.1: implement backprop_grads")
