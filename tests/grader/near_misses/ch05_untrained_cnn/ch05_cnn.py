"""A near miss of the slow training exercise: the net is built and run on ctx, but never trained."""
from solved_ch05_cnn import *  # noqa: F401,F403
from mxnet import init
from solved_ch05_cnn import _bn_lenet


def train_cnn(train_features, train_labels, test_features, ctx):
    net = _bn_lenet()
    net.initialize(init=init.Xavier(), ctx=ctx)
    return net(test_features.as_in_context(ctx)).argmax(axis=1)
