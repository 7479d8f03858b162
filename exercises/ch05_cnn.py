"""Chapter 5, Convolutional neural networks: exercises.

How to work on these:
- Replace each ``raise NotImplementedError(...)`` with your code, and each ``None`` answer with your answer
  in the format its comment asks for. Leave the names and signatures as they are.
- Use MXNet (``from mxnet import nd``, ``from mxnet.gluon import nn``); ``import d2lzh as d2l`` is allowed.
- Check your work with ``python -m grader ch05``.
"""
from mxnet import nd  # noqa: F401  (you will need them)
from mxnet.gluon import nn

# ---------------------------------------------------------------------------------------------
# 5.1 Two-dimensional convolutional layers
# ---------------------------------------------------------------------------------------------


# Exercise 5.1.1 (2 points)
def corr2d(X, K):
    """Return the 2-D cross-correlation of X with the kernel K (no padding, stride 1).

    X: NDArray (n_h, n_w); K: NDArray (k_h, k_w). Returns an NDArray (n_h - k_h + 1, n_w - k_w + 1) with
    Y[i, j] = (X[i:i + k_h, j:j + k_w] * K).sum(). Example: X = nd.arange(9).reshape((3, 3)) and
    K = nd.arange(4).reshape((2, 2)) give [[19, 25], [37, 43]].
    """
    raise NotImplementedError("Exercise 5.1.1: implement corr2d")


# ---------------------------------------------------------------------------------------------
# 5.2 Padding and stride
# ---------------------------------------------------------------------------------------------


# Exercise 5.2.1 (2 points)
def conv_out_shape(n_h, n_w, k_h, k_w, p_h=0, p_w=0, s_h=1, s_w=1):
    """Return the output shape (height, width) of a 2-D convolution, as a tuple of two ints.

    n: input size, k: kernel size, p: padding added on EACH side (Gluon's ``padding``), s: stride.
    An 8 x 8 input with a 3 x 3 kernel, padding 1 and stride 2 gives (4, 4).
    """
    raise NotImplementedError("Exercise 5.2.1: implement conv_out_shape")


# ---------------------------------------------------------------------------------------------
# 5.3 Multiple input and output channels
# ---------------------------------------------------------------------------------------------


# Exercise 5.3.1 (3 points)
def corr2d_multi_in_out(X, K):
    """Return the cross-correlation of a multi-channel X with a bank of multi-channel kernels K.

    X: NDArray (c_i, n_h, n_w); K: NDArray (c_o, c_i, k_h, k_w). Output channel o is the sum over input
    channels i of corr2d(X[i], K[o, i]). Returns an NDArray (c_o, n_h - k_h + 1, n_w - k_w + 1).
    Your corr2d above (with nd.add_n and nd.stack) is all you need.
    """
    raise NotImplementedError("Exercise 5.3.1: implement corr2d_multi_in_out")


# ---------------------------------------------------------------------------------------------
# 5.4 Pooling
# ---------------------------------------------------------------------------------------------


# Exercise 5.4.1 (2 points)
def pool2d(X, pool_size, mode="max"):
    """Return max pooling (mode="max") or average pooling (mode="avg") of X, stride 1, no padding.

    X: NDArray (n_h, n_w); pool_size: a tuple (p_h, p_w). Returns an NDArray (n_h - p_h + 1, n_w - p_w + 1).
    """
    raise NotImplementedError("Exercise 5.4.1: implement pool2d")


# ---------------------------------------------------------------------------------------------
# 5.5 Convolutional neural networks (LeNet)
# ---------------------------------------------------------------------------------------------


# Exercise 5.5.1 (3 points)
def build_lenet():
    """Return the book's LeNet as an nn.Sequential, not yet initialised (the grader initialises it).

    Layers: Conv2D(6 channels, 5 x 5, sigmoid), MaxPool2D(2, stride 2), Conv2D(16, 5 x 5, sigmoid),
    MaxPool2D(2, stride 2), Dense(120, sigmoid), Dense(84, sigmoid), Dense(10).
    On input of shape (n, 1, 28, 28) it outputs (n, 10). The grader compares the output shape and the
    number of parameters with the book's network.
    """
    raise NotImplementedError("Exercise 5.5.1: implement build_lenet")


# ---------------------------------------------------------------------------------------------
# 5.10 Batch normalization
# ---------------------------------------------------------------------------------------------

# Exercise 5.10.1 (1 point)
# In the concise LeNet with batch normalization, what does in_channels=6 mean in nn.BatchNorm(in_channels=6)?
#   (a) the input to the layer has 6 channels, so gamma, beta and the running mean and variance
#       (each of shape (6,)) are created at once instead of waiting for the first forward pass
#   (b) the layer outputs 6 channels
#   (c) the layer normalises over groups of 6 examples
# Answer: one letter, "a", "b" or "c".
BATCHNORM_IN_CHANNELS = None

# ---------------------------------------------------------------------------------------------
# 5.11 Residual networks (ResNet)
# ---------------------------------------------------------------------------------------------


# Exercise 5.11.1 (4 points)
class Residual(nn.Block):
    """The book's residual block: Residual(num_channels, use_1x1conv=False, strides=1).

    Main path: Conv2D(num_channels, 3 x 3, padding 1, strides) -> BatchNorm -> relu ->
    Conv2D(num_channels, 3 x 3, padding 1) -> BatchNorm. Shortcut: the input itself, or, when use_1x1conv
    is True, Conv2D(num_channels, 1 x 1, strides) applied to it. Output: relu(main path + shortcut).
    Residual(3) keeps a (4, 3, 6, 6) input's shape; Residual(6, use_1x1conv=True, strides=2) turns it
    into (4, 6, 3, 3). The grader checks output shapes, parameter counts and the shortcut.
    """

    def __init__(self, num_channels, use_1x1conv=False, strides=1, **kwargs):
        super().__init__(**kwargs)
        raise NotImplementedError("Exercise 5.11.1: implement Residual.__init__ and Residual.forward")

    def forward(self, X):
        raise NotImplementedError("Exercise 5.11.1: implement Residual.forward")


# ---------------------------------------------------------------------------------------------
# 5.12 Densely connected networks (DenseNet)
# ---------------------------------------------------------------------------------------------

# Exercise 5.12.1 (2 points)
# A dense block has 3 convolution blocks with 8 output channels each, and its input has 3 channels.
# How many channels does the block output?
# Answer: an int.
DENSE_BLOCK_CHANNELS = None
