"""PASCAL VOC2012 semantic segmentation (chapter 9): download, read, crop and a Gluon Dataset.

The class names are the book's (gluoncv's VOC lists spell several differently, e.g. 'airplane',
'tv', so they are not reused here). Label PNGs colour each pixel with VOC_COLORMAP; a 256³ lookup
table (``colormap2label``, see ``build_colormap2label``) turns colours into class indices.
"""
import os

import numpy as np
from mxnet import image, nd
from mxnet.gluon import data as gdata

from . import store

VOC_ARCHIVE = store.RemoteFile(
    "VOCtrainval_11-May-2012.tar",
    ["http://host.robots.ox.ac.uk/pascal/VOC/voc2012/VOCtrainval_11-May-2012.tar",
     "http://d2l-data.s3-accelerate.amazonaws.com/VOCtrainval_11-May-2012.tar"],
    "4e443f8a2eca6b1dac8a6c57641b67dd40621a49",
)
VOC_SUBDIR = os.path.join("VOCdevkit", "VOC2012")
BOOK_DATA = "../data"
DEFAULT_ROOT = "../data/VOCdevkit/VOC2012"

VOC_CLASSES = ['background', 'aeroplane', 'bicycle', 'bird', 'boat', 'bottle', 'bus', 'car', 'cat',
               'chair', 'cow', 'diningtable', 'dog', 'horse', 'motorbike', 'person',
               'potted plant', 'sheep', 'sofa', 'train', 'tv/monitor']
VOC_COLORMAP = [[0, 0, 0], [128, 0, 0], [0, 128, 0], [128, 128, 0], [0, 0, 128], [128, 0, 128],
                [0, 128, 128], [128, 128, 128], [64, 0, 0], [192, 0, 0], [64, 128, 0],
                [192, 128, 0], [64, 0, 128], [192, 0, 128], [64, 128, 128], [192, 128, 128],
                [0, 64, 0], [128, 64, 0], [0, 192, 0], [128, 192, 0], [0, 64, 128]]

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]


def download_voc_pascal(data_dir='../data'):
    """Download (about 2 GB, sha1-checked) and unpack VOC2012 into data_dir; return its VOC2012 folder.

    With the default data_dir, $D2LZH_DATA is searched first (and receives the download if set).
    Nothing is downloaded when VOCdevkit/VOC2012 is already there.
    """
    folder = store.fetch_unpacked("PASCAL VOC2012", VOC_ARCHIVE, VOC_SUBDIR, store.book_dirs(data_dir, BOOK_DATA))
    return os.path.join(folder, VOC_SUBDIR)


def read_voc_images(root=DEFAULT_ROOT, is_train=True):
    """Lists of images and of colour label images (HWC uint8 NDArrays) of the train or val split."""
    root = _voc_root(root)
    split = os.path.join(root, "ImageSets", "Segmentation", "train.txt" if is_train else "val.txt")
    with open(split) as f:
        names = f.read().split()
    features = [image.imread(os.path.join(root, "JPEGImages", name + ".jpg")) for name in names]
    labels = [image.imread(os.path.join(root, "SegmentationClass", name + ".png")) for name in names]
    return features, labels


def build_colormap2label():
    """The 256³ lookup table from a packed RGB colour to its VOC class index (0 for other colours)."""
    table = np.zeros(256 ** 3, dtype=np.float32)
    for index, (r, g, b) in enumerate(VOC_COLORMAP):
        table[(r * 256 + g) * 256 + b] = index
    return nd.array(table)


def voc_label_indices(colormap, colormap2label):
    """Class index of every pixel of an HWC colour label image, through the lookup table."""
    colormap = colormap.astype('int32')
    packed = (colormap[:, :, 0] * 256 + colormap[:, :, 1]) * 256 + colormap[:, :, 2]
    return colormap2label[packed]


def voc_rand_crop(feature, label, height, width):
    """The same random height x width crop of an image and of its label image."""
    feature, rect = image.random_crop(feature, (width, height))
    label = image.fixed_crop(label, *rect)
    return feature, label


class VOCSegDataset(gdata.Dataset):
    """Normalised, randomly cropped VOC images (CHW) with per-pixel class labels.

    Images smaller than ``crop_size`` (height, width) are dropped.
    """

    def __init__(self, is_train, crop_size, voc_dir, colormap2label):
        self.rgb_mean = nd.array(IMAGENET_MEAN)
        self.rgb_std = nd.array(IMAGENET_STD)
        self.crop_size = crop_size
        features, labels = read_voc_images(root=voc_dir, is_train=is_train)
        self.features = [self.normalize_image(im) for im in self.filter(features)]
        self.labels = self.filter(labels)
        self.colormap2label = colormap2label
        print('read ' + str(len(self.features)) + ' examples')

    @property
    def data(self):
        """1.0.0's name for ``features``."""
        return self.features

    def normalize_image(self, img):
        """Scale to [0, 1], then standardise each channel with the ImageNet mean and std."""
        return (img.astype('float32') / 255 - self.rgb_mean) / self.rgb_std

    def filter(self, imgs):
        """The images at least as large as the crop."""
        return [img for img in imgs
                if img.shape[0] >= self.crop_size[0] and img.shape[1] >= self.crop_size[1]]

    def __getitem__(self, idx):
        feature, label = voc_rand_crop(self.features[idx], self.labels[idx], *self.crop_size)
        return feature.transpose((2, 0, 1)), voc_label_indices(label, self.colormap2label)

    def __len__(self):
        return len(self.features)


def _voc_root(root):
    """``root`` if it exists (the default: $D2LZH_DATA/VOCdevkit/VOC2012, then the book's); else raise."""
    if root == DEFAULT_ROOT:
        tried = [os.path.join(d, VOC_SUBDIR) for d in store.book_dirs(BOOK_DATA, BOOK_DATA)]
    else:
        tried = [root]
    for folder in tried:
        if os.path.isdir(folder):
            return folder
    raise store.DataNotFoundError(
        "PASCAL VOC2012 not found; folders tried: %s. Fix: run voc_dir = d2l.download_voc_pascal(DIR)"
        " (about 2 GB) and pass root=voc_dir, or unpack %s so that $%s/%s exists."
        % ("; ".join(store.expand(t) for t in tried), VOC_ARCHIVE.name, store.DATA_ENV, VOC_SUBDIR))
