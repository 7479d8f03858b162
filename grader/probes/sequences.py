"""Probes of recurrent models: where gradients stop in a hidden state, and what a trained model predicts."""
from mxnet import autograd, nd


def gradient_through_state(detach_fn, x, form):
    """Make a hidden state from x under autograd, pass it through detach_fn, return values and dloss/dx.

    The state is [2x, 3x] (form "list"), (2x, 3x) ("tuple") or 2x ("array"); the loss is the sum of
    (s * x) over what detach_fn returned. Detached, each s is a constant, so the gradient is the sum of
    the states' values; a state still in the graph adds its own gradient on top.
    """
    x = nd.array(x, dtype="float32")
    x.attach_grad()
    with autograd.record():
        parts = [x * 2, x * 3]
        state = {"list": parts, "tuple": tuple(parts), "array": parts[0]}[form]
        returned = detach_fn(state)
        pieces = [returned] if isinstance(returned, nd.NDArray) else list(returned)
        loss = nd.add_n(*[(piece * x).sum() for piece in pieces])
    loss.backward()
    return {
        "kind": type(returned).__name__,
        "values": [piece.asnumpy() for piece in pieces],
        "grad": x.grad.asnumpy(),
    }


def trained_model_outputs(train_fn, corpus_indices, vocab_size, inputs, ctx):
    """Train a language model with train_fn(corpus_indices, vocab_size, ctx), then run it on inputs.

    inputs: (batch_size, num_steps) indices, fed from model.begin_state on ctx. Returns the model's
    outputs (scores), the contexts its parameters live on, and the context it was asked to use.
    """
    model = train_fn(corpus_indices, vocab_size, ctx)
    X = nd.array(inputs, ctx=ctx)
    outputs, _ = model(X, model.begin_state(batch_size=X.shape[0], ctx=ctx))
    contexts = {str(c) for param in model.collect_params().values() for c in param.list_ctx()}
    return {"outputs": outputs.asnumpy(), "contexts": sorted(contexts), "requested": str(ctx)}
