"""Chapter 10 sentiment analysis: classify one tokenized sentence with a trained net."""
from mxnet import nd

from .devices import context_of


def predict_sentiment(net, vocab, sentence):
    """'positive' or 'negative' for a list of tokens, run on the context the net's parameters use."""
    indices = nd.array(vocab.to_indices(sentence), ctx=context_of(net)[0])
    label = nd.argmax(net(indices.reshape((1, -1))), axis=1)
    return 'positive' if label.asscalar() == 1 else 'negative'
