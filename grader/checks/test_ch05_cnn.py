"""Checks for exercises/ch05_cnn.py: chapter 5, Convolutional neural networks."""
import math

import mxnet as mx
import numpy as np
from mxnet import autograd
from mxnet.gluon import nn

from d2lzh.data.synthetic import class_templates, fashion_mnist_arrays
from d2lzh.models import resnet_block
from grader.checking import assert_answer, assert_close, assert_equal, checkpoint, exercise, nd
from grader.probes import forward_summary

CHAPTER = "ch05_cnn"

# Salted digests of the answer constants: python -m grader.answers <exercise id> '<answer>'.
DIGESTS = {
    "ch05.batchnorm_in_channels":
        "sha256:daae963c2ed02777e780d90ffe37bd79324a60c6eeba2c27a1a7d63126fbe698",
    "ch05.dense_block_channels":
        "sha256:7f73ebaf43c06d43fa4e8f6e67fc6a97a8e0801cff1d950ec6d726e79f75246b",
}


def _convolve(X, K, **options):
    """MXNet oracle: cross-correlate a (c_i, h, w) X with a (c_o, c_i, k_h, k_w) bank K, no bias."""
    out = mx.nd.Convolution(mx.nd.array(X[None]), mx.nd.array(K), kernel=K.shape[2:], num_filter=K.shape[0],
                            no_bias=True, **options)
    return out[0].asnumpy()


def _reference_lenet(num_classes=10):
    """The book's LeNet (section 5.5), the reference for build_lenet."""
    net = nn.HybridSequential()
    net.add(nn.Conv2D(6, kernel_size=5, activation="sigmoid"), nn.MaxPool2D(pool_size=2, strides=2),
            nn.Conv2D(16, kernel_size=5, activation="sigmoid"), nn.MaxPool2D(pool_size=2, strides=2),
            nn.Dense(120, activation="sigmoid"), nn.Dense(84, activation="sigmoid"), nn.Dense(num_classes))
    return net


def _reference_bn_lenet():
    """The book's LeNet with batch normalisation (section 5.10)."""
    net = nn.HybridSequential()
    net.add(nn.Conv2D(6, kernel_size=5), nn.BatchNorm(), nn.Activation("sigmoid"), nn.MaxPool2D(pool_size=2, strides=2),
            nn.Conv2D(16, kernel_size=5), nn.BatchNorm(), nn.Activation("sigmoid"), nn.MaxPool2D(pool_size=2, strides=2),
            nn.Dense(120), nn.BatchNorm(), nn.Activation("sigmoid"),
            nn.Dense(84), nn.BatchNorm(), nn.Activation("sigmoid"), nn.Dense(10))
    return net


def _stack(*layers):
    """An nn.HybridSequential of layers, in order."""
    blk = nn.HybridSequential()
    blk.add(*layers)
    return blk


def _relu_conv(num_channels, kernel_size):
    """A relu convolution that keeps height and width (odd kernel_size, padding kernel_size // 2)."""
    return nn.Conv2D(num_channels, kernel_size, padding=kernel_size // 2, activation="relu")


def _reference_vgg_block(num_convs, num_channels):
    """The book's VGG block (section 5.7): num_convs 3 x 3 relu convolutions, then 2 x 2 max pooling."""
    return _stack(*[_relu_conv(num_channels, 3) for _ in range(num_convs)], nn.MaxPool2D(2, 2))


def _reference_vgg(conv_arch, num_classes):
    """The book's VGG: one VGG block per (num_convs, num_channels), then three Dense layers."""
    features = [_reference_vgg_block(*stage) for stage in conv_arch]
    return _stack(*features, nn.Dense(4096, activation="relu"), nn.Dropout(0.5),
                  nn.Dense(4096, activation="relu"), nn.Dropout(0.5), nn.Dense(num_classes))


def _reference_nin_block(num_channels, kernel_size, strides, padding):
    """The book's NiN block (section 5.8): the given relu convolution, then two 1 x 1 relu convolutions."""
    spatial = nn.Conv2D(num_channels, kernel_size, strides=strides, padding=padding, activation="relu")
    return _stack(spatial, *[_relu_conv(num_channels, 1) for _ in range(2)])


def _reference_nin(num_classes):
    """The book's NiN, with num_classes channels in its last block."""
    return _stack(_reference_nin_block(96, kernel_size=11, strides=4, padding=0), nn.MaxPool2D(pool_size=3, strides=2),
                  _reference_nin_block(256, kernel_size=5, strides=1, padding=2), nn.MaxPool2D(pool_size=3, strides=2),
                  _reference_nin_block(384, kernel_size=3, strides=1, padding=1), nn.MaxPool2D(pool_size=3, strides=2),
                  nn.Dropout(0.5), _reference_nin_block(num_classes, kernel_size=3, strides=1, padding=1),
                  nn.GlobalAvgPool2D(), nn.Flatten())


class _ReferenceInception(nn.HybridBlock):
    """The book's Inception block (section 5.9), hybrid so that GoogLeNet's shapes can be inferred symbolically:
    four paths that keep height and width, concatenated on the channel axis in order."""

    def __init__(self, c1, c2, c3, c4, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.paths = _stack(_relu_conv(c1, 1),
                                _stack(_relu_conv(c2[0], 1), _relu_conv(c2[1], 3)),
                                _stack(_relu_conv(c3[0], 1), _relu_conv(c3[1], 5)),
                                _stack(nn.MaxPool2D(3, 1, padding=1), _relu_conv(c4, 1)))

    def hybrid_forward(self, F, x):
        return F.concat(*[path(x) for path in self.paths], dim=1)


def _reference_googlenet_blocks():
    """The five blocks b1..b5 of the book's GoogLeNet."""
    def pool():
        return nn.MaxPool2D(pool_size=3, strides=2, padding=1)

    inception = _ReferenceInception
    return [
        _stack(nn.Conv2D(64, kernel_size=7, strides=2, padding=3, activation="relu"), pool()),
        _stack(nn.Conv2D(64, kernel_size=1, activation="relu"),
               nn.Conv2D(192, kernel_size=3, padding=1, activation="relu"), pool()),
        _stack(inception(64, (96, 128), (16, 32), 32), inception(128, (128, 192), (32, 96), 64), pool()),
        _stack(inception(192, (96, 208), (16, 48), 64), inception(160, (112, 224), (24, 64), 64),
               inception(128, (128, 256), (24, 64), 64), inception(112, (144, 288), (32, 64), 64),
               inception(256, (160, 320), (32, 128), 128), pool()),
        _stack(inception(256, (160, 320), (32, 128), 128), inception(384, (192, 384), (48, 128), 128),
               nn.GlobalAvgPool2D()),
    ]


def _reference_resnet18_stages():
    """The book's ResNet-18 of section 5.11 up to its last stage: [stem, stage 1, ..., stage 4]."""
    stem = nn.HybridSequential()
    stem.add(nn.Conv2D(64, kernel_size=7, strides=2, padding=3), nn.BatchNorm(), nn.Activation("relu"),
             nn.MaxPool2D(pool_size=3, strides=2, padding=1))
    return [stem, resnet_block(64, 2, first_block=True), resnet_block(128, 2), resnet_block(256, 2),
            resnet_block(512, 2)]


def _bn_relu_conv(num_channels, kernel_size):
    """BatchNorm, relu, then a convolution that keeps height and width: DenseNet's order (section 5.12)."""
    return [nn.BatchNorm(), nn.Activation("relu"), nn.Conv2D(num_channels, kernel_size, padding=kernel_size // 2)]


class _ReferenceDenseBlock(nn.HybridBlock):
    """The book's dense block: num_convs units of BatchNorm, relu and a 3 x 3 convolution, each unit's output
    concatenated to its input."""

    def __init__(self, num_convs, num_channels, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.net = _stack(*[_stack(*_bn_relu_conv(num_channels, 3)) for _ in range(num_convs)])

    def hybrid_forward(self, F, X):
        for blk in self.net:
            X = F.concat(X, blk(X), dim=1)
        return X


def _reference_transition_block(num_channels):
    """The book's transition block: BatchNorm, relu, 1 x 1 convolution, average pooling with stride 2."""
    return _stack(*_bn_relu_conv(num_channels, 1), nn.AvgPool2D(2, 2))


def _reference_densenet_stages(num_channels, growth_rate, num_convs_in_dense_blocks):
    """The book's DenseNet up to its last dense block: [stem, block, transition, ..., block]."""
    stages = [_stack(nn.Conv2D(num_channels, kernel_size=7, strides=2, padding=3), nn.BatchNorm(),
                     nn.Activation("relu"), nn.MaxPool2D(pool_size=3, strides=2, padding=1))]
    for index, convs in enumerate(num_convs_in_dense_blocks):
        if index:  # a transition block between two dense blocks halves the channels
            num_channels //= 2
            stages.append(_reference_transition_block(num_channels))
        stages.append(_ReferenceDenseBlock(convs, growth_rate))
        num_channels += convs * growth_rate
    return stages


def _symbolic_shapes(blocks, input_shape):
    """MXNet oracle that allocates no weights: the output shape after each of blocks, chained symbolically."""
    out, shapes = mx.sym.var("data"), []
    for block in blocks:
        out = block(out)
        shapes.append(tuple(out.infer_shape(data=input_shape)[1][0]))
    return shapes


def _symbolic_params(net, input_shape):
    """MXNet oracle that allocates no weights: ({trainable parameter: shape}, {running statistic: shape})."""
    out = net(mx.sym.var("data"))
    arg_shapes, _, aux_shapes = out.infer_shape(data=input_shape)
    trainable = {name: shape for name, shape in zip(out.list_arguments(), arg_shapes) if name != "data"}
    return trainable, dict(zip(out.list_auxiliary_states(), aux_shapes))


def _size(shapes):
    """The number of values in arrays of the given shapes (a dict's values or a list)."""
    return sum(math.prod(shape) for shape in (shapes.values() if isinstance(shapes, dict) else shapes))


def _gluoncv_model_zoo():
    """gluoncv's model zoo, the second, independent implementation whole-net answers are checked against.

    Imported only here, by the checks that need it: nets are built with pretrained=False and only
    their shapes are inferred, so nothing is downloaded or allocated.
    """
    from gluoncv import model_zoo
    return model_zoo


def _assert_count(got, expected, what, mistakes=()):
    """assert_equal(got, expected), naming a known mistake first when got is the value that mistake gives.

    mistakes: (wrong value, sentence) pairs.
    """
    for wrong, sentence in mistakes:
        if got == wrong and wrong != expected:
            raise AssertionError(f"{what} = {got!r}: {sentence}")
    assert_equal(got, expected, what=what)


def _assert_param_count(got, trainable, what):
    """Compare a parameter count with the size of trainable ({name: shape}), naming a count without biases."""
    weights_only = _size([shape for name, shape in trainable.items() if not name.endswith("bias")])
    _assert_count(got, _size(trainable), what, [(weights_only, "counts the weights only: every Conv2D and Dense "
                                                 "layer also has one bias per output channel or unit")])


def _shape_list(got, what, length):
    """got as a list of length shape tuples, or an AssertionError naming the expected format."""
    if (not isinstance(got, (list, tuple)) or len(got) != length
            or not all(isinstance(shape, (list, tuple)) for shape in got)):
        raise AssertionError(f"{what}: expected a list of {length} shape tuples, got {got!r}")
    return [tuple(shape) for shape in got]


def _load_by_shape(net, params, what):
    """Give each parameter of the initialised net the value of the student's parameter of the same shape."""
    by_shape = {np.shape(value): value for _, value in params}
    for name, param in net.collect_params().items():
        if param.shape not in by_shape:
            raise AssertionError(f"{what} has no parameter of shape {param.shape} (it holds shapes "
                                 f"{sorted(by_shape)})")
        param.set_data(mx.nd.array(by_shape[param.shape]))


def _main_layers(layer_names):
    """The conv, pooling and dense layers among a net's children (activations may be separate layers)."""
    return [name for name in layer_names if name in ("Conv2D", "MaxPool2D", "AvgPool2D", "Dense")]


def _assert_like_reference_block(got, expected, what, layers_checkpoint):
    """Two checkpoints comparing forward_summary results: the output shape, then the main layers in order
    and the number of parameters (layers_checkpoint names the second)."""
    with checkpoint("output shape", 1):
        assert_equal(got["output_shape"], expected["output_shape"], what=f"{what} output shape")
    with checkpoint(layers_checkpoint, 1):
        assert_equal(_main_layers(got["layers"]), _main_layers(expected["layers"]), what="layer types in order")
        assert_equal(got["param_count"], expected["param_count"], what="number of parameters")


def _residual_param_count(in_channels, channels, use_1x1conv):
    """Parameters of the book's Residual block, batch-norm running statistics included."""
    convs = 9 * channels * (in_channels + channels) + 2 * channels
    shortcut = channels * in_channels + channels if use_1x1conv else 0
    return convs + shortcut + 2 * 4 * channels


def _pair(got, what):
    """got as a tuple of two values, or an AssertionError naming the expected format."""
    if not isinstance(got, (list, tuple)) or len(got) != 2:
        raise AssertionError(f"{what}: expected a tuple (height, width), got {got!r}")
    return tuple(got)


@exercise("ch05.corr2d", 2,
          "Loop over output positions: Y[i, j] = (X[i:i + k_h, j:j + k_w] * K).sum(), as the docstring says.")
def test_corr2d(student, rng):
    X = rng.normal(size=(int(rng.integers(4, 8)), int(rng.integers(4, 8))))
    K = rng.normal(size=(int(rng.integers(1, 4)), int(rng.integers(1, 4))))
    got = student.call("corr2d", nd(X), nd(K))
    assert_close(got, _convolve(X[None], K[None, None])[0], rtol=1e-4, atol=1e-5, what="corr2d(X, K)")


@exercise("ch05.conv_out_shape", 2, "Each dimension: (n - k + 2p) // s + 1, with p the padding on one side.")
def test_conv_out_shape(student, rng):
    for _ in range(5):
        n_h, n_w = (int(v) for v in rng.integers(5, 20, size=2))
        k_h, k_w = (int(v) for v in rng.integers(1, 6, size=2))
        p_h, p_w = (int(v) for v in rng.integers(0, 3, size=2))
        s_h, s_w = (int(v) for v in rng.integers(1, 4, size=2))
        expected = mx.nd.Convolution(mx.nd.zeros((1, 1, n_h, n_w)), mx.nd.zeros((1, 1, k_h, k_w)),
                                     kernel=(k_h, k_w), pad=(p_h, p_w), stride=(s_h, s_w), num_filter=1,
                                     no_bias=True).shape[2:]
        args = (n_h, n_w, k_h, k_w, p_h, p_w, s_h, s_w)
        got = student.call("conv_out_shape", *args)
        assert_equal(_pair(got, f"conv_out_shape{args}"), tuple(expected), what=f"conv_out_shape{args}")


@exercise("ch05.corr2d_multi_in_out", 3, "nd.stack over output kernels of nd.add_n over input channels of corr2d.")
def test_corr2d_multi_in_out(student, rng):
    c_i, c_o = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    X = rng.normal(size=(c_i, int(rng.integers(3, 6)), int(rng.integers(3, 6))))
    K = rng.normal(size=(c_o, c_i, 2, 2))
    got = student.call("corr2d_multi_in_out", nd(X), nd(K))
    assert_close(got, _convolve(X, K), rtol=1e-4, atol=1e-5, what="corr2d_multi_in_out(X, K)")


@exercise("ch05.corr2d_multi_in_out_1x1", 2,
          "nd.dot(K.reshape((c_o, c_i)), X.reshape((c_i, h * w))), reshaped to (c_o, h, w).")
def test_corr2d_multi_in_out_1x1(student, rng):
    c_i, c_o = (int(c) for c in rng.choice(np.arange(2, 6), size=2, replace=False))
    X = rng.normal(size=(c_i, int(rng.integers(2, 6)), int(rng.integers(2, 6))))
    K = rng.normal(size=(c_o, c_i, 1, 1))
    got = student.call("corr2d_multi_in_out_1x1", nd(X), nd(K))
    assert_close(got, _convolve(X, K), rtol=1e-4, atol=1e-5, what="corr2d_multi_in_out_1x1(X, K)")


@exercise("ch05.pool2d", 2, "Same loop as corr2d, taking window.max() or window.mean() instead of a product.")
def test_pool2d(student, rng):
    X = rng.normal(size=(int(rng.integers(4, 7)), int(rng.integers(4, 7))))
    pool_size = (int(rng.integers(1, 4)), int(rng.integers(2, 4)))
    for mode in ("max", "avg"):
        with checkpoint(f"{mode} pooling", 1):
            expected = mx.nd.Pooling(mx.nd.array(X[None, None]), kernel=pool_size, pool_type=mode, stride=(1, 1))
            got = student.call("pool2d", nd(X), pool_size, mode)
            assert_close(got, expected[0, 0].asnumpy(), rtol=1e-5, atol=1e-6,
                         what=f"pool2d(X, {pool_size}, {mode!r})")


@exercise("ch05.build_lenet", 3, "Two Conv2D + MaxPool2D stages, then Dense(120), Dense(84), Dense(10).")
def test_build_lenet(student, rng):
    input_shape = (int(rng.integers(1, 5)), 1, 28, 28)
    got = student.probe("forward_summary", "build_lenet", input_shape=input_shape)
    expected = forward_summary(_reference_lenet, input_shape=input_shape)
    with checkpoint("output shape", 1):
        assert_equal(got["output_shape"], expected["output_shape"], what="output shape")
    with checkpoint("number of parameters", 1):
        assert_equal(got["param_count"], expected["param_count"], what="number of parameters")
    with checkpoint("conv, pooling and dense layers in the book's order", 1):
        assert_equal(_main_layers(got["layers"]), _main_layers(expected["layers"]), what="layer types in order")


@exercise("ch05.lenet_output_shapes", 2, "5 x 5 convolutions without padding take 4 off height and width; "
          "2 x 2 pooling with stride 2 halves them, rounding down; Dense layers output (batch_size, units).")
def test_lenet_output_shapes(student, rng):
    args = (int(rng.integers(1, 9)), int(rng.integers(16, 41)), int(rng.integers(16, 41)))
    expected = _symbolic_shapes(list(_reference_lenet()), (args[0], 1) + args[1:])
    got = _shape_list(student.call("lenet_output_shapes", *args), f"lenet_output_shapes{args}", len(expected))
    assert_equal(got, expected, what=f"lenet_output_shapes{args}")


@exercise("ch05.lenet_param_count", 2, "Conv2D: in_channels * channels * 5 * 5 + channels; the first Dense layer "
          "takes 16 * h * w inputs, h and w being the second pooling's output size.")
def test_lenet_param_count(student, rng):
    height, width, num_classes = int(rng.integers(16, 41)), int(rng.integers(16, 41)), int(rng.integers(2, 20))
    trainable, _ = _symbolic_params(_reference_lenet(num_classes), (1, 1, height, width))
    what = f"lenet_param_count({height}, {width}, {num_classes})"
    _assert_param_count(student.call("lenet_param_count", height, width, num_classes), trainable, what)


@exercise("ch05.train_cnn", 4, "Initialise the net on ctx, move every batch there (as_in_context), and train "
          "with gluon.Trainer; a LeNet with BatchNorm and relu, Adam with lr 0.001, 3 epochs of batches of 32.",
          slow=True)
def test_train_cnn(student, rng, ctx):
    data_rng = np.random.RandomState(int(rng.integers(2 ** 31)))
    templates = class_templates(data_rng)
    train_images, train_labels = fashion_mnist_arrays(1000, templates, data_rng)
    test_images, test_labels = fashion_mnist_arrays(500, templates, data_rng)
    got = student.probe("on_context", "train_cnn", ctx, nd(train_images[:, None] / 255.0), nd(train_labels),
                        nd(test_images[:, None] / 255.0))
    predictions = np.reshape(np.asarray(got["value"]), -1)
    if predictions.size != len(test_labels):
        raise AssertionError(f"train_cnn returned {predictions.size} predictions for {len(test_labels)} test images")
    with checkpoint("the predictions are computed on ctx", 1):
        assert_equal(got["contexts"], [got["requested"]], what="context of the returned predictions")
    with checkpoint("test accuracy at least 0.7", 3):
        accuracy = float((predictions == test_labels).mean())
        if accuracy < 0.7:
            raise AssertionError(f"test accuracy {accuracy:.3f} is below 0.7 (chance is 0.1)")


@exercise("ch05.vgg_block", 2, "num_convs times Conv2D(num_channels, kernel_size=3, padding=1, activation='relu'), "
          "then MaxPool2D(pool_size=2, strides=2).")
def test_vgg_block(student, rng):
    num_convs, num_channels = int(rng.integers(1, 4)), int(rng.integers(2, 9))
    input_shape = (2, int(rng.integers(1, 4)), int(rng.integers(4, 13)), int(rng.integers(4, 13)))
    got = student.probe("forward_summary", "vgg_block", num_convs, num_channels, input_shape=input_shape)
    expected = forward_summary(_reference_vgg_block, num_convs, num_channels, input_shape=input_shape)
    _assert_like_reference_block(got, expected, f"vgg_block({num_convs}, {num_channels}) on input {input_shape}",
                                 "convolution and pooling layers, and their parameters")


@exercise("ch05.vgg_param_count", 3, "Each 3 x 3 Conv2D holds c_in * c_out * 9 weights and c_out biases; the "
          "first Dense layer takes channels * (image_size // 2 ** blocks) ** 2 inputs.")
def test_vgg_param_count(student, rng):
    blocks = int(rng.integers(1, 6))
    conv_arch = tuple((int(rng.integers(1, 4)), int(rng.choice([8, 16, 32, 64, 128]))) for _ in range(blocks))
    in_channels, num_classes = int(rng.integers(1, 5)), int(rng.integers(2, 21))
    image_size = 2 ** blocks * int(rng.integers(1, 8))
    with checkpoint("the book's formula on a drawn VGG", 2):
        trainable, _ = _symbolic_params(_reference_vgg(conv_arch, num_classes), (1, in_channels, image_size, image_size))
        args = (conv_arch, in_channels, image_size, num_classes)
        _assert_param_count(student.call("vgg_param_count", *args), trainable, f"vgg_param_count{args}")
    with checkpoint("gluoncv's VGG-11, 13, 16 or 19 (model zoo, pretrained=False)", 1):
        model_zoo = _gluoncv_model_zoo()
        depth = int(rng.choice(sorted(model_zoo.vgg.vgg_spec)))
        layers, filters = model_zoo.vgg.vgg_spec[depth]
        image_size, num_classes = 32 * int(rng.integers(1, 8)), int(rng.integers(2, 1001))
        net = model_zoo.vgg.get_vgg(depth, pretrained=False, classes=num_classes)
        trainable, _ = _symbolic_params(net, (1, 3, image_size, image_size))
        args = (tuple(zip(layers, filters)), 3, image_size, num_classes)
        assert_equal(student.call("vgg_param_count", *args), _size(trainable),
                     what=f"vgg_param_count{args} (gluoncv's VGG-{depth})")


@exercise("ch05.nin_block", 2, "Conv2D(num_channels, kernel_size, strides, padding, activation='relu'), then two "
          "Conv2D(num_channels, kernel_size=1, activation='relu').")
def test_nin_block(student, rng):
    num_channels, kernel_size = int(rng.integers(2, 9)), int(rng.choice([1, 3, 5]))
    strides, padding = int(rng.integers(1, 3)), int(rng.integers(0, 3))
    args = (num_channels, kernel_size, strides, padding)
    input_shape = (2, int(rng.integers(1, 4)), int(rng.integers(6, 13)), int(rng.integers(6, 13)))
    got = student.probe("forward_summary", "nin_block", *args, input_shape=input_shape)
    expected = forward_summary(_reference_nin_block, *args, input_shape=input_shape)
    _assert_like_reference_block(got, expected, f"nin_block{args} on input {input_shape}",
                                 "three convolutions, the last two 1 x 1, and their parameters")


@exercise("ch05.nin_param_count", 2, "Only convolutions hold parameters (no Dense layer), and a convolution's "
          "count depends on its channels and kernel size, never on the image size.")
def test_nin_param_count(student, rng):
    in_channels, num_classes = int(rng.integers(1, 5)), int(rng.integers(2, 21))
    trainable, _ = _symbolic_params(_reference_nin(num_classes), (1, in_channels, 224, 224))
    _assert_param_count(student.call("nin_param_count", in_channels, num_classes), trainable,
                        f"nin_param_count({in_channels}, {num_classes})")


@exercise("ch05.inception", 3, "Four paths of Conv2D (and one MaxPool2D), each with relu, "
          "joined with nd.concat(p1, p2, p3, p4, dim=1).")
def test_inception(student, rng):
    c1, c2a, c2b, c3a, c3b, c4 = (int(c) for c in rng.choice(np.arange(1, 13), size=6, replace=False))
    args = (c1, (c2a, c2b), (c3a, c3b), c4)
    X = rng.normal(size=(2, int(rng.integers(1, 4)), int(rng.integers(4, 8)), int(rng.integers(4, 8))))
    got = student.probe("forward_with_params", "Inception", *args, x=X)
    reference = _ReferenceInception(*args)
    expected = forward_summary(lambda: reference, input_shape=X.shape)
    with checkpoint("output shape", 1):
        assert_equal(np.shape(got["output"]), expected["output_shape"], what=f"Inception{args} output shape "
                     f"for input {X.shape}")
    with checkpoint("number of parameters", 1):
        assert_equal(_size([np.shape(value) for _, value in got["params"]]), expected["param_count"],
                     what="number of parameters")
    with checkpoint("the four paths, concatenated in order p1, p2, p3, p4", 1):
        _load_by_shape(reference, got["params"], f"Inception{args}")
        assert_close(got["output"], reference(mx.nd.array(X)).asnumpy(), rtol=1e-4, atol=1e-4,
                     what="Inception output (the book's block with your parameters)")


@exercise("ch05.googlenet_block_shapes", 2, "b1 halves height and width twice (stride-2 convolution and pooling), "
          "b2, b3 and b4 once each; an Inception block outputs c1 + c2[1] + c3[1] + c4 channels.")
def test_googlenet_block_shapes(student, rng):
    image_size = int(rng.integers(32, 241))
    expected = [shape[1:] for shape in _symbolic_shapes(_reference_googlenet_blocks(), (1, 1, image_size, image_size))]
    what = f"googlenet_block_shapes({image_size})"
    assert_equal(_shape_list(student.call("googlenet_block_shapes", image_size), what, 5), expected, what=what)


@exercise("ch05.batchnorm_in_channels", 1,
          "Compare the parameter shapes of nn.BatchNorm() and nn.BatchNorm(in_channels=6) before a forward pass.")
def test_batchnorm_in_channels(student):
    assert_answer(student.value("BATCHNORM_IN_CHANNELS"), DIGESTS["ch05.batchnorm_in_channels"],
                  "ch05.batchnorm_in_channels", what="BATCHNORM_IN_CHANNELS")


def _batch_norm_case(rng, shape):
    """Random X of shape, gamma, beta and moving statistics of the book's parameter shape, eps and momentum."""
    stat_shape = (1, shape[1]) + (1,) * (len(shape) - 2)
    return (rng.normal(loc=1.0, scale=2.0, size=shape), rng.uniform(0.5, 2.0, stat_shape), rng.normal(size=stat_shape),
            rng.normal(size=stat_shape), rng.uniform(0.5, 2.0, stat_shape), float(rng.uniform(1e-5, 1e-3)),
            float(rng.uniform(0.5, 0.99)))


def _mxnet_batch_norm(X, gamma, beta, moving_mean, moving_var, eps, momentum, training):
    """MXNet oracle: nd.BatchNorm's output, with batch statistics while training, else the moving ones."""
    arrays = [mx.nd.array(a.reshape(-1)) for a in (gamma, beta, moving_mean, moving_var)]
    with autograd.record(train_mode=training):
        Y = mx.nd.BatchNorm(mx.nd.array(X), *arrays, eps=eps, momentum=momentum, fix_gamma=False, axis=1)
    return Y.asnumpy()


def _assert_batch_norm_result(got, expected_Y, expected_mean, expected_var, what):
    """Compare a (Y, moving_mean, moving_var) result, statistics by value whatever their exact shape."""
    if not isinstance(got, (list, tuple)) or len(got) != 3:
        raise AssertionError(f"{what}: expected (Y, moving_mean, moving_var), got {type(got).__name__}")
    assert_close(got[0], expected_Y, rtol=1e-4, atol=1e-4, what=f"{what}: Y")
    for value, expected, name in ((got[1], expected_mean, "moving_mean"), (got[2], expected_var, "moving_var")):
        assert_close(np.reshape(value, -1), expected.reshape(-1), rtol=1e-4, atol=1e-5, what=f"{what}: {name}")


@exercise("ch05.batch_norm", 4, "Training: mean and var over axis 0 for (n, features), over axes (0, 2, 3) with "
          "keepdims=True for images; var is the mean of (X - mean) ** 2. Prediction: the moving statistics.")
def test_batch_norm(student, rng):
    cases = {"fully connected input (n, features)": (int(rng.integers(4, 9)), int(rng.integers(2, 6))),
             "convolutional input (n, channels, h, w)": (int(rng.integers(2, 5)), int(rng.integers(2, 4)), 3, 4)}
    for (name, shape), points in zip(cases.items(), (1, 1)):
        with checkpoint(f"training mode, {name}", points):
            X, gamma, beta, mean, var, eps, momentum = case = _batch_norm_case(rng, shape)
            got = student.probe("in_both_modes", "batch_norm", *(nd(a) for a in case[:5]), eps, momentum)
            axes = (0,) + tuple(range(2, len(shape)))
            batch_mean, batch_var = X.mean(axis=axes, keepdims=True), X.var(axis=axes, keepdims=True)
            _assert_batch_norm_result(got["training"], _mxnet_batch_norm(*case, training=True),
                                      momentum * mean + (1 - momentum) * batch_mean,
                                      momentum * var + (1 - momentum) * batch_var, f"batch_norm for a {name}")
    with checkpoint("prediction mode uses the moving statistics and leaves them unchanged", 2):
        _assert_batch_norm_result(got["prediction"], _mxnet_batch_norm(*case, training=False), mean, var,
                                  "batch_norm outside autograd.record()")


@exercise("ch05.bn_lenet_param_counts", 2, "Each BatchNorm layer holds gamma and beta (trained) and a running mean "
          "and variance (not trained) per channel or feature; the other layers are LeNet's.")
def test_bn_lenet_param_counts(student, rng):
    height, width = int(rng.integers(16, 41)), int(rng.integers(16, 41))
    trainable, running = _symbolic_params(_reference_bn_lenet(), (1, 1, height, width))
    expected = (_size(trainable) + _size(running), _size(trainable))
    got = student.call("bn_lenet_param_counts", height, width)
    if not isinstance(got, (list, tuple)) or len(got) != 2:
        raise AssertionError(f"bn_lenet_param_counts must return (all, trainable), got {got!r}")
    _assert_count(tuple(got), expected, f"bn_lenet_param_counts({height}, {width})",
                  [((expected[1], expected[1]), "all parameters also include the running mean and variance of "
                    "every BatchNorm layer"), ((expected[1], expected[0]), "the order is (all, trainable)")])


@exercise("ch05.residual", 4, "Main path conv-bn-relu-conv-bn; 1x1 conv on the shortcut when asked; relu(Y + X).")
def test_residual(student, rng):
    channels, size = int(rng.integers(2, 5)), int(rng.integers(5, 9))
    input_shape = (2, channels, size, size)
    plain = student.probe("forward_summary", "Residual", channels, input_shape=input_shape)
    down = student.probe("forward_summary", "Residual", 2 * channels, use_1x1conv=True, strides=2,
                         input_shape=input_shape)
    with checkpoint("Residual(c) keeps the input shape", 1):
        assert_equal(plain["output_shape"], input_shape, what=f"Residual({channels}) output shape")
    with checkpoint("Residual(2c, use_1x1conv=True, strides=2) halves height and width", 1):
        half = (size + 1) // 2
        assert_equal(down["output_shape"], (2, 2 * channels, half, half), what="output shape")
    with checkpoint("the shortcut adds the input: with all parameters zero, Residual(c)(X) = relu(X)", 1):
        X = rng.normal(size=input_shape)
        got = student.probe("forward_zeroed", "Residual", channels, x=X)
        assert_close(got, np.maximum(X, 0), rtol=1e-5, atol=1e-6, what=f"Residual({channels}) with zero parameters")
    with checkpoint("parameter counts", 1):
        assert_equal(plain["param_count"], _residual_param_count(channels, channels, False),
                     what=f"parameters of Residual({channels})")
        assert_equal(down["param_count"], _residual_param_count(channels, 2 * channels, True),
                     what=f"parameters of Residual({2 * channels}, use_1x1conv=True, strides=2)")


@exercise("ch05.resnet18_stage_shapes", 3, "The 7 x 7 stride-2 convolution and the stride-2 pooling divide height "
          "and width by 4; each stage after the first halves them ((n - 1) // 2 + 1) and doubles the channels.")
def test_resnet18_stage_shapes(student, rng):
    with checkpoint("the book's ResNet-18", 2):
        image_size = int(rng.integers(32, 257))
        what = f"resnet18_stage_shapes({image_size})"
        got = _shape_list(student.call("resnet18_stage_shapes", image_size), what, 4)
        shapes = _symbolic_shapes(_reference_resnet18_stages(), (1, 1, image_size, image_size))
        assert_equal(got, [shape[1:] for shape in shapes[1:]], what=what)
    with checkpoint("gluoncv's resnet18_v1 (model zoo, pretrained=False)", 1):
        image_size = int(rng.integers(32, 257))
        what = f"resnet18_stage_shapes({image_size})"
        got = _shape_list(student.call("resnet18_stage_shapes", image_size), what, 4)
        features = list(_gluoncv_model_zoo().get_model("resnet18_v1", pretrained=False).features)
        shapes = _symbolic_shapes(features[:8], (1, 3, image_size, image_size))
        assert_equal(got, [shape[1:] for shape in shapes[4:8]], what=f"{what} (gluoncv's resnet18_v1)")


@exercise("ch05.dense_block_channels", 2, "Each conv block concatenates its output channels to its input.")
def test_dense_block_channels(student):
    assert_answer(student.value("DENSE_BLOCK_CHANNELS"), DIGESTS["ch05.dense_block_channels"],
                  "ch05.dense_block_channels", what="DENSE_BLOCK_CHANNELS")


@exercise("ch05.dense_block", 3, "self.net holds num_convs blocks of BatchNorm, relu, Conv2D(num_channels, 3, "
          "padding=1); forward: for blk in self.net: X = nd.concat(X, blk(X), dim=1).")
def test_dense_block(student, rng):
    num_convs, num_channels = int(rng.integers(1, 4)), int(rng.integers(2, 9))
    in_channels, size = int(rng.integers(1, 5)), int(rng.integers(3, 7))
    input_shape = (2, in_channels, size, size)
    got = student.probe("forward_summary", "DenseBlock", num_convs, num_channels, input_shape=input_shape)
    expected = forward_summary(_ReferenceDenseBlock, num_convs, num_channels, input_shape=input_shape)
    what = f"DenseBlock({num_convs}, {num_channels}) output shape for input {input_shape}"
    with checkpoint("output shape", 1):
        _assert_count(got["output_shape"], expected["output_shape"], what,
                      [((2, num_convs * num_channels, size, size), "the channels of the block's input are missing: "
                        "concatenate each conv block's input with its output"),
                       ((2, num_channels, size, size), "only the last conv block's output: concatenate each conv "
                        "block's input with its output to make the next block's input")])
    with checkpoint("number of parameters", 1):
        assert_equal(got["param_count"], expected["param_count"], what="number of parameters")
    with checkpoint("the input comes first, unchanged: with all parameters zero the output is X, then zeros", 1):
        X = rng.normal(size=input_shape)
        out = np.asarray(student.probe("forward_zeroed", "DenseBlock", num_convs, num_channels, x=X))
        if out.shape != expected["output_shape"]:
            raise AssertionError(f"not checked: the output shape is {out.shape}, expected {expected['output_shape']}")
        assert_close(out[:, :in_channels], X, rtol=1e-5, atol=1e-6, what="the first input-channels of the output")
        assert_close(out[:, in_channels:], np.zeros_like(out[:, in_channels:]), what="the channels after the input's")


@exercise("ch05.transition_block", 2, "BatchNorm, relu, Conv2D(num_channels, kernel_size=1), "
          "AvgPool2D(pool_size=2, strides=2).")
def test_transition_block(student, rng):
    num_channels = int(rng.integers(2, 9))
    input_shape = (2, int(rng.integers(num_channels + 1, 24)), int(rng.integers(4, 10)), int(rng.integers(4, 10)))
    got = student.probe("forward_summary", "transition_block", num_channels, input_shape=input_shape)
    expected = forward_summary(_reference_transition_block, num_channels, input_shape=input_shape)
    _assert_like_reference_block(got, expected, f"transition_block({num_channels}) on input {input_shape}",
                                 "a 1 x 1 convolution and average pooling, and their parameters")


def _assert_densenet_channels(got, args, blocks, skip, what):
    """Compare densenet_channels(*args) with the channels after each of blocks but the first skip (the stem)."""
    expected = [shape[1] for shape in _symbolic_shapes(blocks, (1, 3, 224, 224))[skip:]]
    without_input = args[2][0] * args[1]
    if isinstance(got, list) and got[:1] == [without_input] and without_input != expected[0]:
        raise AssertionError(f"{what} starts with {without_input}: the channels of the dense block's input are "
                             "missing; a dense block concatenates its input with what its convolutions add")
    assert_equal(got, expected, what=what)


@exercise("ch05.densenet_channels", 3, "A dense block outputs its input's channels plus num_convs * growth_rate; "
          "a transition block halves them (//= 2); no transition after the last block.")
def test_densenet_channels(student, rng):
    with checkpoint("the book's DenseNet with a drawn configuration", 2):
        num_convs = [int(n) for n in rng.integers(1, 7, size=int(rng.integers(2, 6)))]
        args = (int(rng.integers(8, 97)), int(rng.integers(4, 49)), num_convs)
        got = student.call("densenet_channels", *args)
        _assert_densenet_channels(got, args, _reference_densenet_stages(*args), 1, f"densenet_channels{args}")
    with checkpoint("gluoncv's DenseNet-121, 161, 169 or 201 (model zoo, pretrained=False)", 1):
        model_zoo = _gluoncv_model_zoo()
        depth = int(rng.choice(sorted(model_zoo.densenet.densenet_spec)))
        args = model_zoo.densenet.densenet_spec[depth]
        features = list(model_zoo.densenet.get_densenet(depth, pretrained=False).features)
        got = student.call("densenet_channels", *args)
        _assert_densenet_channels(got, args, features[:3 + 2 * len(args[2])], 4,
                                  f"densenet_channels{args} (gluoncv's DenseNet-{depth})")
