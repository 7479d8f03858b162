"""Chapter 5, Convolutional neural networks: model solutions (same names as exercises/ch05_cnn.py)."""
from mxnet import autograd, gluon, init, nd
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


# Exercise 5.3.2
def corr2d_multi_in_out_1x1(X, K):
    """A 1 x 1 convolution is a matrix product over the channels, at every pixel."""
    c_i, h, w = X.shape
    c_o = K.shape[0]
    Y = nd.dot(K.reshape((c_o, c_i)), X.reshape((c_i, h * w)))
    return Y.reshape((c_o, h, w))


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


# Exercise 5.5.2
def lenet_output_shapes(batch_size, height, width):
    """5 x 5 convolutions take 4 pixels off, 2 x 2 pooling with stride 2 halves (rounding down)."""
    h1, w1 = height - 4, width - 4
    h2, w2 = h1 // 2, w1 // 2
    h3, w3 = h2 - 4, w2 - 4
    h4, w4 = h3 // 2, w3 // 2
    return [(batch_size, 6, h1, w1), (batch_size, 6, h2, w2), (batch_size, 16, h3, w3), (batch_size, 16, h4, w4),
            (batch_size, 120), (batch_size, 84), (batch_size, 10)]


def _dense_params(in_units, units):
    """Weights and biases of a Dense layer."""
    return in_units * units + units


def _conv_params(in_channels, channels, kernel_size):
    """Weights and biases of a Conv2D layer with a square kernel."""
    return in_channels * channels * kernel_size * kernel_size + channels


# Exercise 5.5.3
def lenet_param_count(height, width, num_classes):
    """Two convolutions, then three Dense layers on the flattened 16-channel map."""
    _, _, _, (_, channels, h, w), _, _, _ = lenet_output_shapes(1, height, width)
    return (_conv_params(1, 6, 5) + _conv_params(6, 16, 5) + _dense_params(channels * h * w, 120)
            + _dense_params(120, 84) + _dense_params(84, num_classes))


def _bn_lenet():
    """LeNet with batch normalisation after every convolution and hidden Dense layer, and relu (section 5.10)."""
    net = nn.Sequential()
    net.add(nn.Conv2D(6, kernel_size=5), nn.BatchNorm(), nn.Activation("relu"), nn.MaxPool2D(pool_size=2, strides=2),
            nn.Conv2D(16, kernel_size=5), nn.BatchNorm(), nn.Activation("relu"), nn.MaxPool2D(pool_size=2, strides=2),
            nn.Dense(120), nn.BatchNorm(), nn.Activation("relu"),
            nn.Dense(84), nn.BatchNorm(), nn.Activation("relu"),
            nn.Dense(10))
    return net


# Exercise 5.5.4
def train_cnn(train_features, train_labels, test_features, ctx):
    """A LeNet with batch normalisation and relu, trained on ctx with Adam (3 epochs)."""
    net = _bn_lenet()
    net.initialize(init=init.Xavier(), ctx=ctx)
    trainer = gluon.Trainer(net.collect_params(), "adam", {"learning_rate": 0.001})
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    batches = gluon.data.DataLoader(gluon.data.ArrayDataset(train_features, train_labels), batch_size=32,
                                    shuffle=True)
    for _ in range(3):
        for X, y in batches:
            X, y = X.as_in_context(ctx), y.as_in_context(ctx)
            with autograd.record():
                l = loss(net(X), y)
            l.backward()
            trainer.step(X.shape[0])
    return net(test_features.as_in_context(ctx)).argmax(axis=1)


# ---------------------------------------------------------------------------------------------
# 5.7 Networks using blocks (VGG)
# ---------------------------------------------------------------------------------------------


# Exercise 5.7.1
def vgg_block(num_convs, num_channels):
    """num_convs 3 x 3 convolutions that keep height and width, then a pooling that halves them."""
    blk = nn.Sequential()
    for _ in range(num_convs):
        blk.add(nn.Conv2D(num_channels, kernel_size=3, padding=1, activation="relu"))
    blk.add(nn.MaxPool2D(pool_size=2, strides=2))
    return blk


# Exercise 5.7.2
def vgg_param_count(conv_arch, in_channels, image_size, num_classes):
    """3 x 3 convolutions with biases, then three Dense layers on the flattened last block."""
    count, channels = 0, in_channels
    for num_convs, num_channels in conv_arch:
        for _ in range(num_convs):
            count += _conv_params(channels, num_channels, 3)
            channels = num_channels
    side = image_size // 2 ** len(conv_arch)
    return count + _dense_params(channels * side * side, 4096) + _dense_params(4096, 4096) + _dense_params(
        4096, num_classes)


# ---------------------------------------------------------------------------------------------
# 5.8 Network in network (NiN)
# ---------------------------------------------------------------------------------------------


# Exercise 5.8.1
def nin_block(num_channels, kernel_size, strides, padding):
    """One spatial convolution, then two 1 x 1 convolutions acting as a per-pixel MLP."""
    blk = nn.Sequential()
    blk.add(nn.Conv2D(num_channels, kernel_size, strides, padding, activation="relu"),
            nn.Conv2D(num_channels, kernel_size=1, activation="relu"),
            nn.Conv2D(num_channels, kernel_size=1, activation="relu"))
    return blk


def _nin_block_params(in_channels, channels, kernel_size):
    """Parameters of one NiN block."""
    return _conv_params(in_channels, channels, kernel_size) + 2 * _conv_params(channels, channels, 1)


# Exercise 5.8.2
def nin_param_count(in_channels, num_classes):
    """Only convolutions, whose parameters do not depend on the image size; no Dense layer."""
    return (_nin_block_params(in_channels, 96, 11) + _nin_block_params(96, 256, 5) + _nin_block_params(256, 384, 3)
            + _nin_block_params(384, num_classes, 3))


# ---------------------------------------------------------------------------------------------
# 5.9 Networks with parallel concatenations (GoogLeNet)
# ---------------------------------------------------------------------------------------------


# Exercise 5.9.1
class Inception(nn.Block):
    """Four parallel paths concatenated on the channel axis."""

    def __init__(self, c1, c2, c3, c4, **kwargs):
        super().__init__(**kwargs)
        self.p1_1 = nn.Conv2D(c1, kernel_size=1, activation="relu")
        self.p2_1 = nn.Conv2D(c2[0], kernel_size=1, activation="relu")
        self.p2_2 = nn.Conv2D(c2[1], kernel_size=3, padding=1, activation="relu")
        self.p3_1 = nn.Conv2D(c3[0], kernel_size=1, activation="relu")
        self.p3_2 = nn.Conv2D(c3[1], kernel_size=5, padding=2, activation="relu")
        self.p4_1 = nn.MaxPool2D(pool_size=3, strides=1, padding=1)
        self.p4_2 = nn.Conv2D(c4, kernel_size=1, activation="relu")

    def forward(self, x):
        p1 = self.p1_1(x)
        p2 = self.p2_2(self.p2_1(x))
        p3 = self.p3_2(self.p3_1(x))
        p4 = self.p4_2(self.p4_1(x))
        return nd.concat(p1, p2, p3, p4, dim=1)


def _halved(size, times):
    """size after times of (3 x 3, stride 2, padding 1) poolings or a 7 x 7 stride-2 convolution with padding 3."""
    for _ in range(times):
        size = (size - 1) // 2 + 1
    return size


# Exercise 5.9.2
def googlenet_block_shapes(image_size):
    """b1 halves twice, b2..b4 once each; the Inception blocks keep height and width."""
    b1 = _halved(image_size, 2)
    return [(64, b1, b1), (192, _halved(b1, 1), _halved(b1, 1)), (480, _halved(b1, 2), _halved(b1, 2)),
            (832, _halved(b1, 3), _halved(b1, 3)), (1024, 1, 1)]


# ---------------------------------------------------------------------------------------------
# 5.10 Batch normalization
# ---------------------------------------------------------------------------------------------

# Exercise 5.10.1: what does in_channels=6 mean in nn.BatchNorm(in_channels=6)?
BATCHNORM_IN_CHANNELS = "a"



# Exercise 5.10.2
def batch_norm(X, gamma, beta, moving_mean, moving_var, eps, momentum):
    """Batch statistics while training (updating the moving ones), moving statistics for prediction."""
    if not autograd.is_training():
        X_hat = (X - moving_mean) / nd.sqrt(moving_var + eps)
    else:
        if len(X.shape) == 2:
            mean = X.mean(axis=0)
            var = ((X - mean) ** 2).mean(axis=0)
        else:
            mean = X.mean(axis=(0, 2, 3), keepdims=True)
            var = ((X - mean) ** 2).mean(axis=(0, 2, 3), keepdims=True)
        X_hat = (X - mean) / nd.sqrt(var + eps)
        moving_mean = momentum * moving_mean + (1.0 - momentum) * mean
        moving_var = momentum * moving_var + (1.0 - momentum) * var
    return gamma * X_hat + beta, moving_mean, moving_var


# Exercise 5.10.3
def bn_lenet_param_counts(height, width):
    """LeNet's parameters, plus gamma and beta (trainable) and the running mean and variance per BN feature."""
    bn_features = 6 + 16 + 120 + 84
    trainable = lenet_param_count(height, width, 10) + 2 * bn_features
    return trainable + 2 * bn_features, trainable

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


# Exercise 5.11.2
def resnet18_stage_shapes(image_size):
    """The stem divides height and width by 4 (convolution and pooling, both stride 2); every stage
    after the first halves them again, while the channels double."""
    side = _halved(image_size, 2)
    shapes = []
    for stage, channels in enumerate((64, 128, 256, 512)):
        side = side if stage == 0 else _halved(side, 1)
        shapes.append((channels, side, side))
    return shapes


# ---------------------------------------------------------------------------------------------
# 5.12 Densely connected networks (DenseNet)
# ---------------------------------------------------------------------------------------------

# Exercise 5.12.1: output channels of a dense block of 3 conv blocks with 8 channels each, 3 input channels.
DENSE_BLOCK_CHANNELS = 3 + 3 * 8



def _conv_block(num_channels):
    """BatchNorm, relu, then a 3 x 3 convolution: the unit a dense block repeats."""
    blk = nn.Sequential()
    blk.add(nn.BatchNorm(), nn.Activation("relu"), nn.Conv2D(num_channels, kernel_size=3, padding=1))
    return blk


# Exercise 5.12.2
class DenseBlock(nn.Block):
    """Each conv block's output is concatenated to its input on the channel axis."""

    def __init__(self, num_convs, num_channels, **kwargs):
        super().__init__(**kwargs)
        self.net = nn.Sequential()
        for _ in range(num_convs):
            self.net.add(_conv_block(num_channels))

    def forward(self, X):
        for blk in self.net:
            Y = blk(X)
            X = nd.concat(X, Y, dim=1)
        return X


# Exercise 5.12.3
def transition_block(num_channels):
    """A 1 x 1 convolution sets the channels; average pooling with stride 2 halves height and width."""
    blk = nn.Sequential()
    blk.add(nn.BatchNorm(), nn.Activation("relu"), nn.Conv2D(num_channels, kernel_size=1),
            nn.AvgPool2D(pool_size=2, strides=2))
    return blk


# Exercise 5.12.4
def densenet_channels(num_channels, growth_rate, num_convs_in_dense_blocks):
    """A dense block adds num_convs * growth_rate channels to its input's; a transition halves them."""
    channels = []
    for i, num_convs in enumerate(num_convs_in_dense_blocks):
        num_channels += num_convs * growth_rate
        channels.append(num_channels)
        if i != len(num_convs_in_dense_blocks) - 1:
            num_channels //= 2
            channels.append(num_channels)
    return channels
