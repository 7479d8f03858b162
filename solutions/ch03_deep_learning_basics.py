"""Chapter 3, Deep-learning basics: model solutions (same names as exercises/ch03_deep_learning_basics.py)."""
import random

import numpy as np
from mxnet import autograd, gluon, init, nd
from mxnet.gluon import nn

import d2lzh as d2l

# ---------------------------------------------------------------------------------------------
# 3.1 Linear regression
# ---------------------------------------------------------------------------------------------

# Exercise 3.1.1: shapes of W and b in y_hat = XW + b for X of shape (7, 8) and y_hat of shape (7, 1).
DENSE_SHAPES = ((8, 1), (1, 1))


# Exercise 3.1.2
def least_squares(X, y):
    """The exact least-squares (w, b): solve for the weights of X with a column of ones appended."""
    A = np.hstack([X.asnumpy(), np.ones((X.shape[0], 1), dtype=np.float32)]).astype(np.float64)
    theta = np.linalg.lstsq(A, y.asnumpy().astype(np.float64), rcond=None)[0]
    return nd.array(theta[:-1].reshape((-1, 1))), nd.array(theta[-1:])


# ---------------------------------------------------------------------------------------------
# 3.2 Linear regression from scratch
# ---------------------------------------------------------------------------------------------


# Exercise 3.2.1
def data_iter(batch_size, features, labels):
    """Yield (X, y) minibatches of at most batch_size rows, in a random order, each row once."""
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)
    for start in range(0, num_examples, batch_size):
        batch = nd.array(indices[start:start + batch_size], ctx=features.context)
        yield features.take(batch), labels.take(batch)


# Exercise 3.2.2
def linreg(X, w, b):
    """The linear regression model XW + b."""
    return nd.dot(X, w) + b


# Exercise 3.2.3
def squared_loss(y_hat, y):
    """Half the squared error, with y reshaped to y_hat's shape."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


# Exercise 3.2.4
def sgd(params, lr, batch_size):
    """Minibatch SGD step, written into each parameter in place."""
    for param in params:
        param[:] = param - lr * param.grad / batch_size


# Exercise 3.2.5
def batch_sizes(num_examples, batch_size, last_batch="keep"):
    """Full batches, then the short remainder unless it is discarded."""
    full, rest = divmod(num_examples, batch_size)
    return [batch_size] * full + ([rest] if rest and last_batch == "keep" else [])


# ---------------------------------------------------------------------------------------------
# 3.3 Concise implementation of linear regression
# ---------------------------------------------------------------------------------------------

# Exercise 3.3.1: why trainer.step(1) when the loss is l.mean()?
TRAINER_STEP_ARG = "a"


# Exercise 3.3.2
def huber_loss(y_hat, y, rho=1.0):
    """Gluon's Huber loss: quadratic (scaled by 1 / rho) inside rho, linear outside."""
    a = nd.abs(y_hat - y.reshape(y_hat.shape))
    loss = nd.where(a < rho, 0.5 / rho * a ** 2, a - 0.5 * rho)
    return loss.mean(axis=1)


# ---------------------------------------------------------------------------------------------
# 3.4 Softmax regression
# ---------------------------------------------------------------------------------------------


# Exercise 3.4.1
def softmax_param_count(height, width, num_classes):
    """A weight per (pixel, class) pair plus a bias per class."""
    return height * width * num_classes + num_classes


# ---------------------------------------------------------------------------------------------
# 3.5 Image classification data set (Fashion-MNIST)
# ---------------------------------------------------------------------------------------------

# Exercise 3.5.1: sizes of the training and test sets and the number of classes; shape and dtype of
# one raw training image.
FASHION_MNIST_SIZES = (60000, 10000, 10)
FASHION_MNIST_SAMPLE = ((28, 28, 1), "uint8")


# Exercise 3.5.2
def to_tensor(images):
    """ToTensor for a batch: (n, h, w, c) uint8 to (n, c, h, w) float32 in [0, 1]."""
    return images.astype("float32").transpose((0, 3, 1, 2)) / 255


# ---------------------------------------------------------------------------------------------
# 3.6 Softmax regression from scratch
# ---------------------------------------------------------------------------------------------


# Exercise 3.6.1
def softmax(X):
    """Row-wise softmax; subtracting each row's max keeps exp from overflowing."""
    X_exp = (X - X.max(axis=1, keepdims=True)).exp()
    return X_exp / X_exp.sum(axis=1, keepdims=True)


# Exercise 3.6.2
def cross_entropy(y_hat, y):
    """-log of the probability that y_hat gives to the true class of each example."""
    return -nd.pick(y_hat, y).log()


# Exercise 3.6.3
def accuracy(y_hat, y):
    """Fraction of rows whose largest entry is at the true class."""
    return (y_hat.argmax(axis=1) == y.astype("float32")).mean().asscalar()


# Exercise 3.6.4
def train_softmax_regression(features, labels, num_epochs, lr, ctx):
    """Train softmax regression with minibatch SGD on ctx; return the learned (W, b)."""
    X, y = features.as_in_context(ctx), labels.as_in_context(ctx)
    num_classes = int(y.max().asscalar()) + 1
    W = nd.zeros((X.shape[1], num_classes), ctx=ctx)
    b = nd.zeros(num_classes, ctx=ctx)
    W.attach_grad()
    b.attach_grad()
    batch_size = 10
    for _ in range(num_epochs):
        for X_batch, y_batch in data_iter(batch_size, X, y):
            with autograd.record():
                loss = cross_entropy(softmax(nd.dot(X_batch, W) + b), y_batch).sum()
            loss.backward()
            sgd([W, b], lr, batch_size)
    return W, b


# Exercise 3.6.5
def evaluate_accuracy(data_iter, net):
    """Correct predictions over all batches divided by the number of examples."""
    correct, count = 0.0, 0
    for X, y in data_iter:
        correct += (net(X).argmax(axis=1) == y.astype("float32")).sum().asscalar()
        count += y.size
    return correct / count


# ---------------------------------------------------------------------------------------------
# 3.8 Multilayer perceptron
# ---------------------------------------------------------------------------------------------

# Exercise 3.8.1: weights (no biases) of an MLP with 256 x 256 inputs, 1000 hidden units, 10 outputs.
MLP_WEIGHT_COUNT = 256 * 256 * 1000 + 1000 * 10


# Exercise 3.8.2
def mlp_param_count(num_inputs, hidden_sizes, num_outputs):
    """Weights and biases of each fully connected layer, summed."""
    widths = [num_inputs] + list(hidden_sizes) + [num_outputs]
    return sum(fan_in * fan_out + fan_out for fan_in, fan_out in zip(widths[:-1], widths[1:]))


# Exercise 3.8.3
def sigmoid(X):
    """1 / (1 + exp(-x)) elementwise."""
    return 1 / (1 + nd.exp(-X))


def tanh(X):
    """(1 - exp(-2x)) / (1 + exp(-2x)) elementwise."""
    exp = nd.exp(-2 * X)
    return (1 - exp) / (1 + exp)


# Exercise 3.8.4
def sigmoid_grad(X):
    """sigmoid(x) * (1 - sigmoid(x))."""
    s = sigmoid(X)
    return s * (1 - s)


def tanh_grad(X):
    """1 - tanh(x) ** 2."""
    return 1 - tanh(X) ** 2


# ---------------------------------------------------------------------------------------------
# 3.9 Multilayer perceptron from scratch
# ---------------------------------------------------------------------------------------------


# Exercise 3.9.1
def relu(X):
    """Elementwise max(x, 0)."""
    return nd.maximum(X, 0)


# ---------------------------------------------------------------------------------------------
# 3.10 Concise implementation of multilayer perceptrons
# ---------------------------------------------------------------------------------------------


# Exercise 3.10.1
def mlp_net(num_hidden, num_outputs=10):
    """A ReLU hidden layer and a linear output layer."""
    net = nn.Sequential()
    net.add(nn.Dense(num_hidden, activation="relu"), nn.Dense(num_outputs))
    return net


# Exercise 3.10.2
def train_mlp(root, num_epochs, lr, batch_size, ctx):
    """Train mlp_net(256) on the Fashion-MNIST files in root, on ctx; return the net."""
    train_iter, _ = d2l.load_data_fashion_mnist(batch_size, root=root)
    net = mlp_net(256)
    net.initialize(init.Normal(sigma=0.01), ctx=ctx)
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": lr})
    for _ in range(num_epochs):
        for X, y in train_iter:
            X, y = X.as_in_context(ctx), y.as_in_context(ctx)
            with autograd.record():
                l = loss(net(X), y).sum()
            l.backward()
            trainer.step(X.shape[0])
    return net


# ---------------------------------------------------------------------------------------------
# 3.11 Model selection, underfitting and overfitting
# ---------------------------------------------------------------------------------------------


# Exercise 3.11.1
def poly_features(x, degree=3):
    """Columns x, x**2, ..., x**degree for a column vector x."""
    return nd.concat(*[x ** power for power in range(1, degree + 1)], dim=1)


# Exercise 3.11.2: (b) has high training and test errors (underfits); (a) fits the training set but
# not the test set (overfits). More data, weight decay and dropout help against overfitting.
FIT_DIAGNOSIS = ("b", "a")
OVERFIT_REMEDIES = "abd"

# ---------------------------------------------------------------------------------------------
# 3.12 Weight decay
# ---------------------------------------------------------------------------------------------


# Exercise 3.12.1
def l2_penalty(w):
    """Half the sum of squared weights."""
    return (w ** 2).sum() / 2


# Exercise 3.12.2
def weight_decay_step(w, grad, lr, wd):
    """SGD on the loss plus wd / 2 * ||w||^2: the penalty adds wd * w to the gradient."""
    return w - lr * (grad + wd * w)


# ---------------------------------------------------------------------------------------------
# 3.13 Dropout
# ---------------------------------------------------------------------------------------------


# Exercise 3.13.1
def dropout(X, drop_prob):
    """Inverted dropout: zero each element with probability drop_prob, scale the rest by 1/(1-p)."""
    assert 0 <= drop_prob <= 1
    keep_prob = 1 - drop_prob
    if keep_prob == 0:
        return X.zeros_like()
    mask = nd.random.uniform(0, 1, X.shape, ctx=X.context) < keep_prob
    return mask * X / keep_prob


# ---------------------------------------------------------------------------------------------
# 3.14 Forward propagation, back-propagation and computational graphs
# ---------------------------------------------------------------------------------------------


# Exercise 3.14.1
def backprop_grads(x, y, W1, W2, lambd):
    """Objective J of the section's one-hidden-layer net and its gradients dJ/dW1, dJ/dW2."""
    W1, W2 = W1.copy(), W2.copy()
    W1.attach_grad()
    W2.attach_grad()
    with autograd.record():
        o = nd.dot(W2, nd.relu(nd.dot(W1, x)))
        loss = ((o - y) ** 2).sum() / 2
        J = loss + lambd / 2 * ((W1 ** 2).sum() + (W2 ** 2).sum())
    J.backward()
    return J.asscalar(), W1.grad, W2.grad


# ---------------------------------------------------------------------------------------------
# 3.15 Numerical stability and model initialisation
# ---------------------------------------------------------------------------------------------

# Exercise 3.15.1: identical hidden units get identical gradients, so they never become different;
# softmax regression has no hidden units to tell apart, so it learns from zeros.
ZERO_INIT_MLP = "a"
ZERO_INIT_SOFTMAX = True

# ---------------------------------------------------------------------------------------------
# 3.16 Kaggle house prices: k-fold cross-validation
# ---------------------------------------------------------------------------------------------


# Exercise 3.16.1
def get_k_fold_data(k, i, X, y):
    """Fold i of k as the validation set, the other folds (in order) as the training set."""
    fold_size = X.shape[0] // k
    X_train, y_train = [], []
    for j in range(k):
        X_part, y_part = X[j * fold_size:(j + 1) * fold_size], y[j * fold_size:(j + 1) * fold_size]
        if j == i:
            X_valid, y_valid = X_part, y_part
        else:
            X_train.append(X_part)
            y_train.append(y_part)
    return nd.concat(*X_train, dim=0), nd.concat(*y_train, dim=0), X_valid, y_valid
