"""Near misses of classification: a softmax that overflows, a cross-entropy without its minus sign, a
count instead of a fraction, a mean of per-batch accuracies, ToTensor by reshape, forgotten biases,
tanh(x / 2), tanh's derivative without the square, an MLP without activation, the shape after
ToTensor, a weight count with biases, and a summed loss stepped with step(1)."""
from mxnet import gluon, nd

import solved_ch03_deep_learning_basics as solved
from solved_ch03_deep_learning_basics import *  # noqa: F401,F403

FASHION_MNIST_SAMPLE = ((1, 28, 28), "float32")  # after ToTensor, not the raw image
MLP_WEIGHT_COUNT = 256 * 256 * 1000 + 1000 + 1000 * 10 + 10  # biases counted too
TRAINER_STEP_ARG = "b"


def softmax(X):
    X_exp = X.exp()  # no max subtracted: exp overflows for large scores
    return X_exp / X_exp.sum(axis=1, keepdims=True)


def cross_entropy(y_hat, y):
    return nd.pick(y_hat, y).log()


def accuracy(y_hat, y):
    return (y_hat.argmax(axis=1) == y.astype("float32")).sum().asscalar()


def evaluate_accuracy(data_iter, net):
    accuracies = [(net(X).argmax(axis=1) == y).mean().asscalar() for X, y in data_iter]
    return sum(accuracies) / len(accuracies)


def to_tensor(images):
    n, h, w, c = images.shape
    return images.astype("float32").reshape((n, c, h, w)) / 255


def softmax_param_count(height, width, num_classes):
    return height * width * num_classes


def mlp_param_count(num_inputs, hidden_sizes, num_outputs):
    widths = [num_inputs] + list(hidden_sizes) + [num_outputs]
    return sum(a * b for a, b in zip(widths[:-1], widths[1:]))


def tanh(X):
    return (1 - nd.exp(-X)) / (1 + nd.exp(-X))


def tanh_grad(X):
    return 1 - X.tanh()


def mlp_net(num_hidden, num_outputs=10):
    net = gluon.nn.Sequential()
    net.add(gluon.nn.Dense(num_hidden), gluon.nn.Dense(num_outputs))
    return net


def train_mlp(root, num_epochs, lr, batch_size, ctx):
    # trainer.step(1) on a loss summed over the batch: every step is batch_size times too large
    return solved.train_mlp(root, num_epochs, lr * batch_size, batch_size, ctx)
