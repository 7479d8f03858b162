"""Near misses about blocks, files and contexts: a hidden layer without its activation, a container that
runs its layers backwards, a "loaded" net that is the saved net itself, a sum left where its operands live."""
from solved_ch04_deep_learning_computation import *  # noqa: F401,F403
from mxnet import nd
from mxnet.gluon import nn
from solved_ch04_deep_learning_computation import MLP as SolvedMLP
from solved_ch04_deep_learning_computation import MySequential as SolvedMySequential


class MLP(SolvedMLP):
    def __init__(self, num_hiddens, num_outputs, **kwargs):
        super().__init__(num_hiddens, num_outputs, **kwargs)
        self.hidden = nn.Dense(num_hiddens)  # no activation


class MySequential(SolvedMySequential):
    def forward(self, X):
        for block in reversed(list(self._children.values())):
            X = block(X)
        return X


def save_and_load(net, make_net, filename):
    net.save_parameters(filename)
    return net


def sum_on(arrays, ctx):
    return nd.add_n(*arrays)
