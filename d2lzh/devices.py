"""Choosing and checking devices (``mx.cpu()`` / ``mx.gpu(i)``) without C++ traces."""
import mxnet as mx


class DeviceUnavailableError(RuntimeError):
    """A GPU context was asked for that this machine or this mxnet build cannot provide."""


def num_gpus():
    """Number of GPUs mxnet can use: 0 on the CPU wheel or when the CUDA driver is missing."""
    try:
        return mx.context.num_gpus()
    except (mx.base.MXNetError, OSError):
        return 0


def try_gpu():
    """``mx.gpu()`` if a GPU is usable, else ``mx.cpu()``."""
    return mx.gpu() if num_gpus() > 0 else mx.cpu()


def try_all_gpus():
    """Every usable GPU context, or ``[mx.cpu()]`` when there is none."""
    return [mx.gpu(i) for i in range(num_gpus())] or [mx.cpu()]


def check_context(ctx):
    """Return ``ctx`` (a Context or a list of them) after checking every GPU in it exists."""
    for one in ctx if isinstance(ctx, (list, tuple)) else [ctx]:
        if not isinstance(one, mx.Context):
            raise TypeError("expected an mx.Context such as mx.cpu() or mx.gpu(0), got %r" % (one,))
        if one.device_type == "gpu" and one.device_id >= num_gpus():
            raise DeviceUnavailableError(_missing_gpu_message(one))
    return ctx


def _missing_gpu_message(ctx):
    """Explain why ``ctx`` cannot be used and what to do instead."""
    if not mx.runtime.Features().is_enabled("CUDA"):
        why = "this mxnet build has no CUDA support (install mxnet-cu112==1.9.1 for GPUs)"
    elif num_gpus() == 0:
        why = "mxnet sees no GPU (check the NVIDIA driver with nvidia-smi)"
    else:
        why = "only %d GPU(s) are visible" % num_gpus()
    return "%s is not available: %s. Use mx.cpu(), or d2l.try_gpu() to fall back to the CPU." % (ctx, why)


def parse_context(spec):
    """Turn 'cpu', 'gpu', 'gpu:N', a Context or None (CPU) into a checked ``mx.Context``."""
    if spec is None:
        return mx.cpu()
    if isinstance(spec, mx.Context):
        return check_context(spec)
    kind, _, index = str(spec).strip().lower().partition(":")
    if kind not in ("cpu", "gpu") or (index and not index.isdigit()):
        raise ValueError("unknown context %r: use cpu, gpu or gpu:N" % (spec,))
    return check_context(mx.Context(kind, int(index or 0)))


def context_of(net):
    """The contexts the parameters of ``net`` live on (``[mx.cpu()]`` for a net without any)."""
    for param in net.collect_params().values():
        try:
            return param.list_ctx()
        except RuntimeError:  # not initialised yet
            continue
    return [mx.cpu()]
