"""Probes of Gluon models the student builds and trains: what a fresh net computes, what a trained one predicts."""
from mxnet import nd


def outputs_after_init(factory, *args, x, **kwargs):
    """Build factory(*args, **kwargs), initialise it with the default initialiser, return its output for x.

    A check can tell from the outputs for x, -x and 0 whether the net is affine (no activation).
    """
    net = factory(*args, **kwargs)
    net.initialize(force_reinit=True)
    return net(nd.array(x, dtype="float32")).asnumpy()


def trained_predictions(train_fn, *args, images, ctx, **kwargs):
    """Call train_fn(*args, ctx=ctx, **kwargs), which returns a trained Gluon net; classify images with it.

    Returns the predicted class of every image (the net runs on ctx), the contexts that hold the net's
    parameters and the requested context, so that the check computes the accuracy itself.
    """
    net = train_fn(*args, ctx=ctx, **kwargs)
    scores = net(nd.array(images, dtype="float32", ctx=ctx))
    contexts = {str(context) for param in net.collect_params().values() for context in param.list_ctx()}
    return {
        "predictions": scores.argmax(axis=1).asnumpy().astype("int64"),
        "contexts": sorted(contexts),
        "requested": str(ctx),
    }
