"""Chapter 9, Computer vision: exercises.

Topics:
- image augmentation: flips, crops that keep an image and its label map aligned, a training pipeline
- fine-tuning a model-zoo net: a new output layer, its learning rate (lr_mult), frozen features
- bounding boxes: corner and centre forms
- anchor boxes: how many per pixel, their corners (MultiBoxPrior), intersection over union
- labelling anchors for training: offsets, classes and masks (MultiBoxTarget)
- non-maximum suppression, for one class and per class
- fully convolutional networks: transposed-convolution shapes, the FCN head, bilinear initialisation

How to work on these:
- Replace each ``raise NotImplementedError(...)`` with your code, and each ``None`` answer with your answer
  in the format its comment asks for. Leave the names and signatures as they are.
- Use MXNet (``from mxnet import image, nd``, ``from mxnet.gluon import nn``) and NumPy; gluoncv's model zoo
  (``from gluoncv import model_zoo``) is installed too. ``import d2lzh as d2l`` is allowed.
- Boxes are (x1, y1, x2, y2) rows of corner coordinates, in continuous units (pixels or fractions of the
  image): a box's width is x2 - x1, with no + 1.
- Functions that return boxes, indices or labels may return NDArrays, numpy arrays or lists.
- Check your work with ``python -m grader ch09``.
"""
from mxnet import image, nd  # noqa: F401  (you will need them)
from mxnet.gluon import nn
from mxnet.gluon.data.vision import transforms  # noqa: F401

# ---------------------------------------------------------------------------------------------
# 9.1 Image augmentation
# ---------------------------------------------------------------------------------------------


# Exercise 9.1.1 (1 point)
def flip_left_right(img):
    """Return the image mirrored left to right.

    img: a uint8 NDArray (height, width, 3), as mx.image.imread gives. The first column of the result is
    the last column of img. Use nd.flip (or index): nd.image.flip_left_right, which the transforms use, is
    wrong for images of odd width in MXNet 1.9.1.
    """
    raise NotImplementedError("Exercise 9.1.1: implement flip_left_right")


# Exercise 9.1.2 (3 points)
def train_augs(size):
    """Return the training augmentation of the book's fine-tuning section as one transform.

    A gluon.data.vision.transforms.Compose that: crops a random area of 10% to 100% of the image with an
    aspect ratio between 0.5 and 2 and resizes it to size x size (RandomResizedCrop), flips left-right
    half of the time, jitters brightness, contrast and saturation by up to 30% (RandomColorJitter), and
    turns the uint8 (h, w, 3) image into a float32 (3, size, size) tensor in [0, 1] (ToTensor).
    The grader applies it to generated images under fixed seeds.
    """
    raise NotImplementedError("Exercise 9.1.2: implement train_augs")


# ---------------------------------------------------------------------------------------------
# 9.2 Fine-tuning
# ---------------------------------------------------------------------------------------------


# Exercise 9.2.1 (4 points)
def finetune_net(model_name, pretrained_net, num_classes, lr_mult):
    """Build the book's fine-tuning net from a pretrained model-zoo net.

    model_name: a model-zoo name such as "resnet18_v1"; pretrained_net: that net with trained weights
    (gluoncv.model_zoo.get_model(model_name, pretrained=True) in real life). Return a new net of the same
    architecture with num_classes outputs (model_zoo.get_model(model_name, classes=num_classes)) whose
    features ARE pretrained_net.features (the same Parameters, not copies), whose output layer is
    initialised (e.g. init.Xavier()), and whose output parameters learn lr_mult times faster than the
    trainer's learning rate (Parameter.lr_mult). Do not initialise or change the features.
    """
    raise NotImplementedError("Exercise 9.2.1: implement finetune_net")


# Exercise 9.2.2 (2 points)
def freeze_features(net):
    """Freeze a model-zoo net's features so that training updates only its output layer.

    net has .features and .output (gluoncv's ResNets and MobileNets do). Change the parameters in place
    (their grad_req) and return nothing.
    """
    raise NotImplementedError("Exercise 9.2.2: implement freeze_features")


# ---------------------------------------------------------------------------------------------
# 9.3 Object detection and bounding boxes
# ---------------------------------------------------------------------------------------------


# Exercise 9.3.1 (2 points)
def box_corner_to_center(boxes):
    """Convert boxes (n, 4) from corners (x1, y1, x2, y2) to centre form (cx, cy, w, h)."""
    raise NotImplementedError("Exercise 9.3.1: implement box_corner_to_center")


def box_center_to_corner(boxes):
    """Convert boxes (n, 4) from centre form (cx, cy, w, h) to corners (x1, y1, x2, y2)."""
    raise NotImplementedError("Exercise 9.3.1: implement box_center_to_corner")


# ---------------------------------------------------------------------------------------------
# 9.4 Anchor boxes
# ---------------------------------------------------------------------------------------------


# Exercise 9.4.1 (2 points)
def num_anchors(height, width, num_sizes, num_ratios):
    """Return how many anchor boxes nd.contrib.MultiBoxPrior makes for a height x width feature map.

    With sizes s1..sn and ratios r1..rm the book does not pair every size with every ratio: it takes every
    size with r1, and s1 with every other ratio. Returns an int.
    """
    raise NotImplementedError("Exercise 9.4.1: implement num_anchors")


# Exercise 9.4.2 (3 points)
def multibox_prior(height, width, sizes, ratios):
    """Return the anchor boxes of nd.contrib.MultiBoxPrior for a height x width feature map, from scratch.

    Returns an array (1, height * width * (n + m - 1), 4) of corners (x1, y1, x2, y2) in fractions of
    the image. Pixels go row by row; each pixel (r, c) has the centre ((c + 0.5) / width, (r + 0.5) / height)
    and its anchors in this order: every size s with ratios[0], then sizes[0] with ratios[1], ratios[2], ...
    An anchor of size s and ratio t has width s * sqrt(t) * height / width and height s / sqrt(t), both as
    fractions of the image (so that ratio 1 gives a square in pixels, MultiBoxPrior's convention).
    """
    raise NotImplementedError("Exercise 9.4.2: implement multibox_prior")


# Exercise 9.4.3 (3 points)
def box_iou(boxes1, boxes2):
    """Return the intersection over union of every box of boxes1 (n, 4) with every box of boxes2 (m, 4).

    An (n, m) array; IoU = area of the intersection / area of the union, 0 for boxes that do not overlap.
    """
    raise NotImplementedError("Exercise 9.4.3: implement box_iou")


# Exercise 9.4.4 (2 points)
def anchor_offsets(anchors, boxes):
    """Return the offsets (n, 4) that MultiBoxTarget's training targets use, anchor i towards box i.

    anchors, boxes: (n, 4) corners. With (xa, ya, wa, ha) and (xb, yb, wb, hb) the centre forms of an anchor
    and its box, the offsets are ((xb - xa) / wa / 0.1, (yb - ya) / ha / 0.1, log(wb / wa) / 0.2,
    log(hb / ha) / 0.2): the book's formula with means 0 and standard deviations 0.1, 0.1, 0.2, 0.2.
    """
    raise NotImplementedError("Exercise 9.4.4: implement anchor_offsets")


# Exercise 9.4.5 (4 points)
def label_anchors(anchors, labels, iou_threshold=0.5):
    """Label anchor boxes for training, as nd.contrib.MultiBoxTarget does for one image.

    anchors: (n, 4) corners; labels: (m, 5) ground-truth rows (class, x1, y1, x2, y2), classes from 0.
    Assign ground truths to anchors in two stages. First, repeatedly take the largest IoU left in the
    (anchor, ground truth) table, assign that ground truth to that anchor, and strike out both the anchor's
    row and the ground truth's column, until every ground truth has an anchor. Then give every anchor still
    unassigned the ground truth it overlaps most, if that IoU is at least iou_threshold.
    Returns (offsets (n, 4), mask (n, 4), classes (n,)): for an assigned anchor the anchor_offsets towards
    its ground truth, a mask of ones, and its ground truth's class + 1; for the others zeros, zeros and 0
    (background).
    """
    raise NotImplementedError("Exercise 9.4.5: implement label_anchors")


# Exercise 9.4.6 (3 points)
def nms(boxes, scores, iou_threshold):
    """Non-maximum suppression: the indices of the boxes kept, highest score first.

    boxes: (n, 4) corners; scores: (n,). Take the box with the highest score that is left, keep it, and
    drop every remaining box whose IoU with it is above iou_threshold; repeat until no box is left.
    Returns a list of ints.
    """
    raise NotImplementedError("Exercise 9.4.6: implement nms")


# Exercise 9.4.7 (3 points)
def multiclass_nms(boxes, scores, class_ids, iou_threshold):
    """Non-maximum suppression per class: a box is only ever dropped because of a box of its own class.

    boxes: (n, 4) corners; scores: (n,); class_ids: (n,) ints. Returns the indices of the boxes kept, all
    classes together, highest score first, as a list of ints.
    """
    raise NotImplementedError("Exercise 9.4.7: implement multiclass_nms")


# ---------------------------------------------------------------------------------------------
# 9.9 Semantic segmentation (the crop of an image and its label map)
# ---------------------------------------------------------------------------------------------


# Exercise 9.9.1 (3 points)
def voc_rand_crop(feature, label, height, width):
    """Crop the same random height x width window out of an image and out of its label map.

    feature: NDArray (h, w, 3); label: NDArray (h, w, 3) (the colour-coded labels). Returns the pair
    (feature crop, label crop), each (height, width, 3), cut at the same place: pixel (i, j) of the label
    crop labels pixel (i, j) of the feature crop. mx.image.random_crop returns the window it chose.
    """
    raise NotImplementedError("Exercise 9.9.1: implement voc_rand_crop")


# ---------------------------------------------------------------------------------------------
# 9.10 Fully convolutional networks (FCN)
# ---------------------------------------------------------------------------------------------


# Exercise 9.10.1 (2 points)
def conv_transpose_out_shape(n_h, n_w, k_h, k_w, p_h=0, p_w=0, s_h=1, s_w=1):
    """Return the output shape (height, width) of nn.Conv2DTranspose, as a tuple of two ints.

    n: input size, k: kernel size, p: padding (Gluon's ``padding``), s: stride. A transposed convolution
    undoes the shape change of the convolution with the same k, p and s: a 4 x 4 input with a 4 x 4
    kernel, padding 1 and stride 2 gives (8, 8).
    """
    raise NotImplementedError("Exercise 9.10.1: implement conv_transpose_out_shape")


# Exercise 9.10.2 (3 points)
def fcn_head(num_classes):
    """Return the book's FCN head as an nn.HybridSequential, not initialised.

    A 1 x 1 Conv2D turning the backbone's channels into num_classes channels, then a Conv2DTranspose with
    num_classes channels, kernel 64, padding 16 and stride 32, so that a (n, 512, h / 32, w / 32) feature
    map of ResNet-18 becomes (n, num_classes, h, w) scores. The grader infers shapes symbolically.
    """
    raise NotImplementedError("Exercise 9.10.2: implement fcn_head")


# Exercise 9.10.3 (2 points)
def bilinear_kernel(in_channels, out_channels, kernel_size):
    """Return the book's bilinear-interpolation weight for a Conv2DTranspose, an NDArray (in, out, k, k).

    With factor = (k + 1) // 2, center = factor - 1 for odd k and factor - 0.5 for even k, and og =
    np.ogrid[:k, :k], the filter is (1 - |og[0] - center| / factor) * (1 - |og[1] - center| / factor).
    Channel i feeds only output channel i: weight[i, i] is the filter, every other (i, j) is zero
    (the book calls it with in_channels == out_channels).
    """
    raise NotImplementedError("Exercise 9.10.3: implement bilinear_kernel")
