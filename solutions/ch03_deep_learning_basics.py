"""Chapter 3, Deep-learning basics: model solutions (same names as exercises/ch03_deep_learning_basics.py)."""
import random

from mxnet import autograd, nd

# ---------------------------------------------------------------------------------------------
# 3.1 Linear regression
# ---------------------------------------------------------------------------------------------

# Exercise 3.1.1: shapes of W and b in y_hat = XW + b for X of shape (7, 8) and y_hat of shape (7, 1).
DENSE_SHAPES = ((8, 1), (1, 1))

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


# ---------------------------------------------------------------------------------------------
# 3.3 Concise implementation of linear regression
# ---------------------------------------------------------------------------------------------

# Exercise 3.3.1: why trainer.step(1) when the loss is l.mean()?
TRAINER_STEP_ARG = "a"

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


# ---------------------------------------------------------------------------------------------
# 3.8 Multilayer perceptron
# ---------------------------------------------------------------------------------------------

# Exercise 3.8.1: weights (no biases) of an MLP with 256 x 256 inputs, 1000 hidden units, 10 outputs.
MLP_WEIGHT_COUNT = 256 * 256 * 1000 + 1000 * 10

# ---------------------------------------------------------------------------------------------
# 3.9 Multilayer perceptron from scratch
# ---------------------------------------------------------------------------------------------


# Exercise 3.9.1
def relu(X):
    """Elementwise max(x, 0)."""
    return nd.maximum(X, 0)


# ---------------------------------------------------------------------------------------------
# 3.11 Model selection, underfitting and overfitting
# ---------------------------------------------------------------------------------------------


# Exercise 3.11.1
def poly_features(x, degree=3):
    """Columns x, x**2, ..., x**degree for a column vector x."""
    return nd.concat(*[x ** power for power in range(1, degree + 1)], dim=1)


# ---------------------------------------------------------------------------------------------
# 3.12 Weight decay
# ---------------------------------------------------------------------------------------------


# Exercise 3.12.1
def l2_penalty(w):
    """Half the sum of squared weights."""
    return (w ** 2).sum() / 2


# Exercise 3.12.2: w after one SGD step with weight decay (w=1.0, grad=0.5, lr=0.1, wd=0.2).
WEIGHT_DECAY_STEP = (1 - 0.1 * 0.2) * 1.0 - 0.1 * 0.5

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
