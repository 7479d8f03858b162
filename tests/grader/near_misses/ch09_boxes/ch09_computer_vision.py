"""Near misses of chapter 9, part 1: box geometry, anchors, offsets and single-class NMS."""
from solved_ch09_computer_vision import *  # noqa: F401,F403
from solved_ch09_computer_vision import _as_numpy, label_anchors as _label_anchors
import numpy as np


def box_center_to_corner(boxes):
    """Takes the whole width and height, not half of them, on each side of the centre."""
    b = _as_numpy(boxes)
    return np.stack([b[:, 0] - b[:, 2], b[:, 1] - b[:, 3], b[:, 0] + b[:, 2], b[:, 1] + b[:, 3]], 1)


def num_anchors(height, width, num_sizes, num_ratios):
    """Pairs every size with every ratio."""
    return height * width * num_sizes * num_ratios


def multibox_prior(height, width, sizes, ratios):
    """Anchor widths s * sqrt(t), forgetting MultiBoxPrior's height / width factor (wrong on non-square maps)."""
    shapes = [(s, ratios[0]) for s in sizes] + [(sizes[0], r) for r in ratios[1:]]
    half_w = np.array([s * np.sqrt(r) / 2 for s, r in shapes])
    half_h = np.array([s / np.sqrt(r) / 2 for s, r in shapes])
    cy, cx = np.meshgrid((np.arange(height) + 0.5) / height, (np.arange(width) + 0.5) / width, indexing="ij")
    cx, cy = cx.reshape(-1, 1), cy.reshape(-1, 1)
    return np.stack([cx - half_w, cy - half_h, cx + half_w, cy + half_h], axis=2).reshape(1, -1, 4)


def box_iou(boxes1, boxes2):
    """Inclusive pixel bounds: width x2 - x1 + 1."""
    a, b = _as_numpy(boxes1), _as_numpy(boxes2)
    top_left = np.maximum(a[:, None, :2], b[None, :, :2])
    bottom_right = np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.prod(np.clip(bottom_right - top_left + 1, 0, None), axis=2)
    area_a = np.prod(a[:, 2:] - a[:, :2] + 1, axis=1)
    area_b = np.prod(b[:, 2:] - b[:, :2] + 1, axis=1)
    return inter / (area_a[:, None] + area_b[None, :] - inter)


def anchor_offsets(anchors, boxes):
    """Size offsets without the log: (wb / wa) / 0.2."""
    a, b = box_corner_to_center(anchors), box_corner_to_center(boxes)
    return np.stack([(b[:, 0] - a[:, 0]) / a[:, 2] / 0.1, (b[:, 1] - a[:, 1]) / a[:, 3] / 0.1,
                     b[:, 2] / a[:, 2] / 0.2, b[:, 3] / a[:, 3] / 0.2], axis=1)


def label_anchors(anchors, labels, iou_threshold=0.5):
    """Right assignment, but the ground truth's class itself, without the + 1 that makes room for background."""
    offsets, mask, classes = _label_anchors(anchors, labels, iou_threshold)
    return offsets, mask, np.where(classes > 0, classes - 1, 0)


def nms(boxes, scores, iou_threshold):
    """Lets a box that was itself suppressed still suppress the boxes after it."""
    iou = box_iou(boxes, boxes)
    order = list(np.argsort(-_as_numpy(scores), kind="stable"))
    dropped = set()
    for rank, i in enumerate(order):
        for j in order[rank + 1:]:
            if iou[i, j] > iou_threshold:
                dropped.add(j)
    return [int(i) for i in order if i not in dropped]
