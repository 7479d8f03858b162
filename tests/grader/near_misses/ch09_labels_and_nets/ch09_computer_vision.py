"""Near misses of chapter 9, part 2: augmentation, fine-tuning, anchor labelling, per-class NMS and the FCN."""
from solved_ch09_computer_vision import *  # noqa: F401,F403
from solved_ch09_computer_vision import _as_numpy, _training_targets, bilinear_kernel as _bilinear_kernel
import numpy as np
from gluoncv import model_zoo
from mxnet import image, init, nd
from mxnet.gluon import nn
from mxnet.gluon.data.vision import transforms


def flip_left_right(img):
    """Flips the rows (upside down) instead of the columns."""
    return nd.flip(img, axis=0)


def train_augs(size):
    """Forgets ToTensor: uint8 (size, size, 3) images in [0, 255]."""
    return transforms.Compose([
        transforms.RandomResizedCrop(size, scale=(0.1, 1), ratio=(0.5, 2)),
        transforms.RandomFlipLeftRight(),
        transforms.RandomColorJitter(brightness=0.3, contrast=0.3, saturation=0.3)])


def voc_rand_crop(feature, label, height, width):
    """Two independent random crops: image and labels no longer line up."""
    return image.random_crop(feature, (width, height))[0], image.random_crop(label, (width, height))[0]


def finetune_net(model_name, pretrained_net, num_classes, lr_mult):
    """Shares the features and initialises the output layer, but forgets its larger learning rate."""
    net = model_zoo.get_model(model_name, classes=num_classes, pretrained=False)
    net.features = pretrained_net.features
    net.output.initialize(init.Xavier())
    return net


def freeze_features(net):
    """Freezes the whole net, output layer included: nothing is left to learn."""
    net.collect_params().setattr("grad_req", "null")


def label_anchors(anchors, labels, iou_threshold=0.5):
    """Only the threshold stage: a ground truth that no anchor overlaps enough gets no anchor at all."""
    anchors, labels = _as_numpy(anchors), _as_numpy(labels)
    iou = box_iou(anchors, labels[:, 1:])
    assigned = np.where(iou.max(axis=1) >= iou_threshold, iou.argmax(axis=1), -1)
    return _training_targets(anchors, labels, assigned)


def multiclass_nms(boxes, scores, class_ids, iou_threshold):
    """Ignores the classes: a box suppresses overlapping boxes of every class."""
    return nms(boxes, scores, iou_threshold)


def fcn_head(num_classes):
    """Padding 32 instead of 16: the output is 64 pixels too small in each direction."""
    head = nn.HybridSequential()
    head.add(nn.Conv2D(num_classes, kernel_size=1),
             nn.Conv2DTranspose(num_classes, kernel_size=64, padding=32, strides=32))
    return head


def bilinear_kernel(in_channels, out_channels, kernel_size):
    """The right filter, but on every channel pair (i, j), not only on (i, i)."""
    filt = _bilinear_kernel(1, 1, kernel_size)[0, 0].asnumpy()
    return nd.array(np.broadcast_to(filt, (in_channels, out_channels, kernel_size, kernel_size)))
