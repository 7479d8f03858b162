"""Chapter 3, Deep-learning basics: exercises.

Topics:
- 3.1-3.3 Linear regression: layer shapes in XW + b, the analytic least-squares solution, minibatches
  (data_iter, the short last batch), linreg, squared loss, in-place SGD, Trainer.step, Huber loss.
- 3.4-3.7 Softmax regression: parameter count, Fashion-MNIST facts and ToTensor, a stable softmax,
  cross-entropy, accuracy over a data set, training on a context.
- 3.8-3.10 Multilayer perceptrons: weight and parameter counts, sigmoid and tanh and their gradients,
  ReLU, an MLP with Gluon, training it to a stated test accuracy.
- 3.11-3.16 Generalisation and practice: polynomial features, under- and overfitting, weight decay,
  dropout, back-propagation by hand, why all-zero initialisation fails, k-fold cross-validation.

How to work on these:
- Replace each ``raise NotImplementedError(...)`` with your code, and each ``None`` answer with your answer
  in the format its comment asks for. Leave the names and signatures as they are.
- Use MXNet (``from mxnet import nd, autograd, gluon``); ``import d2lzh as d2l`` is allowed too.
  Functions may call each other (train_softmax_regression can use your data_iter, softmax, ...).
- Check your work with ``python -m grader ch03`` (add ``--ctx gpu`` to run on a GPU).
"""
import random  # noqa: F401  (you will need them)

import numpy as np  # noqa: F401
from mxnet import autograd, gluon, init, nd  # noqa: F401
from mxnet.gluon import nn  # noqa: F401

import d2lzh as d2l  # noqa: F401

# ---------------------------------------------------------------------------------------------
# 3.1 Linear regression
# ---------------------------------------------------------------------------------------------

# Exercise 3.1.1 (2 points)
# A fully connected layer maps a minibatch X of shape (7, 8) (7 examples, 8 features) to an output of
# shape (7, 1). Writing the layer as in the book, y_hat = XW + b, what are the shapes of W and b?
# (Take b as a matrix that broadcasts over the rows.)
# Answer: a tuple of two shape tuples (shape of W, shape of b), e.g. ((2, 3), (4, 5)).
DENSE_SHAPES = None


# Exercise 3.1.2 (3 points)
def least_squares(X, y):
    """Return the (w, b) that minimise the squared loss sum_i (X[i] w + b - y[i]) ** 2 exactly.

    Linear regression has an analytic solution: append a column of ones to X (its weight is the bias)
    and solve the normal equations A^T A theta = A^T y, for instance with np.linalg.lstsq or
    np.linalg.solve on X.asnumpy(). X: NDArray (n, d); y: NDArray (n,). Return w as an NDArray (d, 1)
    and b as an NDArray (1,), so that linreg(X, w, b) gives the least-squares predictions.
    """
    raise NotImplementedError("Exercise 3.1.2: implement least_squares")


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


# Exercise 3.2.5 (2 points)
def batch_sizes(num_examples, batch_size, last_batch="keep"):
    """Return the sizes of the minibatches of one pass over num_examples examples, as a list of ints.

    When num_examples is not a multiple of batch_size the last batch is short. last_batch says what
    happens to it, as in gluon.data.DataLoader(..., last_batch=...): "keep" yields it (like your
    data_iter), "discard" drops it, so that every batch has batch_size examples.
    """
    raise NotImplementedError("Exercise 3.2.5: implement batch_sizes")


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


# Exercise 3.3.2 (2 points)
def huber_loss(y_hat, y, rho=1.0):
    """Return the Huber loss of every example, as gluon.loss.HuberLoss(rho) defines it.

    For a = y_hat - y (with y reshaped to y_hat's shape): 0.5 / rho * a ** 2 where |a| < rho, and
    |a| - 0.5 * rho elsewhere. Quadratic near 0 like the squared loss, linear far from it, so outliers
    pull less. y_hat: (n, 1); y: (n,). Returns an NDArray of shape (n,). Write it with nd ops
    (nd.abs, nd.where), then compare with Gluon's.
    """
    raise NotImplementedError("Exercise 3.3.2: implement huber_loss")


# ---------------------------------------------------------------------------------------------
# 3.4 Softmax regression
# ---------------------------------------------------------------------------------------------


# Exercise 3.4.1 (2 points)
def softmax_param_count(height, width, num_classes):
    """Return the number of parameters (weights and biases) of softmax regression, as an int.

    The model reads height x width grey-scale images, flattened to vectors, and scores num_classes
    classes with one fully connected layer (Fashion-MNIST: 28 x 28 images, 10 classes).
    """
    raise NotImplementedError("Exercise 3.4.1: implement softmax_param_count")


# ---------------------------------------------------------------------------------------------
# 3.5 Image classification data set (Fashion-MNIST)
# ---------------------------------------------------------------------------------------------

# Exercise 3.5.1 (2 points)
# mnist_train = gluon.data.vision.FashionMNIST(train=True) and mnist_test = ...(train=False), as in
# the section. How many examples do mnist_train and mnist_test hold, and how many classes are there?
# Answer: a tuple of three ints (training examples, test examples, classes).
FASHION_MNIST_SIZES = None
# feature, label = mnist_train[0]: what are feature.shape and feature.dtype (before any transform)?
# Answer: a tuple (shape tuple, dtype name as a string), e.g. ((1, 2, 3), "float64").
FASHION_MNIST_SAMPLE = None


# Exercise 3.5.2 (2 points)
def to_tensor(images):
    """Do what gluon.data.vision.transforms.ToTensor does to each image, for a whole batch at once.

    images: uint8 NDArray (n, h, w, c) with values 0 .. 255, the layout the data set stores.
    Returns a float32 NDArray (n, c, h, w) with values in [0, 1]: channels before height and width, the
    layout convolutions expect, and every value divided by 255.
    """
    raise NotImplementedError("Exercise 3.5.2: implement to_tensor")


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


# Exercise 3.6.5 (2 points)
def evaluate_accuracy(data_iter, net):
    """Return the fraction of all examples of data_iter that net classifies correctly, as a Python float.

    data_iter yields (X, y) minibatches, y holding class indices as floats; net(X) returns scores
    (batch, q), the predicted class being the largest. Add up correct predictions and examples over all
    batches and divide once at the end: the last batch may be shorter than the others.
    """
    raise NotImplementedError("Exercise 3.6.5: implement evaluate_accuracy")


# ---------------------------------------------------------------------------------------------
# 3.8 Multilayer perceptron
# ---------------------------------------------------------------------------------------------

# Exercise 3.8.1 (2 points)
# An MLP takes 256 x 256 input images (flattened), has one hidden layer of 1000 units and 10 outputs.
# How many weights does it have? Count weights only, not biases.
# Answer: an int.
MLP_WEIGHT_COUNT = None


# Exercise 3.8.2 (2 points)
def mlp_param_count(num_inputs, hidden_sizes, num_outputs):
    """Return the number of parameters (weights and biases) of an MLP, as an int.

    num_inputs: input features; hidden_sizes: a list with the width of each hidden layer, in order (an
    empty list is softmax regression); num_outputs: output units. Every layer is fully connected.
    """
    raise NotImplementedError("Exercise 3.8.2: implement mlp_param_count")


# Exercise 3.8.3 (2 points)
def sigmoid(X):
    """Return sigmoid(x) = 1 / (1 + exp(-x)) of every element of X, written with nd.exp (not nd.sigmoid)."""
    raise NotImplementedError("Exercise 3.8.3: implement sigmoid")


def tanh(X):
    """Return tanh(x) = (1 - exp(-2x)) / (1 + exp(-2x)) of every element of X, written with nd.exp (not nd.tanh)."""
    raise NotImplementedError("Exercise 3.8.3: implement tanh")


# Exercise 3.8.4 (2 points)
def sigmoid_grad(X):
    """Return the derivative of the sigmoid at every element of X, in closed form (no autograd).

    The section writes it with the sigmoid itself; it is largest at x = 0, where it is 0.25.
    """
    raise NotImplementedError("Exercise 3.8.4: implement sigmoid_grad")


def tanh_grad(X):
    """Return the derivative of tanh at every element of X, in closed form (no autograd).

    The section writes it with tanh itself; it is largest at x = 0, where it is 1.
    """
    raise NotImplementedError("Exercise 3.8.4: implement tanh_grad")


# ---------------------------------------------------------------------------------------------
# 3.9 Multilayer perceptron from scratch
# ---------------------------------------------------------------------------------------------


# Exercise 3.9.1 (1 point)
def relu(X):
    """Return ReLU(X) = max(X, 0) elementwise. X: NDArray of any shape; returns the same shape."""
    raise NotImplementedError("Exercise 3.9.1: implement relu")


# ---------------------------------------------------------------------------------------------
# 3.10 Concise implementation of multilayer perceptrons
# ---------------------------------------------------------------------------------------------


# Exercise 3.10.1 (2 points)
def mlp_net(num_hidden, num_outputs=10):
    """Return a new, uninitialised MLP built with Gluon: nn.Sequential with a Dense hidden layer of
    num_hidden units and ReLU activation, then a Dense output layer of num_outputs units.

    No activation on the output layer: the loss applies the softmax. Dense flattens (batch, 1, 28, 28)
    images by itself. The grader initialises the net and runs it.
    """
    raise NotImplementedError("Exercise 3.10.1: implement mlp_net")


# Exercise 3.10.2 (4 points)
def train_mlp(root, num_epochs, lr, batch_size, ctx):
    """Train an MLP on the Fashion-MNIST files in the folder root on the device ctx; return the trained net.

    Load the data with d2l.load_data_fashion_mnist(batch_size, root=root); build the net with your
    mlp_net(256) and initialise it on ctx (net.initialize(init.Normal(sigma=0.01), ctx=ctx)); train it
    for num_epochs epochs with gluon.loss.SoftmaxCrossEntropyLoss() and
    gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": lr}), copying every batch to ctx
    (X.as_in_context(ctx)). The grader writes a small Fashion-MNIST stand-in into root, and checks that
    the parameters of the net live on ctx and that it classifies at least 70% of held-out images right.
    This exercise trains for a few seconds: it is graded with ``python -m grader ch03 --slow``.
    """
    raise NotImplementedError("Exercise 3.10.2: implement train_mlp")


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


# Exercise 3.11.2 (2 points)
# Three models were trained on the same data set and reached these errors:
#   (a) training error 0.02, test error 0.61
#   (b) training error 0.54, test error 0.57
#   (c) training error 0.07, test error 0.09
# Which one underfits and which one overfits?
# Answer: a tuple of two letters (the underfitting model, the overfitting model), e.g. ("a", "c").
FIT_DIAGNOSIS = None
# Which of these help a model that overfits? (a) more training data (b) weight decay (c) more hidden
# units (d) dropout (e) training for more epochs.
# Answer: a string with every correct letter, e.g. "ab".
OVERFIT_REMEDIES = None

# ---------------------------------------------------------------------------------------------
# 3.12 Weight decay
# ---------------------------------------------------------------------------------------------


# Exercise 3.12.1 (1 point)
def l2_penalty(w):
    """Return the L2 penalty sum(w ** 2) / 2 as a one-element NDArray. w: NDArray of any shape."""
    raise NotImplementedError("Exercise 3.12.1: implement l2_penalty")


# Exercise 3.12.2 (1 point)
def weight_decay_step(w, grad, lr, wd):
    """Return the weights after one SGD step with weight decay, as an NDArray of w's shape.

    w: NDArray of weights; grad: the gradient of the loss WITHOUT the penalty at w (same shape);
    lr: the learning rate; wd: the weight decay, i.e. the penalty wd / 2 * ||w||^2 is added to the loss.
    Differentiate the penalty and add its gradient before the step; gluon.Trainer(..., "sgd",
    {"learning_rate": lr, "wd": wd}) does the same.
    """
    raise NotImplementedError("Exercise 3.12.2: implement weight_decay_step")


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


# ---------------------------------------------------------------------------------------------
# 3.15 Numerical stability and model initialisation
# ---------------------------------------------------------------------------------------------

# Exercise 3.15.1 (2 points)
# Every weight and bias of an MLP with one hidden layer starts at 0 (or at any one common constant),
# and the net is trained with minibatch SGD. What happens to the hidden units?
#   (a) they stay identical to each other: every hidden unit gets the same gradient, so the symmetry
#       between them is never broken and the layer acts like a single unit
#   (b) their gradients explode after a few steps
#   (c) they become different after the first step, because each minibatch is drawn at random
# Answer: one letter, "a", "b" or "c".
ZERO_INIT_MLP = None
# Can softmax regression (no hidden layer) start with all its weights at 0 and still learn?
# Answer: a bool.
ZERO_INIT_SOFTMAX = None

# ---------------------------------------------------------------------------------------------
# 3.16 Kaggle house prices: k-fold cross-validation
# ---------------------------------------------------------------------------------------------


# Exercise 3.16.1 (3 points)
def get_k_fold_data(k, i, X, y):
    """Return (X_train, y_train, X_valid, y_valid) for fold i (counting from 0) of k-fold cross-validation.

    Split the rows into k folds of n // k consecutive rows each (rows left over at the end are not used);
    fold i is the validation set, and the other folds, in their order, make the training set.
    X: NDArray (n, d); y: NDArray (n,). Example: X = nd.arange(20).reshape((10, 2)), y = nd.arange(10),
    k = 3, i = 1 give y_train = [0, 1, 2, 6, 7, 8] and y_valid = [3, 4, 5]; row 9 is not used.
    """
    raise NotImplementedError("Exercise 3.16.1: implement get_k_fold_data")
