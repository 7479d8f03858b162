"""The book's reusable networks: the ResNet residual block, a CIFAR-style ResNet-18, and RNNModel.

Residual and resnet18 are HybridBlocks (1.0.0 used plain Blocks), so ``net.hybridize()`` works and
speeds them up; imperative behaviour, child names and parameter shapes are unchanged.
"""
from mxnet import nd
from mxnet.gluon import nn


class Residual(nn.HybridBlock):
    """relu(BN(conv3x3(relu(BN(conv3x3(X))))) + shortcut(X)); the shortcut is a 1x1 conv if use_1x1conv."""

    def __init__(self, num_channels, use_1x1conv=False, strides=1, **kwargs):
        super(Residual, self).__init__(**kwargs)
        with self.name_scope():
            self.conv1 = nn.Conv2D(num_channels, kernel_size=3, padding=1, strides=strides)
            self.conv2 = nn.Conv2D(num_channels, kernel_size=3, padding=1)
            self.conv3 = nn.Conv2D(num_channels, kernel_size=1, strides=strides) if use_1x1conv else None
            self.bn1 = nn.BatchNorm()
            self.bn2 = nn.BatchNorm()

    def hybrid_forward(self, F, X):
        Y = F.relu(self.bn1(self.conv1(X)))
        Y = self.bn2(self.conv2(Y))
        if self.conv3 is not None:
            X = self.conv3(X)
        return F.relu(Y + X)


def resnet_block(num_channels, num_residuals, first_block=False):
    """``num_residuals`` Residuals; all but the first block halve the resolution in their first one."""
    blk = nn.HybridSequential()
    for i in range(num_residuals):
        downsample = i == 0 and not first_block
        blk.add(Residual(num_channels, use_1x1conv=downsample, strides=2 if downsample else 1))
    return blk


def resnet18(num_classes):
    """ResNet-18 for small images: 3x3 stem without max-pool, 4 blocks of 2 Residuals, average pool, Dense."""
    net = nn.HybridSequential()
    net.add(nn.Conv2D(64, kernel_size=3, strides=1, padding=1), nn.BatchNorm(), nn.Activation("relu"))
    net.add(resnet_block(64, 2, first_block=True), resnet_block(128, 2),
            resnet_block(256, 2), resnet_block(512, 2))
    net.add(nn.GlobalAvgPool2D(), nn.Dense(num_classes))
    return net


class RNNModel(nn.Block):
    """A gluon recurrent layer between a one-hot input and a Dense output over the vocabulary.

    A plain Block as in 1.0.0, so ``rnn_layer`` may be any Block (a HybridBlock parent would refuse
    non-hybrid children); the gluon rnn layers inside are already fused kernels.
    """

    def __init__(self, rnn_layer, vocab_size, **kwargs):
        super(RNNModel, self).__init__(**kwargs)
        self.rnn = rnn_layer
        self.vocab_size = vocab_size
        self.dense = nn.Dense(vocab_size)

    def forward(self, inputs, state):
        """``inputs`` (batch, steps) of indices -> (output (steps*batch, vocab_size), new state)."""
        X = nd.one_hot(inputs.T, self.vocab_size)
        Y, state = self.rnn(X, state)
        return self.dense(Y.reshape((-1, Y.shape[-1]))), state

    def begin_state(self, *args, **kwargs):
        """The rnn layer's initial state (e.g. ``batch_size=..., ctx=...``)."""
        return self.rnn.begin_state(*args, **kwargs)
