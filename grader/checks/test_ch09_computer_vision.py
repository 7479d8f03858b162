"""Checks for exercises/ch09_computer_vision.py: chapter 9, Computer vision.

Oracles: MXNet's own operators (nd.image flips, MultiBoxPrior, MultiBoxTarget, box_nms, Deconvolution shapes,
the Bilinear initializer) and gluoncv's independent implementations (bbox_iou, the box-format converters,
the model-zoo nets built with pretrained=False). Images and boxes are generated here; nothing is downloaded,
and big nets are only ever looked at through symbolic shape inference.
"""
import mxnet as mx
import numpy as np
from gluoncv import model_zoo
from gluoncv.nn.bbox import BBoxCenterToCorner, BBoxCornerToCenter
from gluoncv.utils import bbox_iou
from mxnet.gluon import nn

from grader.checking import WrongType, assert_close, assert_equal, checkpoint, exercise, nd
from grader.probes import symbolic_summary

CHAPTER = "ch09_computer_vision"

# Model-zoo nets with .features and a Dense .output, cheap to build without weights.
ZOO_MODELS = ("resnet18_v1", "resnet18_v2", "resnet34_v1", "resnet50_v1", "mobilenet0.25", "mobilenet1.0")
VARIANCES = (0.1, 0.1, 0.2, 0.2)  # MultiBoxTarget's default box-offset scales
OFFSET_COLUMNS = ("x offsets (xb - xa) / wa / 0.1", "y offsets (yb - ya) / ha / 0.1",
                  "width offsets log(wb / wa) / 0.2", "height offsets log(hb / ha) / 0.2")


def _boxes(rng, n, scale=1.0, min_size=0.05, max_size=0.5):
    """n random corner boxes (x1, y1, x2, y2) inside [0, scale]^2."""
    size = rng.uniform(min_size, max_size, size=(n, 2)) * scale
    corner = rng.uniform(0, 1, size=(n, 2)) * (scale - size)
    return np.concatenate([corner, corner + size], axis=1)


def _center(boxes):
    """gluoncv oracle: corner boxes (n, 4) to centre form."""
    return BBoxCornerToCenter()(mx.nd.array(boxes, dtype="float64")).asnumpy()


def _rows(got, width, what):
    """got as an (n, width) float array, or WrongType naming the expected shape."""
    array = np.asarray(got, dtype=np.float64) if not isinstance(got, (str, dict)) else None
    if array is None or array.ndim != 2 or array.shape[1] != width:
        raise WrongType(f"{what}: expected an array of rows of {width} numbers, got {got!r:.200}")
    return array


def _indices(got, what):
    """got as a list of ints (from a list, tuple or array), or WrongType."""
    try:
        values = np.asarray(got, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise WrongType(f"{what}: expected a list of box indices, got {got!r:.200}")
    if not np.all(values == np.round(values)):
        raise WrongType(f"{what}: expected integer box indices, got {values.tolist()}")
    return [int(v) for v in values]


# ---- 9.1 image augmentation ----------------------------------------------------------------

@exercise("ch09.flip_left_right", 1, "Reverse the width axis: nd.flip(img, axis=1), or img[:, ::-1] in NumPy.")
def test_flip_left_right(student, rng):
    img = rng.integers(0, 256, size=(int(rng.integers(3, 8)), int(rng.integers(3, 8)), 3))
    # nd.flip, not nd.image.flip_left_right: that one is wrong for odd widths in MXNet 1.9.1 (apache/mxnet#18911)
    expected = mx.nd.flip(mx.nd.array(img, dtype="uint8"), axis=1).asnumpy()
    got = student.call("flip_left_right", nd(img, "uint8"))
    if np.shape(got) == img.shape and np.array_equal(got, img[::-1]):
        raise AssertionError("flip_left_right(img) flipped the image upside down (axis 0, the rows); "
                             "left-right mirrors the columns, axis 1 of (height, width, channels)")
    assert_close(got, expected, what="flip_left_right(img)")


@exercise("ch09.train_augs", 3, "transforms.Compose([RandomResizedCrop(size, scale=(0.1, 1), ratio=(0.5, 2)), "
          "RandomFlipLeftRight(), RandomColorJitter(...), ToTensor()]).")
def test_train_augs(student, rng):
    size = 2 * int(rng.integers(6, 17))  # even: gluon's flip garbles odd widths in MXNet 1.9.1 (apache/mxnet#18911)
    image = rng.integers(0, 256, size=(int(rng.integers(40, 64)), int(rng.integers(40, 64)), 3))
    seed, other = (int(s) for s in rng.integers(0, 2 ** 31, size=2))
    got = student.probe("transform_outputs", "train_augs", size, image=image, seeds=[seed, seed, other])
    with checkpoint("a float32 (3, size, size) tensor", 1):
        for output in got:
            if not isinstance(output, np.ndarray) or output.shape != (3, size, size) or output.dtype != np.float32:
                raise AssertionError(f"train_augs({size}) gave {getattr(output, 'dtype', type(output).__name__)} "
                                     f"of shape {np.shape(output)}, expected float32 of shape (3, {size}, {size}): "
                                     "crop and resize to (size, size), then ToTensor() moves channels first")
    with checkpoint("values in [0, 1]", 1):
        low, high = min(float(np.min(o)) for o in got), max(float(np.max(o)) for o in got)
        if low < 0 or high > 1:
            raise AssertionError(f"train_augs({size}) gave values from {low:g} to {high:g}, expected [0, 1]: "
                                 "ToTensor() divides the uint8 pixels by 255, as the last step")
    with checkpoint("random, yet the same under the same seed", 1):
        if not np.array_equal(got[0], got[1]):
            raise AssertionError("two runs under the same seed gave different outputs: draw every random choice "
                                 "from the seeded generators (the gluon transforms do)")
        if np.array_equal(got[0], got[2]):
            raise AssertionError("two different seeds gave the same output: the augmentation is not random")


@exercise("ch09.voc_rand_crop", 3, "feature, rect = image.random_crop(feature, (width, height)); "
          "label = image.fixed_crop(label, *rect).")
def test_voc_rand_crop(student, rng):
    h, w = int(rng.integers(60, 90)), int(rng.integers(60, 90))
    height, width = int(rng.integers(12, 30)), int(rng.integers(12, 30))
    feature = rng.integers(0, 256, size=(h, w, 3))
    rows, cols = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
    label = np.stack([rows, cols, (rows + cols) % 256], axis=2)  # every pixel's label says where it is
    got = student.call("voc_rand_crop", nd(feature, "uint8"), nd(label, "uint8"), height, width)
    if not isinstance(got, (list, tuple)) or len(got) != 2:
        raise WrongType("voc_rand_crop must return the pair (feature crop, label crop)")
    feature_crop, label_crop = got
    with checkpoint("both crops are height x width", 1):
        assert_equal((np.shape(feature_crop), np.shape(label_crop)), ((height, width, 3), (height, width, 3)),
                     what=f"shapes of the crops for height={height}, width={width}")
    with checkpoint("the same window of the image and of the labels", 2):
        if np.shape(label_crop) != (height, width, 3):
            raise AssertionError("windows not compared: the label crop has the wrong shape")
        top, left = int(label_crop[0][0][0]), int(label_crop[0][0][1])
        assert_close(label_crop, label[top:top + height, left:left + width],
                     what="the label crop (a window of the labels)")
        window = feature[top:top + height, left:left + width]
        if not np.array_equal(np.asarray(feature_crop), window):
            raise AssertionError(f"the label crop is the window at row {top}, column {left}, but the feature crop "
                                 "is not that window of the image: crop both at the same place")


# ---- 9.2 fine-tuning -----------------------------------------------------------------------

@exercise("ch09.finetune_net", 4, "net = model_zoo.get_model(model_name, classes=num_classes); net.features = "
          "pretrained_net.features; net.output.initialize(init.Xavier()); "
          "net.output.collect_params().setattr('lr_mult', lr_mult).")
def test_finetune_net(student, rng):
    model_name = str(rng.choice(ZOO_MODELS))
    num_classes, lr_mult = int(rng.integers(2, 30)), float(rng.choice([2, 5, 10, 20]))
    input_shape = (int(rng.integers(1, 3)), 3, 64, 64)
    got = student.probe("finetuned_summary", "finetune_net", model_name, num_classes, lr_mult, input_shape)
    reference = model_zoo.get_model(model_name, classes=num_classes, pretrained=False)
    expected = symbolic_summary(lambda: reference, input_shape=input_shape)
    feature_count = len(list(reference.features.collect_params()))
    output_shapes = expected["param_shapes"][feature_count:]
    shared = [param for param in got["params"] if param["shared"]]
    new = [param for param in got["params"] if not param["shared"]]
    with checkpoint("the features are pretrained_net's own Parameters", 1):
        if len(shared) != feature_count:
            raise AssertionError(f"{len(shared)} of the net's parameters are pretrained_net's, expected exactly "
                                 f"the {feature_count} of its features: net.features = pretrained_net.features "
                                 "(re-created or copied layers start from scratch), and a new output layer")
    with checkpoint(f"a new, initialised output layer for {num_classes} classes", 1):
        assert_equal(got["output_shape"], expected["output_shape"], what="output shape")
        assert_equal([param["shape"] for param in new], output_shapes, what="shapes of the new parameters")
        if not all(param["initialized"] for param in new):
            raise AssertionError("the new output layer is not initialised: net.output.initialize(init.Xavier())")
    with checkpoint("learning rates: lr_mult on the output layer, 1 on the features", 2):
        output_mults = sorted({param["lr_mult"] for param in new})
        if output_mults != [lr_mult]:
            raise AssertionError(f"the output layer's parameters have lr_mult {output_mults}, expected {lr_mult:g}: "
                                 f"with the trainer's learning rate eta they must learn at {lr_mult:g} * eta")
        feature_mults = sorted({param["lr_mult"] for param in shared})
        if feature_mults != [1.0]:
            raise AssertionError(f"the features have lr_mult {feature_mults}, expected 1: they keep the trainer's "
                                 "learning rate; set lr_mult on net.output's parameters only")


@exercise("ch09.freeze_features", 2, "net.features.collect_params().setattr('grad_req', 'null').")
def test_freeze_features(student, rng):
    model_name = str(rng.choice(ZOO_MODELS))
    got = student.probe("frozen_summary", "freeze_features", model_name)
    with checkpoint("the features get no gradient", 1):
        learning = sum(req != "null" for req in got["features"])
        if learning:
            raise AssertionError(f"{learning} of the {len(got['features'])} parameters of {model_name}'s features "
                                 "still have a gradient: set their grad_req to 'null'")
    with checkpoint("the output layer still learns", 1):
        assert_equal(got["output"], ["write"] * len(got["output"]), what="grad_req of the output layer's parameters")


# ---- 9.3 bounding boxes --------------------------------------------------------------------

@exercise("ch09.box_corner_to_center", 2, "Centre = (x1 + x2) / 2, width = x2 - x1; back: x1 = cx - w / 2, "
          "x2 = cx + w / 2.")
def test_box_corner_to_center(student, rng):
    boxes = _boxes(rng, int(rng.integers(2, 6)), scale=100.0)
    with checkpoint("corners to centre form", 1):
        got = student.call("box_corner_to_center", nd(boxes, "float64"))
        assert_close(got, _center(boxes), rtol=1e-6, what="box_corner_to_center(boxes) as (cx, cy, w, h)")
    with checkpoint("centre form to corners", 1):
        centers = _center(boxes)
        expected = BBoxCenterToCorner()(mx.nd.array(centers, dtype="float64")).asnumpy()
        got = student.call("box_center_to_corner", nd(centers, "float64"))
        assert_close(got, expected, rtol=1e-6, what="box_center_to_corner(boxes) as (x1, y1, x2, y2)")


# ---- 9.4 anchor boxes ----------------------------------------------------------------------

def _multibox_prior(height, width, sizes, ratios):
    """MXNet oracle: MultiBoxPrior's anchors for a height x width feature map, (1, count, 4)."""
    return mx.nd.contrib.MultiBoxPrior(mx.nd.zeros((1, 1, height, width)), sizes=sizes, ratios=ratios).asnumpy()


def _anchor_settings(rng):
    """A feature map that is not square, and 2-3 sizes and ratios."""
    height = int(rng.integers(2, 6))
    width = height + int(rng.integers(1, 3))
    sizes = sorted(rng.uniform(0.1, 0.9, size=int(rng.integers(2, 4))).round(3).tolist(), reverse=True)
    ratios = rng.uniform(0.3, 3.0, size=int(rng.integers(2, 4))).round(3).tolist()
    return height, width, sizes, ratios


@exercise("ch09.num_anchors", 2, "Per pixel: every size with the first ratio (n), plus the first size with each "
          "other ratio (m - 1).")
def test_num_anchors(student, rng):
    for _ in range(3):
        height, width, sizes, ratios = _anchor_settings(rng)
        n, m = len(sizes), len(ratios)
        expected = _multibox_prior(height, width, sizes, ratios).shape[1]
        got = student.call("num_anchors", height, width, n, m)
        what = f"num_anchors({height}, {width}, {n}, {m})"
        if got == height * width * n * m:
            raise AssertionError(f"{what} = {got} counts every size with every ratio (n * m per pixel); "
                                 "MultiBoxPrior pairs every size with the first ratio and the first size with "
                                 "every other ratio")
        assert_equal(got, expected, what=what)


@exercise("ch09.multibox_prior", 3, "Centres ((c + 0.5) / width, (r + 0.5) / height); per pixel the n + m - 1 "
          "(size, ratio) pairs; corners centre -/+ half the width and height.")
def test_multibox_prior(student, rng):
    height, width, sizes, ratios = _anchor_settings(rng)
    expected = _multibox_prior(height, width, sizes, ratios)
    got = student.call("multibox_prior", height, width, sizes, ratios)
    call = f"multibox_prior({height}, {width}, {sizes}, {ratios})"
    with checkpoint("shape (1, height * width * (n + m - 1), 4)", 1):
        assert_equal(np.shape(got), expected.shape, what=f"shape of {call}")
    with checkpoint("anchor corners", 2):
        if np.shape(got) != expected.shape:
            raise AssertionError("corners not compared: the shape is wrong")
        got_centers, want_centers = _center(np.reshape(got, (-1, 4))), _center(expected[0])
        for column, name in enumerate(("x centres", "y centres", "widths (s * sqrt(t) * height / width)",
                                       "heights (s / sqrt(t))")):
            assert_close(got_centers[:, column], want_centers[:, column], rtol=1e-4, atol=1e-5,
                         what=f"{call}: anchor {name}")


def _pixel_boxes(rng):
    """Two sets of boxes with whole-pixel corners, among them disjoint pairs, and no two boxes that touch.

    Touching boxes (one's x2 equal to the other's x1) are left out: with inclusive pixel bounds they would
    share a column, which gluoncv's bbox_iou(..., offset=1) does not count.
    """
    for _ in range(100):
        boxes1 = np.floor(_boxes(rng, int(rng.integers(3, 6)), scale=64.0, min_size=0.1, max_size=0.6))
        boxes2 = np.floor(_boxes(rng, int(rng.integers(3, 6)), scale=64.0, min_size=0.1, max_size=0.6))
        boxes2[0] = [boxes1[0, 2] + 1, boxes1[0, 3] + 1, boxes1[0, 2] + 9, boxes1[0, 3] + 7]  # disjoint
        boxes2[2] = [boxes1[2, 2] + 2, boxes1[2, 1], boxes1[2, 2] + 12, boxes1[2, 3]]  # disjoint in x only
        boxes1[1], boxes2[1] = [10, 10, 30, 20], [15, 12, 40, 26]  # a partial overlap
        touching = np.minimum(boxes1[:, None, 2:], boxes2[:, 2:]) == np.maximum(boxes1[:, None, :2], boxes2[:, :2])
        if not touching.any():
            return boxes1, boxes2
    raise RuntimeError("no boxes without touching pairs in 100 draws")


@exercise("ch09.box_iou", 3, "Intersection: max of the top-left corners, min of the bottom-right ones, width and "
          "height clipped at 0; union = area1 + area2 - intersection.")
def test_box_iou(student, rng):
    boxes1, boxes2 = _pixel_boxes(rng)
    got = _rows(student.call("box_iou", nd(boxes1, "float64"), nd(boxes2, "float64")), len(boxes2), "box_iou")
    expected = bbox_iou(boxes1, boxes2, offset=0)
    if got.shape == expected.shape and np.allclose(got, bbox_iou(boxes1, boxes2, offset=1), rtol=1e-4):
        raise AssertionError("box_iou uses inclusive pixel bounds (width x2 - x1 + 1, gluoncv's offset=1); boxes "
                             "here are continuous coordinates: width = x2 - x1")
    if got.shape == expected.shape and (got < -1e-6).any():
        raise AssertionError("box_iou is negative for boxes that do not overlap: clip the intersection's width and "
                             "height at 0")
    assert_close(got, expected, rtol=1e-4, atol=1e-6, what="box_iou(boxes1, boxes2)")


def _multibox_target(anchors, labels, iou_threshold):
    """MXNet oracle: MultiBoxTarget's (offsets (n, 4), mask (n, 4), classes (n,)) for one image."""
    targets = mx.nd.contrib.MultiBoxTarget(
        mx.nd.array(anchors[None]), mx.nd.array(labels[None]), mx.nd.zeros((1, 2, len(anchors))),
        overlap_threshold=iou_threshold, variances=VARIANCES)
    offsets, mask, classes = (target[0].asnumpy() for target in targets)
    return offsets.reshape(-1, 4), mask.reshape(-1, 4), classes


def _near(rng, boxes, jitter):
    """Copies of boxes with every corner moved by up to jitter times the box's size."""
    sizes = np.tile(boxes[:, 2:] - boxes[:, :2], 2)
    return boxes + rng.uniform(-jitter, jitter, size=boxes.shape) * sizes


@exercise("ch09.anchor_offsets", 2, "Convert both to centre form; divide the centre shift by the anchor's size "
          "and 0.1, take log(wb / wa) and log(hb / ha) and divide by 0.2.")
def test_anchor_offsets(student, rng):
    truth = _boxes(rng, 1, min_size=0.2, max_size=0.6)
    anchors = np.concatenate([_near(rng, np.repeat(truth, 8, axis=0), 0.15), _boxes(rng, 4)])
    offsets, mask, _ = _multibox_target(anchors, np.concatenate([[[0]], truth], axis=1), 0.5)
    positive = mask[:, 0] > 0
    got = _rows(student.call("anchor_offsets", nd(anchors[positive], "float64"),
                             nd(np.repeat(truth, positive.sum(), axis=0), "float64")), 4, "anchor_offsets")
    if got.shape != (positive.sum(), 4):
        raise AssertionError(f"anchor_offsets: expected shape {(positive.sum(), 4)}, got {got.shape}")
    for column, name in enumerate(OFFSET_COLUMNS):
        assert_close(got[:, column], offsets[positive, column], rtol=1e-3, atol=1e-4, what=f"anchor_offsets: {name}")


def _labelling_problem(rng):
    """Anchors, ground-truth rows and a threshold where both stages of the assignment matter.

    Some anchors are jittered copies of the ground truths (assigned by the threshold), one ground truth
    is small and far from every anchor (assigned only by the first stage), and no two IoUs tie.
    """
    for _ in range(200):
        truths = np.concatenate([_boxes(rng, int(rng.integers(1, 3)), min_size=0.2, max_size=0.5),
                                 _boxes(rng, 1, min_size=0.03, max_size=0.08)])
        anchors = np.concatenate([_near(rng, np.repeat(truths[:-1], 3, axis=0), 0.12),
                                  _boxes(rng, int(rng.integers(5, 9)), min_size=0.15, max_size=0.6)])
        threshold = float(rng.uniform(0.4, 0.6))
        iou = bbox_iou(anchors, truths)
        overlaps = iou[iou > 0]
        small_best = iou[:, -1].argmax()  # the small one's anchor, which overlaps no other ground truth more
        if (0 < iou[small_best, -1] < threshold and iou[small_best].argmax() == len(truths) - 1
                and (iou >= threshold).sum() > len(truths) and len(np.unique(overlaps.round(9))) == len(overlaps)):
            classes = rng.integers(0, 5, size=(len(truths), 1))
            return anchors[rng.permutation(len(anchors))], np.concatenate([classes, truths], axis=1), threshold
    raise RuntimeError("no labelling problem found in 200 draws")


@exercise("ch09.label_anchors", 4, "Stage 1: while ground truths are left, take the argmax of the IoU table, assign, "
          "set its row and column to -1. Stage 2: each unassigned anchor's best IoU >= threshold.")
def test_label_anchors(student, rng):
    anchors, labels, threshold = _labelling_problem(rng)
    offsets, mask, classes = _multibox_target(anchors, labels, threshold)
    got = student.call("label_anchors", nd(anchors, "float64"), nd(labels, "float64"), threshold)
    if not isinstance(got, (list, tuple)) or len(got) != 3:
        raise WrongType("label_anchors must return the triple (offsets, mask, classes)")
    got_offsets, got_mask = _rows(got[0], 4, "offsets"), _rows(got[1], 4, "mask")
    got_classes = np.asarray(got[2], dtype=np.float64).reshape(-1)
    best = bbox_iou(anchors, labels[:, 1:]).max(axis=1)
    with checkpoint("classes (0 for background, class + 1 for an assigned anchor)", 2):
        assert_equal(got_classes.shape, classes.shape, what="shape of classes")
        assigned, got_assigned = classes > 0, got_classes > 0
        if np.allclose(got_classes[assigned], classes[assigned] - 1):
            raise AssertionError("the classes are one too small: 0 means background, so ground-truth class c "
                                 "labels its anchors c + 1")
        for anchor in np.flatnonzero(assigned & ~got_assigned):
            stage = ("the first stage gives every ground truth the anchor it overlaps most, even below the "
                     "threshold" if best[anchor] < threshold else "its IoU is at least the threshold")
            raise AssertionError(f"anchor {anchor} (best IoU {best[anchor]:.3f}, threshold {threshold:.3f}) is "
                                 f"background in your labels but must be assigned: {stage}")
        assert_close(got_classes, classes, what="classes")
    with checkpoint("mask", 1):
        assert_close(got_mask, mask, what="mask (ones in the rows of assigned anchors)")
    with checkpoint("offsets", 1):
        assert_close(got_offsets, offsets, rtol=1e-3, atol=1e-4,
                     what="offsets (anchor_offsets towards the assigned ground truth, zeros for background)")


# ---- 9.4 non-maximum suppression -----------------------------------------------------------

def _box_nms(boxes, scores, threshold, class_ids=None):
    """MXNet oracle: indices kept by box_nms, highest score first (per class when class_ids are given)."""
    ids = np.zeros(len(boxes)) if class_ids is None else class_ids
    rows = np.concatenate([ids[:, None], scores[:, None], boxes, np.arange(len(boxes))[:, None]], axis=1)
    out = mx.nd.contrib.box_nms(mx.nd.array(rows, dtype="float64"), overlap_thresh=threshold, coord_start=2,
                                score_index=1, id_index=-1 if class_ids is None else 0, force_suppress=False)
    return [int(row[-1]) for row in out.asnumpy() if row[1] >= 0]


def _chain(rng, threshold, class_id):
    """Three boxes in a row, A > B > C by score rank: B overlaps A and C above threshold, A and C below it.

    Right NMS keeps A and C; NMS that lets the suppressed B suppress C drops C.
    """
    width = float(rng.uniform(10, 20))
    shift = width * 0.75 * (1 - threshold) / (1 + threshold)  # IoU(shift) > threshold > IoU(2 * shift)
    x, y = rng.uniform(0, 40, size=2)
    return [[x + k * shift, y, x + k * shift + width, y + width] for k in range(3)], [class_id] * 3


def _detections(rng, threshold, classes):
    """Boxes, distinct scores and class ids of a few clusters (one per class) plus a suppression chain."""
    boxes, ids = _chain(rng, threshold, classes[0])
    for class_id in classes:
        center = _boxes(rng, 1, scale=60.0, min_size=0.15, max_size=0.3)
        boxes += _near(rng, np.repeat(center, 3, axis=0), 0.1).tolist()
        ids += [class_id] * 3
    boxes += _boxes(rng, 2, scale=60.0).tolist()
    ids += [classes[-1]] * 2
    scores = np.linspace(0.95, 0.1, len(boxes))
    scores[3:] = rng.permutation(scores[3:])  # the chain keeps the three best scores, in order
    return np.array(boxes), scores, np.array(ids, dtype=np.float64)


def _assert_kept(got, expected, boxes, scores, threshold, what, class_ids=None):
    """Fail unless got lists the kept indices, highest score first; name the first wrongly kept or dropped box."""
    iou = bbox_iou(boxes, boxes)
    ids = np.zeros(len(boxes)) if class_ids is None else class_ids
    for index in [i for i in expected if i not in got]:
        stronger = [k for k in range(len(boxes)) if scores[k] > scores[index] and iou[index, k] > threshold]
        if any(ids[k] != ids[index] for k in stronger):
            raise AssertionError(f"{what}: box {index} was dropped, but only boxes of other classes overlap it "
                                 "above the threshold: suppress within a class only")
        raise AssertionError(f"{what}: box {index} was dropped, but no kept box overlaps it above the threshold "
                             "(a box that was suppressed itself suppresses nothing)")
    for index in [i for i in got if i not in expected]:
        raise AssertionError(f"{what}: box {index} must be dropped: it overlaps a kept box of its class with a "
                             "higher score above the threshold")
    assert_equal(got, expected, what=f"{what} (the kept boxes, highest score first)")


@exercise("ch09.nms", 3, "Sort by score; keep the first box left, remove every box whose IoU with it is above the "
          "threshold, repeat on what is left.")
def test_nms(student, rng):
    threshold = float(rng.uniform(0.3, 0.6))
    boxes, scores, _ = _detections(rng, threshold, [0, 0])
    got = _indices(student.call("nms", nd(boxes, "float64"), nd(scores, "float64"), threshold), "nms")
    _assert_kept(got, _box_nms(boxes, scores, threshold), boxes, scores, threshold, f"nms(threshold={threshold:.3f})")


@exercise("ch09.multiclass_nms", 3, "Run your nms on the boxes of each class separately, then merge the kept "
          "indices by decreasing score.")
def test_multiclass_nms(student, rng):
    threshold = float(rng.uniform(0.3, 0.6))
    boxes, scores, class_ids = _detections(rng, threshold, [0, 1, 2])
    mixed = np.flatnonzero(class_ids == 0)[3:]  # give some of class 0's second cluster another class
    class_ids[mixed[:2]] = 1
    got = _indices(student.call("multiclass_nms", nd(boxes, "float64"), nd(scores, "float64"),
                                nd(class_ids, "int32"), threshold), "multiclass_nms")
    _assert_kept(got, _box_nms(boxes, scores, threshold, class_ids), boxes, scores, threshold,
                 f"multiclass_nms(threshold={threshold:.3f})", class_ids)


# ---- 9.10 fully convolutional networks -----------------------------------------------------

@exercise("ch09.conv_transpose_out_shape", 2, "Each dimension: (n - 1) * s - 2 * p + k (solve the convolution's "
          "formula for its input).")
def test_conv_transpose_out_shape(student, rng):
    for _ in range(4):
        n_h, n_w = (int(v) for v in rng.integers(2, 12, size=2))
        k_h, k_w = (int(v) for v in rng.integers(2, 7, size=2))
        p_h, p_w = int(rng.integers(1, (k_h + 1) // 2 + 1)), int(rng.integers(1, (k_w + 1) // 2 + 1))
        s_h, s_w = (int(v) for v in rng.integers(1, 4, size=2))
        deconv = mx.sym.Deconvolution(mx.sym.var("data"), kernel=(k_h, k_w), pad=(p_h, p_w), stride=(s_h, s_w),
                                      num_filter=1, no_bias=True)
        expected = tuple(deconv.infer_shape(data=(1, 1, n_h, n_w))[1][0][2:])
        args = (n_h, n_w, k_h, k_w, p_h, p_w, s_h, s_w)
        got = student.call("conv_transpose_out_shape", *args)
        got = tuple(got) if isinstance(got, list) else got
        if got == ((n_h - 1) * s_h + 2 * p_h + k_h, (n_w - 1) * s_w + 2 * p_w + k_w):
            raise AssertionError(f"conv_transpose_out_shape{args} = {got} adds the padding; a transposed "
                                 "convolution removes it: padding p trims p rows or columns from each side")
        assert_equal(got, expected, what=f"conv_transpose_out_shape{args}")


def _reference_fcn_head(num_classes):
    """The book's FCN head (section 9.10): a 1 x 1 convolution to class scores, then a transposed convolution
    with kernel 2 s, padding s / 2 and stride s, which multiplies height and width by s = 32 (ResNet-18's
    downsampling)."""
    scale = 32
    head = nn.HybridSequential()
    head.add(nn.Conv2D(num_classes, 1), nn.Conv2DTranspose(num_classes, 2 * scale, strides=scale, padding=scale // 2))
    return head


@exercise("ch09.fcn_head", 3, "nn.Conv2D(num_classes, kernel_size=1), then nn.Conv2DTranspose(num_classes, "
          "kernel_size=64, padding=16, strides=32), in an nn.HybridSequential.")
def test_fcn_head(student, rng):
    num_classes = int(rng.integers(2, 22))
    input_shape = (int(rng.integers(1, 3)), 512, int(rng.integers(2, 8)), int(rng.integers(2, 8)))
    got = student.probe("symbolic_summary", "fcn_head", num_classes, input_shape=input_shape)
    expected = symbolic_summary(_reference_fcn_head, num_classes, input_shape=input_shape)
    with checkpoint("32 times the feature map's height and width, num_classes channels", 2):
        assert_equal(got["output_shape"], expected["output_shape"],
                     what=f"output shape of fcn_head({num_classes}) on a feature map of shape {input_shape}")
    with checkpoint("parameter shapes", 1):
        assert_equal(got["param_shapes"], expected["param_shapes"], what="shapes of the head's parameters")


@exercise("ch09.bilinear_kernel", 2, "Build filt from np.ogrid as the docstring says; weight[range(in_channels), "
          "range(out_channels), :, :] = filt.")
def test_bilinear_kernel(student, rng):
    # Multiples of 4, like the book's 64: for other sizes MXNet's Bilinear filter is centred differently.
    channels, kernel_size = int(rng.integers(2, 5)), 4 * int(rng.integers(1, 5))
    filt = mx.nd.zeros((1, 1, kernel_size, kernel_size))
    mx.init.Bilinear()._init_weight("bilinear", filt)
    got = student.call("bilinear_kernel", channels, channels, kernel_size)
    assert_equal(np.shape(got), (channels, channels, kernel_size, kernel_size), what="shape of the weight")
    got = np.asarray(got)
    with checkpoint("the bilinear filter on every channel's own pair (i, i)", 1):
        for i in range(channels):
            assert_close(got[i, i], filt[0, 0].asnumpy(), rtol=1e-5, what=f"weight[{i}, {i}]")
    with checkpoint("zeros between different channels", 1):
        off_diagonal = ~np.eye(channels, dtype=bool)
        if np.abs(got[off_diagonal]).max() > 0:
            raise AssertionError("weight[i, j] is not zero for i != j: channel i must feed only output channel i, "
                                 "or the upsampling mixes the class scores")
