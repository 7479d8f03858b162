"""Chapter 5, Convolutional neural networks: exercises.

Topics:
- cross-correlation, padding and stride, multiple input and output channels, 1 x 1 convolution as a
  fully connected layer over the channels, pooling
- LeNet: building it, its output shapes layer by layer, its parameter count, training it (slow)
- VGG, NiN and GoogLeNet: their blocks, block output shapes and parameter counts of whole nets
  (computed, not allocated)
- batch normalisation from scratch: training and prediction statistics, moving averages, fully
  connected and convolutional inputs; the parameters it adds
- ResNet: the residual block and the output shape of every stage of ResNet-18
- DenseNet: the dense block, the transition block and the channels through a whole DenseNet

How to work on these:
- Replace each ``raise NotImplementedError(...)`` with your code, and each ``None`` answer with your answer
  in the format its comment asks for. Leave the names and signatures as they are.
- Use MXNet (``from mxnet import nd``, ``from mxnet.gluon import nn``); ``import d2lzh as d2l`` is allowed.
- Check your work with ``python -m grader ch05``.
"""
from mxnet import autograd, gluon, init, nd  # noqa: F401  (you will need them)
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


# Exercise 5.3.2 (2 points)
def corr2d_multi_in_out_1x1(X, K):
    """Return the cross-correlation of X with a bank of 1 x 1 kernels K, computed as one matrix product.

    X: NDArray (c_i, h, w); K: NDArray (c_o, c_i, 1, 1). Reshape X to (c_i, h * w) and K to (c_o, c_i), take
    nd.dot, and reshape the product to (c_o, h, w). It equals corr2d_multi_in_out(X, K): a 1 x 1 convolution
    is a fully connected layer applied at every pixel, mixing the channels.
    """
    raise NotImplementedError("Exercise 5.3.2: implement corr2d_multi_in_out_1x1")


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


# Exercise 5.5.2 (2 points)
def lenet_output_shapes(batch_size, height, width):
    """Return the output shape of each of the seven layers of build_lenet's net, as a list of seven tuples.

    The input has shape (batch_size, 1, height, width). For 28 x 28 images the first layer outputs
    (batch_size, 6, 24, 24). Work the shapes out from the layers (or run the net): height and width vary.
    """
    raise NotImplementedError("Exercise 5.5.2: implement lenet_output_shapes")


# Exercise 5.5.3 (2 points)
def lenet_param_count(height, width, num_classes):
    """Return the number of parameters of build_lenet's net with Dense(num_classes) as its last layer.

    The input is a single-channel height x width image. Count weights and biases, as an int.
    """
    raise NotImplementedError("Exercise 5.5.3: implement lenet_param_count")


# Exercise 5.5.4 (4 points)
# A slow exercise: graded only with python -m grader --slow.
def train_cnn(train_features, train_labels, test_features, ctx):
    """Build a small CNN, train it on the training set on the context ctx, and predict the test set.

    train_features: NDArray (n, 1, 28, 28), float32 pixel values in [0, 1], like the batches of
    d2l.load_data_fashion_mnist; train_labels: NDArray (n,) of class indices 0..9; test_features: NDArray
    (m, 1, 28, 28). Return the predicted class of every test image, an NDArray (m,) computed on ctx.
    The grader makes the data (a synthetic Fashion-MNIST stand-in with 1000 training and 500 test images)
    and keeps the test labels: you need a test accuracy of at least 0.7. A LeNet with batch normalisation
    (section 5.10) and relu, trained with gluon.Trainer(..., 'adam', {'learning_rate': 0.001}) for 3 epochs
    of batches of 32, gets there in seconds; the book's sigmoid LeNet needs far more epochs.
    """
    raise NotImplementedError("Exercise 5.5.4: implement train_cnn")


# ---------------------------------------------------------------------------------------------
# 5.7 Networks using blocks (VGG)
# ---------------------------------------------------------------------------------------------


# Exercise 5.7.1 (2 points)
def vgg_block(num_convs, num_channels):
    """Return the book's VGG block as an nn.Sequential (not initialised).

    num_convs layers Conv2D(num_channels, 3 x 3, padding 1, relu), then MaxPool2D(2, stride 2).
    vgg_block(2, 128) turns an input of shape (1, 3, 32, 32) into (1, 128, 16, 16).
    """
    raise NotImplementedError("Exercise 5.7.1: implement vgg_block")


# Exercise 5.7.2 (3 points)
def vgg_param_count(conv_arch, in_channels, image_size, num_classes):
    """Return the number of parameters of the book's VGG, as an int, without building the network.

    conv_arch: a tuple of (num_convs, num_channels) pairs, one VGG block each; the book's VGG-11 uses
    ((1, 64), (1, 128), (2, 256), (2, 512), (2, 512)). After the blocks: Dense(4096, relu), Dropout(0.5),
    Dense(4096, relu), Dropout(0.5), Dense(num_classes). The input has in_channels channels of
    image_size x image_size pixels (image_size is a multiple of 2 ** len(conv_arch)). VGG-11 on 224 x 224
    images holds over 128 million parameters: compute the count, do not allocate it.
    """
    raise NotImplementedError("Exercise 5.7.2: implement vgg_param_count")


# ---------------------------------------------------------------------------------------------
# 5.8 Network in network (NiN)
# ---------------------------------------------------------------------------------------------


# Exercise 5.8.1 (2 points)
def nin_block(num_channels, kernel_size, strides, padding):
    """Return the book's NiN block as an nn.Sequential (not initialised).

    Conv2D(num_channels, kernel_size, strides, padding, relu), then two Conv2D(num_channels, 1 x 1, relu).
    """
    raise NotImplementedError("Exercise 5.8.1: implement nin_block")


# Exercise 5.8.2 (2 points)
def nin_param_count(in_channels, num_classes):
    """Return the number of parameters of the book's NiN for in_channels input channels, as an int.

    The net: nin_block(96, 11, 4, 0), MaxPool2D(3, 2), nin_block(256, 5, 1, 2), MaxPool2D(3, 2),
    nin_block(384, 3, 1, 1), MaxPool2D(3, 2), Dropout(0.5), nin_block(num_classes, 3, 1, 1),
    GlobalAvgPool2D(), Flatten(). Notice that no image size is given: why does the count not need one?
    """
    raise NotImplementedError("Exercise 5.8.2: implement nin_param_count")


# ---------------------------------------------------------------------------------------------
# 5.9 Networks with parallel concatenations (GoogLeNet)
# ---------------------------------------------------------------------------------------------


# Exercise 5.9.1 (3 points)
class Inception(nn.Block):
    """The book's Inception block: Inception(c1, c2, c3, c4), c2 and c3 being pairs.

    Four parallel paths, all with relu: p1 Conv2D(c1, 1 x 1); p2 Conv2D(c2[0], 1 x 1) then
    Conv2D(c2[1], 3 x 3, padding 1); p3 Conv2D(c3[0], 1 x 1) then Conv2D(c3[1], 5 x 5, padding 2);
    p4 MaxPool2D(3, stride 1, padding 1) then Conv2D(c4, 1 x 1). forward concatenates the four outputs on
    the channel axis, in that order. Inception(64, (96, 128), (16, 32), 32) turns (1, 192, 28, 28) into
    (1, 256, 28, 28).
    """

    def __init__(self, c1, c2, c3, c4, **kwargs):
        super().__init__(**kwargs)
        raise NotImplementedError("Exercise 5.9.1: implement Inception.__init__ and Inception.forward")

    def forward(self, x):
        raise NotImplementedError("Exercise 5.9.1: implement Inception.forward")


# Exercise 5.9.2 (2 points)
def googlenet_block_shapes(image_size):
    """Return the output shape of each of the five blocks b1..b5 of the book's GoogLeNet, as a list.

    The input has shape (1, 1, image_size, image_size). Blocks as in section 5.9:
    b1: Conv2D(64, 7 x 7, stride 2, padding 3, relu), MaxPool2D(3, 2, padding 1);
    b2: Conv2D(64, 1 x 1, relu), Conv2D(192, 3 x 3, padding 1, relu), MaxPool2D(3, 2, padding 1);
    b3: Inception(64, (96, 128), (16, 32), 32), Inception(128, (128, 192), (32, 96), 64),
        MaxPool2D(3, 2, padding 1);
    b4: Inception(192, (96, 208), (16, 48), 64), Inception(160, (112, 224), (24, 64), 64),
        Inception(128, (128, 256), (24, 64), 64), Inception(112, (144, 288), (32, 64), 64),
        Inception(256, (160, 320), (32, 128), 128), MaxPool2D(3, 2, padding 1);
    b5: Inception(256, (160, 320), (32, 128), 128), Inception(384, (192, 384), (48, 128), 128), GlobalAvgPool2D().
    Return five (channels, height, width) tuples, leaving out the batch axis.
    """
    raise NotImplementedError("Exercise 5.9.2: implement googlenet_block_shapes")


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


# Exercise 5.10.2 (4 points)
def batch_norm(X, gamma, beta, moving_mean, moving_var, eps, momentum):
    """The book's batch normalisation from scratch; returns (Y, moving_mean, moving_var).

    X: NDArray (n, features) after a fully connected layer, or (n, channels, h, w) after a convolution.
    gamma, beta, moving_mean, moving_var: NDArrays of shape (1, features) or (1, channels, 1, 1).
    While autograd records (training), normalise with the mean and (biased) variance of this batch, taken
    per feature, or per channel over the examples and all pixels, and update the moving statistics:
    moving = momentum * moving + (1 - momentum) * batch statistic. Otherwise (prediction) normalise with
    moving_mean and moving_var and return them unchanged. Y = gamma * (X - mean) / sqrt(var + eps) + beta.
    Tell the modes apart with autograd.is_training().
    """
    raise NotImplementedError("Exercise 5.10.2: implement batch_norm")


# Exercise 5.10.3 (2 points)
def bn_lenet_param_counts(height, width):
    """Return (all parameters, trainable parameters) of the book's LeNet with batch normalisation.

    The net of section 5.10: Conv2D(6, 5), BatchNorm, sigmoid, MaxPool2D(2, 2), Conv2D(16, 5), BatchNorm,
    sigmoid, MaxPool2D(2, 2), Dense(120), BatchNorm, sigmoid, Dense(84), BatchNorm, sigmoid, Dense(10),
    on single-channel height x width images. All parameters include what net.collect_params() holds
    besides the trainable ones. Return a tuple of two ints.
    """
    raise NotImplementedError("Exercise 5.10.3: implement bn_lenet_param_counts")

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


# Exercise 5.11.2 (3 points)
def resnet18_stage_shapes(image_size):
    """Return the output shape of each of the four ResNet blocks (stages) of the book's ResNet-18.

    The net of section 5.11: Conv2D(64, 7 x 7, stride 2, padding 3), BatchNorm, relu, MaxPool2D(3, 2,
    padding 1), then resnet_block(64, 2, first_block=True), resnet_block(128, 2), resnet_block(256, 2),
    resnet_block(512, 2), where every block but the first halves height and width in its first Residual.
    The input has shape (1, 1, image_size, image_size). Return four (channels, height, width) tuples.
    """
    raise NotImplementedError("Exercise 5.11.2: implement resnet18_stage_shapes")


# ---------------------------------------------------------------------------------------------
# 5.12 Densely connected networks (DenseNet)
# ---------------------------------------------------------------------------------------------

# Exercise 5.12.1 (2 points)
# A dense block has 3 convolution blocks with 8 output channels each, and its input has 3 channels.
# How many channels does the block output?
# Answer: an int.
DENSE_BLOCK_CHANNELS = None


# Exercise 5.12.2 (3 points)
class DenseBlock(nn.Block):
    """The book's dense block: DenseBlock(num_convs, num_channels).

    num_convs convolution blocks, each BatchNorm, relu, Conv2D(num_channels, 3 x 3, padding 1). forward
    runs them in turn, concatenating each block's input and output on the channel axis (input first) to
    make the next block's input, and returns the last concatenation. DenseBlock(2, 10) turns an input of
    shape (4, 3, 8, 8) into (4, 23, 8, 8).
    """

    def __init__(self, num_convs, num_channels, **kwargs):
        super().__init__(**kwargs)
        raise NotImplementedError("Exercise 5.12.2: implement DenseBlock.__init__ and DenseBlock.forward")

    def forward(self, X):
        raise NotImplementedError("Exercise 5.12.2: implement DenseBlock.forward")


# Exercise 5.12.3 (2 points)
def transition_block(num_channels):
    """Return the book's transition block as an nn.Sequential (not initialised).

    BatchNorm, relu, Conv2D(num_channels, 1 x 1), AvgPool2D(2, stride 2): the 1 x 1 convolution sets the
    number of channels, the pooling halves height and width. transition_block(10) turns (4, 23, 8, 8)
    into (4, 10, 4, 4).
    """
    raise NotImplementedError("Exercise 5.12.3: implement transition_block")


# Exercise 5.12.4 (3 points)
def densenet_channels(num_channels, growth_rate, num_convs_in_dense_blocks):
    """Return the number of channels after every dense block and every transition block of a DenseNet.

    The first dense block gets num_channels channels; every dense block has the given number of
    convolution blocks of growth_rate channels each; between two dense blocks a transition block halves
    the channels (integer division by 2); there is no transition after the last dense block. The book's
    DenseNet is densenet_channels(64, 32, [4, 4, 4, 4]). Return a list of ints: block, transition,
    block, ..., block.
    """
    raise NotImplementedError("Exercise 5.12.4: implement densenet_channels")
