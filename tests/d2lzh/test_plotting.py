"""The plotting helpers draw what the book draws, headless, with NDArray or numpy inputs."""
import subprocess
import sys
import types

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.patches import Rectangle
from mxnet import nd

from d2lzh import plotting


@pytest.fixture(autouse=True)
def close_figures():
    """Each test starts and ends with no open figure."""
    plt.close("all")
    yield
    plt.close("all")


@pytest.fixture
def fake_notebook(monkeypatch):
    """A fake running IPython plus a fake matplotlib_inline; returns the formats it was asked for."""
    calls = []
    ipython = types.ModuleType("IPython")
    ipython.get_ipython = lambda: object()
    inline = types.ModuleType("matplotlib_inline")
    backend = types.ModuleType("matplotlib_inline.backend_inline")
    backend.set_matplotlib_formats = lambda *formats: calls.append(formats)
    inline.backend_inline = backend
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    monkeypatch.setitem(sys.modules, "matplotlib_inline", inline)
    monkeypatch.setitem(sys.modules, "matplotlib_inline.backend_inline", backend)
    return calls


def test_importing_plotting_loads_neither_pyplot_nor_ipython():
    code = "import sys, d2lzh.plotting; print(sorted({'matplotlib.pyplot', 'IPython'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr


def test_use_svg_display_is_a_no_op_outside_ipython(monkeypatch):
    monkeypatch.delitem(sys.modules, "IPython", raising=False)
    assert plotting.use_svg_display() is None
    assert "IPython" not in sys.modules


def test_use_svg_display_is_a_no_op_when_ipython_is_imported_but_not_running(monkeypatch, fake_notebook):
    sys.modules["IPython"].get_ipython = lambda: None
    plotting.use_svg_display()
    assert fake_notebook == []


def test_use_svg_display_uses_matplotlib_inline_in_a_notebook(fake_notebook):
    plotting.use_svg_display()
    assert fake_notebook == [("svg",)]


def test_use_svg_display_falls_back_to_the_old_ipython_function(monkeypatch, fake_notebook):
    monkeypatch.setitem(sys.modules, "matplotlib_inline", None)  # import fails
    monkeypatch.setitem(sys.modules, "matplotlib_inline.backend_inline", None)
    old_calls = []
    display = types.ModuleType("IPython.display")
    display.set_matplotlib_formats = lambda *formats: old_calls.append(formats)
    sys.modules["IPython"].display = display
    monkeypatch.setitem(sys.modules, "IPython.display", display)
    plotting.use_svg_display()
    assert old_calls == [("svg",)]


def test_use_svg_display_without_any_setter_does_nothing(monkeypatch, fake_notebook):
    monkeypatch.setitem(sys.modules, "matplotlib_inline", None)
    monkeypatch.setitem(sys.modules, "matplotlib_inline.backend_inline", None)
    monkeypatch.setitem(sys.modules, "IPython.display", None)
    plotting.use_svg_display()
    assert fake_notebook == []


def test_set_figsize_sets_the_size_of_new_figures(monkeypatch):
    monkeypatch.setitem(plt.rcParams, "figure.figsize", [6.4, 4.8])
    plotting.set_figsize((5, 2))
    assert list(plt.rcParams["figure.figsize"]) == [5, 2]
    plotting.set_figsize()
    assert list(plt.figure().get_size_inches()) == [3.5, 2.5]


def test_semilogy_one_curve_and_none_second(monkeypatch):
    monkeypatch.setitem(plt.rcParams, "figure.figsize", [6.4, 4.8])
    ax = plotting.semilogy(range(1, 4), [1, 10, 100], "epochs", "loss")
    assert ax.get_yscale() == "log"
    assert len(ax.lines) == 1
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("epochs", "loss")
    assert ax.get_legend() is None


def test_semilogy_with_numpy_second_curve_and_legend(monkeypatch):
    monkeypatch.setitem(plt.rcParams, "figure.figsize", [6.4, 4.8])
    x = np.arange(1, 6)
    ax = plotting.semilogy(x, np.exp(x), "x", "y", x, np.exp(2 * x), ["train", "test"], figsize=(4, 3))
    assert len(ax.lines) == 2
    assert ax.lines[1].get_linestyle() == ":"
    np.testing.assert_allclose(ax.lines[1].get_ydata(), np.exp(2 * x))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["train", "test"]
    assert list(ax.figure.get_size_inches()) == [4, 3]


@pytest.mark.parametrize("shape", [(1, 28, 28), (1, 32, 32), (32, 32), (32, 32, 1), (784,)])
def test_show_fashion_mnist_accepts_any_image_size(shape):
    rng = np.random.RandomState(0)
    images = [nd.array(rng.rand(*shape)), rng.rand(*shape), nd.array(rng.rand(*shape))]
    axes = plotting.show_fashion_mnist(images, ["a", "b", "c"])
    side = 28 if shape == (784,) else 32 if 32 in shape else 28
    assert len(axes) == 3
    assert [ax.get_title() for ax in axes] == ["a", "b", "c"]
    shown = axes[1].images[0].get_array()
    assert shown.shape == (side, side)
    np.testing.assert_allclose(shown, images[1].reshape(side, side))
    assert not axes[0].get_xaxis().get_visible()


def test_show_fashion_mnist_with_a_single_image_and_a_batch_ndarray():
    batch = nd.ones((1, 1, 20, 20))
    axes = plotting.show_fashion_mnist(batch, ["only"])
    assert len(axes) == 1 and axes[0].images[0].get_array().shape == (20, 20)


def test_show_fashion_mnist_rejects_a_flat_non_square_image():
    with pytest.raises(ValueError, match="not square"):
        plotting.show_fashion_mnist([np.zeros(10)], ["x"])


def test_show_images_grid_with_ndarray_and_numpy():
    imgs = nd.array(np.random.RandomState(1).randint(0, 255, size=(6, 8, 10, 3)), dtype="uint8")
    axes = plotting.show_images(imgs, 2, 3, scale=1.5)
    assert axes.shape == (2, 3)
    assert list(axes[0, 0].figure.get_size_inches()) == [4.5, 3.0]
    np.testing.assert_array_equal(axes[1, 2].images[0].get_array(), imgs[5].asnumpy())
    single_row = plotting.show_images(np.zeros((2, 5, 5, 1)), 1, 2)
    assert single_row.shape == (1, 2) and single_row[0, 1].images[0].get_array().shape == (5, 5)


def test_show_images_leaves_extra_cells_empty():
    axes = plotting.show_images([np.zeros((4, 4))] * 3, 2, 2)
    assert [len(ax.images) for ax in axes.flat] == [1, 1, 1, 0]


def test_show_trace_2d_plots_trajectory_over_contours():
    res = [(-5.0, -2.0), (-3.0, -1.0), (-1.5, -0.4), (-0.5, -0.1)]
    ax = plotting.show_trace_2d(lambda x1, x2: x1 ** 2 + 2 * x2 ** 2, res)
    assert len(ax.lines) == 1
    np.testing.assert_allclose(ax.lines[0].get_xdata(), [p[0] for p in res])
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [p[1] for p in res])
    assert ax.collections, "contour lines are drawn"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x1", "x2")


def test_show_trace_2d_accepts_ndarray_points_with_extra_state():
    res = [(nd.array([-5.0]), nd.array([-2.0]), 0, 0), (np.float32(-1.0), np.float64(-0.5), 0, 0)]
    ax = plotting.show_trace_2d(lambda x1, x2: x1 ** 2 + x2 ** 2, res)
    np.testing.assert_allclose(ax.lines[0].get_xydata(), [[-5, -2], [-1, -0.5]])


def test_show_trace_2d_grid_covers_a_trajectory_outside_the_book_window():
    seen = {}

    def f(x1, x2):
        seen["x1"], seen["x2"] = x1, x2
        return x1 ** 2 + x2 ** 2

    plotting.show_trace_2d(f, [(-5, -2), (4, 6), (3.0, 5.0)])
    assert seen["x1"].min() <= -5.5 and seen["x1"].max() >= 4
    assert seen["x2"].min() <= -3 and seen["x2"].max() >= 6


def test_bbox_to_rect_from_list_and_ndarray():
    for box in ([1, 2, 5, 7], nd.array([1, 2, 5, 7])):
        rect = plotting.bbox_to_rect(box, "red")
        assert rect.get_xy() == (1, 2)
        assert (rect.get_width(), rect.get_height()) == (4, 5)
        assert not rect.get_fill()
    with pytest.raises(ValueError, match="4 numbers"):
        plotting.bbox_to_rect([1, 2, 3], "r")


def test_make_list():
    assert plotting._make_list(None, ["b"]) == ["b"]
    assert plotting._make_list("cat") == ["cat"]
    assert plotting._make_list(("a", "b")) == ("a", "b")


def test_show_bboxes_default_colors_and_labels():
    fig, ax = plt.subplots()
    boxes = nd.array([[0, 0, 1, 1], [1, 1, 2, 2], [0, 0, 2, 2], [1, 0, 2, 1], [0, 1, 1, 2], [0, 0, 3, 3]])
    rects = plotting.show_bboxes(ax, boxes, labels=["a", "b"])
    patches = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(rects) == len(patches) == 6
    book_colors = ["b", "g", "r", "m", "c", "b"]
    expected = [matplotlib.colors.to_rgba(c) for c in book_colors]
    assert [tuple(r.get_edgecolor()) for r in rects] == expected
    texts = ax.texts
    assert [t.get_text() for t in texts] == ["a", "b"]
    assert texts[0].get_position() == (0, 0)
    assert texts[1].get_bbox_patch().get_facecolor() == matplotlib.colors.to_rgba("g")


def test_show_bboxes_numpy_boxes_single_color_and_white_label():
    _, ax = plt.subplots()
    rects = plotting.show_bboxes(ax, np.array([[0, 0, 4, 4], [1, 1, 3, 3]]), "dog", "w")
    assert [tuple(r.get_edgecolor()) for r in rects] == [matplotlib.colors.to_rgba("w")] * 2
    assert [t.get_text() for t in ax.texts] == ["dog"]
    assert ax.texts[0].get_color() == "k"
