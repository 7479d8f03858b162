"""The book's plotting helpers, headless-safe: matplotlib loads on first use, IPython is optional.

Like the book, the helpers draw with pyplot's state (the current figure, or new subplots) and never
call ``plt.show()``: Jupyter shows the figure at the end of the cell, the Agg backend (scripts, CI,
the grader) stays silent, and a script with a window backend calls ``d2l.plt.show()`` itself.
Each helper returns what it drew on, so tests and users can inspect it.
"""
import sys
import warnings

import numpy as np

_BOOK_BOX_COLORS = ["b", "g", "r", "m", "c"]


def _pyplot():
    """``matplotlib.pyplot``, imported on first use so ``import d2lzh`` stays light."""
    import matplotlib.pyplot as plt
    return plt


def _inside_ipython():
    """Whether an IPython shell or kernel is running (without importing IPython ourselves)."""
    ipython = sys.modules.get("IPython")
    get_ipython = getattr(ipython, "get_ipython", None)
    return get_ipython is not None and get_ipython() is not None


def _svg_format_setter():
    """matplotlib_inline's ``set_matplotlib_formats``, else IPython's old one (removed in IPython 9), else None."""
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats
        return set_matplotlib_formats
    except ImportError:
        pass
    try:
        from IPython.display import set_matplotlib_formats
        return set_matplotlib_formats
    except ImportError:
        return None


def use_svg_display():
    """Show inline figures as SVG in Jupyter; a no-op in scripts, headless runs and plain Python."""
    if not _inside_ipython():
        return
    setter = _svg_format_setter()
    if setter is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # IPython 7.23-8.x's own function warns
            setter("svg")


def set_figsize(figsize=(3.5, 2.5)):
    """Use SVG in notebooks and make ``figsize`` (inches) the size of new figures."""
    use_svg_display()
    _pyplot().rcParams["figure.figsize"] = figsize


def semilogy(x_vals, y_vals, x_label, y_label, x2_vals=None, y2_vals=None, legend=None,
             figsize=(3.5, 2.5)):
    """Plot y (and optionally y2, dotted) against x with a log y-axis; returns the axes.

    Draws on pyplot's current axes like the book; works with lists, numpy arrays and ranges.
    """
    set_figsize(figsize)
    plt = _pyplot()
    axes = plt.gca()
    axes.set_xlabel(x_label)
    axes.set_ylabel(y_label)
    axes.semilogy(x_vals, y_vals)
    if x2_vals is not None and y2_vals is not None:
        axes.semilogy(x2_vals, y2_vals, linestyle=":")
    if legend is not None:
        axes.legend(legend)
    return axes


def _to_numpy(x):
    """A numpy array from an NDArray, a numpy array or a nested list."""
    return x.asnumpy() if hasattr(x, "asnumpy") else np.asarray(x)


def _as_image(img):
    """An array ``imshow`` accepts: a single channel (1,h,w)/(h,w,1) squeezed to (h,w); a flat square vector to (s,s)."""
    img = _to_numpy(img)
    if img.ndim == 1:
        side = int(round(np.sqrt(img.size)))
        if side * side != img.size:
            raise ValueError("cannot show a flat image of %d pixels: it is not square; reshape it to (h, w)" % img.size)
        return img.reshape(side, side)
    if img.ndim == 3 and img.shape[0] == 1:
        return img[0]
    if img.ndim == 3 and img.shape[-1] == 1:
        return img[..., 0]
    return img


def _hide_ticks(ax):
    """Hide both axes of an image subplot."""
    ax.axes.get_xaxis().set_visible(False)
    ax.axes.get_yaxis().set_visible(False)


def show_fashion_mnist(images, labels):
    """One row of images titled with ``labels``; any image size (28x28 or resized), NDArray or numpy.

    Returns the list of axes.
    """
    use_svg_display()
    images = list(images)
    _, axes = _pyplot().subplots(1, len(images), figsize=(12, 12), squeeze=False)
    for ax, img, label in zip(axes[0], images, labels):
        ax.imshow(_as_image(img))
        ax.set_title(label)
        _hide_ticks(ax)
    return list(axes[0])


def show_images(imgs, num_rows, num_cols, scale=2):
    """A num_rows x num_cols grid of images (NDArray or numpy); returns the 2-D array of axes."""
    figsize = (num_cols * scale, num_rows * scale)
    _, axes = _pyplot().subplots(num_rows, num_cols, figsize=figsize, squeeze=False)
    imgs = list(imgs)
    for k, ax in enumerate(axes.flat):
        if k < len(imgs):
            ax.imshow(_as_image(imgs[k]))
        _hide_ticks(ax)
    return axes


def _finite_range(values, low, high, margin):
    """(min, max) covering the finite ``values`` plus ``margin``, and at least [low, high]."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return low, high
    return min(low, values.min() - margin), max(high, values.max() + margin)


def show_trace_2d(f, res):
    """Plot the points ``res`` of ``train_2d`` (a list of (x1, x2, ...): floats, numpy or NDArray scalars)
    over the contour lines of f(x1, x2).

    The grid covers the book's window [-5.5, 1] x [-3, 1] and the whole trajectory; returns the axes.
    """
    points = np.array([[float(_to_numpy(v).reshape(-1)[0]) for v in p[:2]] for p in res])
    set_figsize()
    axes = _pyplot().gca()
    axes.plot(points[:, 0], points[:, 1], "-o", color="#ff7f0e")
    x1_lo, x1_hi = _finite_range(points[:, 0], -5.5, 1.0, 0.5)
    x2_lo, x2_hi = _finite_range(points[:, 1], -3.0, 1.0, 1.0)
    x1, x2 = np.meshgrid(np.linspace(x1_lo, x1_hi, 121), np.linspace(x2_lo, x2_hi, 81))
    axes.contour(x1, x2, f(x1, x2), colors="#1f77b4")
    axes.set_xlabel("x1")
    axes.set_ylabel("x2")
    return axes


def bbox_to_rect(bbox, color):
    """A matplotlib Rectangle outlining the box (x1, y1, x2, y2) (list, numpy or NDArray) in ``color``."""
    values = _to_numpy(bbox).reshape(-1)
    if values.size != 4:
        raise ValueError("a box is 4 numbers (x1, y1, x2, y2), got %d: %r" % (values.size, values))
    x1, y1, x2, y2 = (float(v) for v in values)
    return _pyplot().Rectangle(xy=(x1, y1), width=x2 - x1, height=y2 - y1, fill=False,
                               edgecolor=color, linewidth=2)


def _make_list(obj, default_values=None):
    """``default_values`` for None, ``obj`` if it is a list or tuple, else ``[obj]`` (show_bboxes' helper)."""
    if obj is None:
        return default_values
    if not isinstance(obj, (list, tuple)):
        return [obj]
    return obj


def show_bboxes(axes, bboxes, labels=None, colors=None):
    """Draw boxes (rows of an NDArray, numpy array or list) on ``axes``, with labels in the box's color.

    Default colors cycle through the book's ['b', 'g', 'r', 'm', 'c']. Kept separate from gluoncv's
    ``plot_bbox``, which draws its own image and scores instead of adding to the caller's axes.
    Returns the rectangles it added.
    """
    labels = _make_list(labels)
    colors = _make_list(colors, _BOOK_BOX_COLORS)
    rects = []
    rows = bboxes.asnumpy().reshape(-1, 4) if hasattr(bboxes, "asnumpy") else bboxes
    for i, bbox in enumerate(rows):
        color = colors[i % len(colors)]
        rect = bbox_to_rect(bbox, color)
        axes.add_patch(rect)
        rects.append(rect)
        if labels is not None and i < len(labels):
            text_color = "k" if color == "w" else "w"
            axes.text(rect.xy[0], rect.xy[1], labels[i], va="center", ha="center", fontsize=9,
                      color=text_color, bbox=dict(facecolor=color, lw=0))
    return rects
