"""Probes of computer-vision code: image transforms under seeds, shapes by symbolic inference, model-zoo nets.

Shapes come from a Symbol pass (``net(mx.sym.var("data")).infer_shape(...)``), so no weight of a big net
is ever allocated. gluoncv is imported only by the probes that build its model-zoo nets.
"""
import random

import mxnet as mx
import numpy as np
from mxnet import nd


def _seed_all(seed):
    """Seed Python's random (gluon's crops), numpy, and mx.random (gluon's flips and colour jitter)."""
    random.seed(seed)
    np.random.seed(seed)
    mx.random.seed(seed)


def transform_outputs(factory, *args, image, seeds, **kwargs):
    """Build transform = factory(*args, **kwargs); apply it to the uint8 (h, w, 3) image once per seed.

    Every random number generator is seeded with the seed right before each call, so equal seeds
    must give equal outputs. Returns the outputs in the order of seeds.
    """
    transform = factory(*args, **kwargs)
    img = nd.array(image, dtype="uint8")
    outputs = []
    for seed in seeds:
        _seed_all(seed)
        outputs.append(transform(img))
    return outputs


def _symbol_shapes(net, input_shape):
    """(output shape, {parameter name: shape}) of a HybridBlock on a Symbol input of input_shape."""
    try:
        output = net(mx.sym.var("data"))
    except (AttributeError, TypeError, AssertionError, mx.base.MXNetError) as exc:
        raise TypeError("the net could not run on a Symbol (%s: %s): build it from HybridBlocks only "
                        "(nn.HybridSequential, not nn.Sequential)" % (type(exc).__name__, exc))
    arg_shapes, out_shapes, aux_shapes = output.infer_shape(data=tuple(input_shape))
    shapes = dict(zip(output.list_arguments(), arg_shapes))
    shapes.update(zip(output.list_auxiliary_states(), aux_shapes))
    return tuple(out_shapes[0]), shapes


def symbolic_summary(factory, *args, input_shape, **kwargs):
    """Build factory(*args, **kwargs), a HybridBlock, and infer its shapes on input_shape without allocating.

    Returns the output shape, the shape of every parameter in collect_params() order, and the class
    names of the net's direct children.
    """
    net = factory(*args, **kwargs)
    output_shape, shapes = _symbol_shapes(net, input_shape)
    return {"output_shape": output_shape,
            "param_shapes": [tuple(shapes.get(name, ())) for name in net.collect_params()],
            "layers": [type(child).__name__ for child in net._children.values()]}


def finetuned_summary(finetune_fn, model_name, num_classes, lr_mult, input_shape):
    """Call finetune_fn(model_name, pretrained, num_classes, lr_mult) with a gluoncv model-zoo net.

    pretrained is gluoncv.model_zoo.get_model(model_name, pretrained=False), not initialised (its
    weights stand for downloaded ones). For every parameter of the returned net: its shape on
    input_shape, its lr_mult, whether it is the very Parameter object of the pretrained net, and
    whether it was initialised (now or deferred). Also the output shape.
    """
    from gluoncv import model_zoo
    pretrained = model_zoo.get_model(model_name, pretrained=False)
    source = [id(param) for param in pretrained.collect_params().values()]
    net = finetune_fn(model_name, pretrained, num_classes, lr_mult)
    output_shape, shapes = _symbol_shapes(net, input_shape)
    params = [{"shape": tuple(shapes.get(name, ())), "lr_mult": float(param.lr_mult),
               "shared": id(param) in source,
               "initialized": param._data is not None or bool(param._deferred_init)}
              for name, param in net.collect_params().items()]
    return {"output_shape": output_shape, "params": params, "pretrained_params": len(source)}


def frozen_summary(freeze_fn, model_name):
    """Call freeze_fn(net) on gluoncv.model_zoo.get_model(model_name, pretrained=False).

    Returns the grad_req of every parameter of net.features and of net.output afterwards.
    """
    from gluoncv import model_zoo
    net = model_zoo.get_model(model_name, pretrained=False)
    freeze_fn(net)
    return {"features": [param.grad_req for param in net.features.collect_params().values()],
            "output": [param.grad_req for param in net.output.collect_params().values()]}
