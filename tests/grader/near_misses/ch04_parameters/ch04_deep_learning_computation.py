"""Near misses about parameters: transposed shapes, a shared layer counted twice, one use's gradient only,
shapes taken as known before the first forward pass, a reinitialisation without force_reinit, an
initialiser that forgets negative values."""
from solved_ch04_deep_learning_computation import *  # noqa: F401,F403
from mxnet import autograd, init, nd
from solved_ch04_deep_learning_computation import MyDense as SolvedMyDense


def param_shapes(in_features, num_hiddens, num_outputs):
    return [(in_features, num_hiddens), (num_hiddens,), (num_hiddens, num_outputs), (num_outputs,)]


def shared_param_count(in_features, num_hiddens, num_outputs):
    layers = [(in_features, num_hiddens), (num_hiddens, num_hiddens), (num_hiddens, num_hiddens),
              (num_hiddens, num_outputs)]
    return sum(n * m + m for n, m in layers)


def shared_weight_grad(X, W):
    W = W.copy()
    W.attach_grad()
    H = nd.dot(X, W.T).detach()  # the first use is taken as a constant input
    with autograd.record():
        loss = nd.dot(H, W.T).sum()
    loss.backward()
    return W.grad


def deferred_shapes(units, in_features):
    return (units, in_features), (units, in_features)


def initialize_mixed(net, value):
    net[0].weight.initialize(init=init.Xavier())
    for index in range(1, len(net)):
        net[index].weight.initialize(init=init.Constant(value))


class CutoffUniform(init.Initializer):
    def __init__(self, bound, cutoff, **kwargs):
        super().__init__(**kwargs)
        self.bound, self.cutoff = bound, cutoff

    def _init_weight(self, name, data):
        data[:] = nd.random.uniform(low=0, high=self.bound, shape=data.shape)
        data *= data.abs() >= self.cutoff


class MyDense(SolvedMyDense):
    def forward(self, X):
        return nd.relu(nd.dot(X, self.weight.data()))
