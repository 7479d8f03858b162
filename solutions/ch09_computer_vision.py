"""Chapter 9, Computer vision: model solutions (same names as exercises/ch09_computer_vision.py)."""
import numpy as np
from gluoncv import model_zoo
from mxnet import image, init, nd
from mxnet.gluon import nn
from mxnet.gluon.data.vision import transforms

# ---------------------------------------------------------------------------------------------
# 9.1 Image augmentation
# ---------------------------------------------------------------------------------------------


# Exercise 9.1.1
def flip_left_right(img):
    """Reverse the width axis (axis 1 of height, width, channels)."""
    return nd.flip(img, axis=1)


# Exercise 9.1.2
def train_augs(size):
    """Random resized crop, left-right flip, colour jitter, then a float (3, size, size) tensor."""
    return transforms.Compose([
        transforms.RandomResizedCrop(size, scale=(0.1, 1), ratio=(0.5, 2)),
        transforms.RandomFlipLeftRight(),
        transforms.RandomColorJitter(brightness=0.3, contrast=0.3, saturation=0.3),
        transforms.ToTensor()])


# ---------------------------------------------------------------------------------------------
# 9.2 Fine-tuning
# ---------------------------------------------------------------------------------------------


# Exercise 9.2.1
def finetune_net(model_name, pretrained_net, num_classes, lr_mult):
    """The same architecture with the pretrained features and a new, faster-learning output layer."""
    net = model_zoo.get_model(model_name, classes=num_classes, pretrained=False)
    net.features = pretrained_net.features
    net.output.initialize(init.Xavier())
    net.output.collect_params().setattr("lr_mult", lr_mult)
    return net


# Exercise 9.2.2
def freeze_features(net):
    """No gradients, so no updates, for the features; the output layer still learns."""
    net.features.collect_params().setattr("grad_req", "null")


# ---------------------------------------------------------------------------------------------
# 9.3 Object detection and bounding boxes
# ---------------------------------------------------------------------------------------------


def _as_numpy(array):
    """An NDArray, numpy array or nested list as a float64 numpy array."""
    return np.asarray(array.asnumpy() if isinstance(array, nd.NDArray) else array, dtype=np.float64)


# Exercise 9.3.1
def box_corner_to_center(boxes):
    """(x1, y1, x2, y2) -> (cx, cy, w, h)."""
    b = _as_numpy(boxes)
    return np.stack([(b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2, b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]], 1)


def box_center_to_corner(boxes):
    """(cx, cy, w, h) -> (x1, y1, x2, y2)."""
    b = _as_numpy(boxes)
    return np.stack([b[:, 0] - b[:, 2] / 2, b[:, 1] - b[:, 3] / 2, b[:, 0] + b[:, 2] / 2, b[:, 1] + b[:, 3] / 2], 1)


# ---------------------------------------------------------------------------------------------
# 9.4 Anchor boxes
# ---------------------------------------------------------------------------------------------


# Exercise 9.4.1
def num_anchors(height, width, num_sizes, num_ratios):
    """n sizes with the first ratio, plus the first size with the m - 1 other ratios, at every pixel."""
    return height * width * (num_sizes + num_ratios - 1)


# Exercise 9.4.2
def multibox_prior(height, width, sizes, ratios):
    """Every pixel's anchors, as MultiBoxPrior lays them out."""
    shapes = [(s, ratios[0]) for s in sizes] + [(sizes[0], r) for r in ratios[1:]]
    half_w = np.array([s * np.sqrt(r) * height / width / 2 for s, r in shapes])
    half_h = np.array([s / np.sqrt(r) / 2 for s, r in shapes])
    cy, cx = np.meshgrid((np.arange(height) + 0.5) / height, (np.arange(width) + 0.5) / width, indexing="ij")
    cx, cy = cx.reshape(-1, 1), cy.reshape(-1, 1)
    corners = np.stack([cx - half_w, cy - half_h, cx + half_w, cy + half_h], axis=2)
    return corners.reshape(1, -1, 4)


# Exercise 9.4.3
def box_iou(boxes1, boxes2):
    """Pairwise IoU with continuous coordinates (area = width * height, no + 1)."""
    a, b = _as_numpy(boxes1), _as_numpy(boxes2)
    top_left = np.maximum(a[:, None, :2], b[None, :, :2])
    bottom_right = np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.prod(np.clip(bottom_right - top_left, 0, None), axis=2)
    area_a = np.prod(a[:, 2:] - a[:, :2], axis=1)
    area_b = np.prod(b[:, 2:] - b[:, :2], axis=1)
    return inter / (area_a[:, None] + area_b[None, :] - inter)


# Exercise 9.4.4
def anchor_offsets(anchors, boxes):
    """Centre offsets scaled by the anchor size and 0.1, log size ratios scaled by 0.2."""
    a, b = box_corner_to_center(anchors), box_corner_to_center(boxes)
    return np.stack([(b[:, 0] - a[:, 0]) / a[:, 2] / 0.1, (b[:, 1] - a[:, 1]) / a[:, 3] / 0.1,
                     np.log(b[:, 2] / a[:, 2]) / 0.2, np.log(b[:, 3] / a[:, 3]) / 0.2], axis=1)


def _assign_ground_truth(iou, iou_threshold):
    """For every anchor (row of iou) the index of its ground truth (column), or -1."""
    assigned = np.full(iou.shape[0], -1)
    table = iou.copy()
    for _ in range(iou.shape[1]):
        anchor, truth = np.unravel_index(np.argmax(table), table.shape)
        if table[anchor, truth] <= 0:
            break
        assigned[anchor] = truth
        table[anchor, :] = -1
        table[:, truth] = -1
    for anchor in np.flatnonzero(assigned < 0):
        truth = np.argmax(iou[anchor])
        if iou[anchor, truth] >= iou_threshold:
            assigned[anchor] = truth
    return assigned


def _training_targets(anchors, labels, assigned):
    """(offsets, mask, classes) of anchors given the index of each one's ground truth in labels (-1: none)."""
    positive = assigned >= 0
    truths = labels[np.maximum(assigned, 0)]
    mask = np.repeat(positive[:, None], 4, axis=1).astype(np.float64)
    offsets = np.where(mask > 0, anchor_offsets(anchors, np.where(mask > 0, truths[:, 1:], anchors)), 0)
    classes = np.where(positive, truths[:, 0] + 1, 0)
    return offsets, mask, classes


# Exercise 9.4.5
def label_anchors(anchors, labels, iou_threshold=0.5):
    """Greedy one-to-one assignment, then threshold assignment; offsets, masks and classes from it."""
    anchors, labels = _as_numpy(anchors), _as_numpy(labels)
    assigned = _assign_ground_truth(box_iou(anchors, labels[:, 1:]), iou_threshold)
    return _training_targets(anchors, labels, assigned)


# Exercise 9.4.6
def nms(boxes, scores, iou_threshold):
    """Keep the best box left, drop the boxes that overlap it too much, repeat."""
    iou = box_iou(boxes, boxes)
    order = list(np.argsort(-_as_numpy(scores), kind="stable"))
    kept = []
    while order:
        best = order.pop(0)
        kept.append(int(best))
        order = [i for i in order if iou[best, i] <= iou_threshold]
    return kept


# Exercise 9.4.7
def multiclass_nms(boxes, scores, class_ids, iou_threshold):
    """nms within each class, then all kept boxes by decreasing score."""
    boxes, scores, class_ids = _as_numpy(boxes), _as_numpy(scores), _as_numpy(class_ids)
    kept = []
    for class_id in np.unique(class_ids):
        members = np.flatnonzero(class_ids == class_id)
        kept += [int(members[i]) for i in nms(boxes[members], scores[members], iou_threshold)]
    return sorted(kept, key=lambda i: -scores[i])


# ---------------------------------------------------------------------------------------------
# 9.9 Semantic segmentation (the crop of an image and its label map)
# ---------------------------------------------------------------------------------------------


# Exercise 9.9.1
def voc_rand_crop(feature, label, height, width):
    """One random window, cut from both: random_crop tells which window it took."""
    feature, rect = image.random_crop(feature, (width, height))
    label = image.fixed_crop(label, *rect)
    return feature, label


# ---------------------------------------------------------------------------------------------
# 9.10 Fully convolutional networks (FCN)
# ---------------------------------------------------------------------------------------------


# Exercise 9.10.1
def conv_transpose_out_shape(n_h, n_w, k_h, k_w, p_h=0, p_w=0, s_h=1, s_w=1):
    """Each dimension: (n - 1) * s - 2 * p + k, the inverse of the convolution's formula."""
    return (n_h - 1) * s_h - 2 * p_h + k_h, (n_w - 1) * s_w - 2 * p_w + k_w


# Exercise 9.10.2
def fcn_head(num_classes):
    """1 x 1 convolution to class scores, then a transposed convolution that upsamples 32 times."""
    head = nn.HybridSequential()
    head.add(nn.Conv2D(num_classes, kernel_size=1),
             nn.Conv2DTranspose(num_classes, kernel_size=64, padding=16, strides=32))
    return head


# Exercise 9.10.3
def bilinear_kernel(in_channels, out_channels, kernel_size):
    """The book's bilinear filter on the diagonal channel pairs (i, i)."""
    factor = (kernel_size + 1) // 2
    center = factor - 1 if kernel_size % 2 == 1 else factor - 0.5
    og = np.ogrid[:kernel_size, :kernel_size]
    filt = (1 - abs(og[0] - center) / factor) * (1 - abs(og[1] - center) / factor)
    weight = np.zeros((in_channels, out_channels, kernel_size, kernel_size), dtype="float32")
    weight[range(in_channels), range(out_channels), :, :] = filt
    return nd.array(weight)
