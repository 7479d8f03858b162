"""Chapter 5, Convolutional neural networks: model solutions (same names as exercises/ch05_cnn.py)."""
from mxnet import nd
from mxnet.gluon import nn

# ---------------------------------------------------------------------------------------------
# 5.1 Two-dimensional convolutional layers
# ---------------------------------------------------------------------------------------------


# Exercise 5.1.1
def corr2d(X, K):
    """2-D cross-correlation of X with kernel K (no padding, stride 1)."""
    h, w = K.shape
    Y = nd.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i:i + h, j:j + w] * K).sum()
    return Y


# ---------------------------------------------------------------------------------------------
# 5.2 Padding and stride
# ---------------------------------------------------------------------------------------------


# Exercise 5.2.1
def conv_out_shape(n_h, n_w, k_h, k_w, p_h=0, p_w=0, s_h=1, s_w=1):
    """Output (height, width) of a convolution with per-side padding p and stride s."""
    return (n_h - k_h + 2 * p_h) // s_h + 1, (n_w - k_w + 2 * p_w) // s_w + 1


# ---------------------------------------------------------------------------------------------
# 5.3 Multiple input and output channels
# ---------------------------------------------------------------------------------------------


def corr2d_multi_in(X, K):
    """Sum over input channels of the per-channel cross-correlations."""
    return nd.add_n(*[corr2d(x, k) for x, k in zip(X, K)])


# Exercise 5.3.1
def corr2d_multi_in_out(X, K):
    """One output channel per kernel K[i], each summing over X's input channels."""
    return nd.stack(*[corr2d_multi_in(X, k) for k in K])


# ---------------------------------------------------------------------------------------------
# 5.4 Pooling
# ---------------------------------------------------------------------------------------------


# Exercise 5.4.1
def pool2d(X, pool_size, mode="max"):
    """Max or average pooling of the 2-D array X, stride 1, no padding."""
    p_h, p_w = pool_size
    Y = nd.zeros((X.shape[0] - p_h + 1, X.shape[1] - p_w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            window = X[i:i + p_h, j:j + p_w]
            Y[i, j] = window.max() if mode == "max" else window.mean()
    return Y


# ---------------------------------------------------------------------------------------------
# 5.5 Convolutional neural networks (LeNet)
# ---------------------------------------------------------------------------------------------


# Exercise 5.5.1
def build_lenet():
    """The book's LeNet for 28 x 28 single-channel images and 10 classes (not initialised)."""
    net = nn.Sequential()
    net.add(nn.Conv2D(channels=6, kernel_size=5, activation="sigmoid"),
            nn.MaxPool2D(pool_size=2, strides=2),
            nn.Conv2D(channels=16, kernel_size=5, activation="sigmoid"),
            nn.MaxPool2D(pool_size=2, strides=2),
            nn.Dense(120, activation="sigmoid"),
            nn.Dense(84, activation="sigmoid"),
            nn.Dense(10))
    return net


# ---------------------------------------------------------------------------------------------
# 5.10 Batch normalization
# ---------------------------------------------------------------------------------------------

# Exercise 5.10.1: what does in_channels=6 mean in nn.BatchNorm(in_channels=6)?
BATCHNORM_IN_CHANNELS = "a"

# ---------------------------------------------------------------------------------------------
# 5.11 Residual networks (ResNet)
# ---------------------------------------------------------------------------------------------


# Exercise 5.11.1
class Residual(nn.Block):
    """Two 3 x 3 conv + batch-norm layers with a shortcut; a 1 x 1 conv on the shortcut if asked."""

    def __init__(self, num_channels, use_1x1conv=False, strides=1, **kwargs):
        super().__init__(**kwargs)
        self.conv1 = nn.Conv2D(num_channels, kernel_size=3, padding=1, strides=strides)
        self.conv2 = nn.Conv2D(num_channels, kernel_size=3, padding=1)
        self.conv3 = nn.Conv2D(num_channels, kernel_size=1, strides=strides) if use_1x1conv else None
        self.bn1 = nn.BatchNorm()
        self.bn2 = nn.BatchNorm()

    def forward(self, X):
        Y = nd.relu(self.bn1(self.conv1(X)))
        Y = self.bn2(self.conv2(Y))
        if self.conv3:
            X = self.conv3(X)
        return nd.relu(Y + X)


# ---------------------------------------------------------------------------------------------
# 5.12 Densely connected networks (DenseNet)
# ---------------------------------------------------------------------------------------------

# Exercise 5.12.1: output channels of a dense block of 3 conv blocks with 8 channels each, 3 input channels.
DENSE_BLOCK_CHANNELS = 3 + 3 * 8
