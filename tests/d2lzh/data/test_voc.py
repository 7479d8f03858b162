"""VOC2012 helpers on a small VOC-like folder (JPEG images, palette PNG labels) written by the test."""
import hashlib
import io
import tarfile

import numpy as np
import pytest
from mxnet import nd
from PIL import Image

import d2lzh as d2l
from d2lzh.data import store, voc

SIZES = {"2007_000032": (40, 50), "2007_000039": (36, 64), "2007_000063": (20, 24)}  # (h, w)


def voc_devkit_colormap(n=21):
    """The colormap of the VOC devkit's labelcolormap.m: bits of the class index spread over RGB."""
    cmap = []
    for index in range(n):
        rgb, c = [0, 0, 0], index
        for bit in range(8):
            for channel in range(3):
                rgb[channel] |= ((c >> channel) & 1) << (7 - bit)
            c >>= 3
        cmap.append(rgb)
    return cmap


def class_map(h, w, seed):
    """Per-pixel class indices: horizontal bands of random classes."""
    classes = np.random.RandomState(seed).randint(0, 21, size=4)
    return np.repeat(classes, -(-h // 4))[:h, None].repeat(w, axis=1).astype(np.uint8)


def write_voc(root, sizes=SIZES, val=("2007_000039",)):
    """A VOC2012-like tree: JPEGImages/*.jpg, palette SegmentationClass/*.png, the split lists."""
    for sub in ("JPEGImages", "SegmentationClass", "ImageSets/Segmentation"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    palette = [v for rgb in voc_devkit_colormap() for v in rgb] + [0] * (768 - 63)
    classes = {}
    for seed, (name, (h, w)) in enumerate(sizes.items()):
        pixels = np.random.RandomState(seed).randint(0, 256, (h, w, 3)).astype(np.uint8)
        Image.fromarray(pixels).save(str(root / "JPEGImages" / (name + ".jpg")), quality=95)
        classes[name] = class_map(h, w, seed)
        label = Image.fromarray(classes[name], mode="P")
        label.putpalette(palette)
        label.save(str(root / "SegmentationClass" / (name + ".png")))
    (root / "ImageSets/Segmentation/train.txt").write_text("\n".join(sizes) + "\n")
    (root / "ImageSets/Segmentation/val.txt").write_text("\n".join(val) + "\n")
    return classes


def test_constants_are_the_standard_voc_ones():
    assert voc.VOC_COLORMAP == voc_devkit_colormap()
    assert len(d2l.VOC_CLASSES) == 21 and d2l.VOC_CLASSES[0] == "background"
    assert d2l.VOC_CLASSES[15] == "person" and d2l.VOC_CLASSES[20] == "tv/monitor"


def test_read_voc_images_and_label_indices(tmp_path):
    classes = write_voc(tmp_path)
    features, labels = d2l.read_voc_images(str(tmp_path), is_train=True)
    assert [f.shape for f in features] == [(h, w, 3) for h, w in SIZES.values()]
    colormap2label = voc.build_colormap2label()
    for label, expected in zip(labels, classes.values()):
        np.testing.assert_array_equal(d2l.voc_label_indices(label, colormap2label).asnumpy(), expected)
    val_features, _ = d2l.read_voc_images(str(tmp_path), is_train=False)
    assert [f.shape[:2] for f in val_features] == [SIZES["2007_000039"]]


def test_default_root_falls_back_to_d2lzh_data(tmp_path, monkeypatch):
    write_voc(tmp_path / "store" / "VOCdevkit" / "VOC2012")
    monkeypatch.setenv(store.DATA_ENV, str(tmp_path / "store"))
    (tmp_path / "chapter").mkdir()
    monkeypatch.chdir(tmp_path / "chapter")
    assert len(d2l.read_voc_images()[0]) == 3


def test_missing_root_explains_the_fix(tmp_path):
    with pytest.raises(store.DataNotFoundError) as err:
        d2l.read_voc_images(str(tmp_path / "VOC2012"))
    assert str(tmp_path / "VOC2012") in str(err.value) and "download_voc_pascal" in str(err.value)


def test_voc_rand_crop_crops_image_and_label_alike():
    rows, cols = np.meshgrid(np.arange(30), np.arange(40), indexing="ij")
    feature = nd.array(np.stack([rows, cols, rows + cols], axis=2), dtype="uint8")
    label = nd.array(np.stack([rows, cols, np.zeros_like(rows)], axis=2), dtype="uint8")
    d2l.set_seed(0)
    crop_f, crop_l = d2l.voc_rand_crop(feature, label, 10, 16)
    assert crop_f.shape == (10, 16, 3) and crop_l.shape == (10, 16, 3)
    np.testing.assert_array_equal(crop_f.asnumpy()[:, :, :2], crop_l.asnumpy()[:, :, :2])
    top, left = crop_f.asnumpy()[0, 0, :2]
    np.testing.assert_array_equal(crop_f.asnumpy(), feature.asnumpy()[top:top + 10, left:left + 16])
    d2l.set_seed(0)
    np.testing.assert_array_equal(d2l.voc_rand_crop(feature, label, 10, 16)[0].asnumpy(), crop_f.asnumpy())


def test_voc_seg_dataset(tmp_path, capsys):
    classes = write_voc(tmp_path)
    raw, _ = d2l.read_voc_images(str(tmp_path))
    dataset = d2l.VOCSegDataset(True, (38, 48), str(tmp_path), voc.build_colormap2label())
    assert capsys.readouterr().out == "read 1 examples\n"  # 36x64 and 20x24 are smaller than 38x48
    assert len(dataset) == 1 and dataset.data is dataset.features
    mean, std = np.array([0.485, 0.456, 0.406]), np.array([0.229, 0.224, 0.225])
    np.testing.assert_allclose(dataset.features[0].asnumpy(), (raw[0].asnumpy() / 255 - mean) / std,
                               rtol=1e-5, atol=1e-5)
    feature, label = dataset[0]
    assert feature.shape == (3, 38, 48) and label.shape == (38, 48)
    # the label is a crop of the class map whose window matches the image crop
    top, left = _locate(dataset.features[0].asnumpy(), feature.asnumpy().transpose(1, 2, 0))
    np.testing.assert_array_equal(label.asnumpy(), classes["2007_000032"][top:top + 38, left:left + 48])


def _locate(full, crop):
    """(top, left) at which ``crop`` sits in ``full``."""
    h, w = crop.shape[:2]
    for top in range(full.shape[0] - h + 1):
        for left in range(full.shape[1] - w + 1):
            if np.array_equal(full[top:top + h, left:left + w], crop):
                return top, left
    raise AssertionError("crop not found in the image")


def voc_tar(tmp_path):
    """A tar in the real archive's layout, holding a small VOC2012 tree."""
    write_voc(tmp_path / "made" / "VOCdevkit" / "VOC2012")
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        tf.add(str(tmp_path / "made" / "VOCdevkit"), arcname="VOCdevkit")
    return buf.getvalue()


def test_download_voc_pascal_unpacks_a_checked_archive(tmp_path, monkeypatch, fake_web):
    archive = voc_tar(tmp_path)
    mirror = voc.VOC_ARCHIVE.urls[1]
    fake_web.update({mirror: archive})  # the first host is down, the mirror answers
    checked = voc.VOC_ARCHIVE._replace(sha1=hashlib.sha1(archive).hexdigest())
    monkeypatch.setattr(voc, "VOC_ARCHIVE", checked)
    data_dir = str(tmp_path / "data")
    voc_dir = d2l.download_voc_pascal(data_dir)
    assert voc_dir == data_dir + "/VOCdevkit/VOC2012"
    assert len(d2l.read_voc_images(voc_dir)[0]) == 3
    assert d2l.download_voc_pascal(data_dir) == voc_dir  # already there: no download


def test_download_voc_pascal_rejects_a_wrong_archive(tmp_path, monkeypatch, fake_web):
    fake_web.update({url: voc_tar(tmp_path) for url in voc.VOC_ARCHIVE.urls})
    with pytest.raises(store.DataNotFoundError, match="sha1 mismatch"):
        d2l.download_voc_pascal(str(tmp_path / "data"))
    assert not (tmp_path / "data" / "VOCdevkit").exists()


def test_download_voc_pascal_offline(tmp_path):
    with pytest.raises(store.DataNotFoundError, match="VOCtrainval_11-May-2012.tar"):
        d2l.download_voc_pascal(str(tmp_path))
