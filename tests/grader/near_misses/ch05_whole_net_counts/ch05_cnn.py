"""Near misses in whole-network arithmetic: a DenseNet count that forgets the input channels, VGG without
biases, a convolution output one pixel short, the running statistics left out, ResNet-18 without its
max pooling, NiN without biases, a dense block that keeps only its last convolution's output."""
from solved_ch05_cnn import *  # noqa: F401,F403
from solved_ch05_cnn import DenseBlock as SolvedDenseBlock
from solved_ch05_cnn import _halved


def densenet_channels(num_channels, growth_rate, num_convs_in_dense_blocks):
    channels, last = [], len(num_convs_in_dense_blocks) - 1
    for i, num_convs in enumerate(num_convs_in_dense_blocks):
        num_channels = num_convs * growth_rate
        channels.append(num_channels)
        if i != last:
            channels.append(num_channels // 2)
    return channels


def vgg_param_count(conv_arch, in_channels, image_size, num_classes):
    count, channels = 0, in_channels
    for num_convs, num_channels in conv_arch:
        for _ in range(num_convs):
            count += channels * num_channels * 9
            channels = num_channels
    side = image_size // 2 ** len(conv_arch)
    return count + channels * side * side * 4096 + 4096 * 4096 + 4096 * num_classes


def lenet_output_shapes(batch_size, height, width):
    h1, w1 = height - 5, width - 5
    h3, w3 = h1 // 2 - 5, w1 // 2 - 5
    return [(batch_size, 6, h1, w1), (batch_size, 6, h1 // 2, w1 // 2), (batch_size, 16, h3, w3),
            (batch_size, 16, h3 // 2, w3 // 2), (batch_size, 120), (batch_size, 84), (batch_size, 10)]


def bn_lenet_param_counts(height, width):
    trainable = lenet_param_count(height, width, 10) + 2 * (6 + 16 + 120 + 84)
    return trainable, trainable


def resnet18_stage_shapes(image_size):
    side = _halved(image_size, 1)
    return [(64, side, side), (128, _halved(side, 1), _halved(side, 1)), (256, _halved(side, 2), _halved(side, 2)),
            (512, _halved(side, 3), _halved(side, 3))]


def nin_param_count(in_channels, num_classes):
    def block(c_in, c_out, k):
        return c_in * c_out * k * k + 2 * c_out * c_out
    return block(in_channels, 96, 11) + block(96, 256, 5) + block(256, 384, 3) + block(384, num_classes, 3)


class DenseBlock(SolvedDenseBlock):
    def forward(self, X):
        for blk in self.net:
            X = blk(X)
        return X
