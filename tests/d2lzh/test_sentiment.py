"""predict_sentiment with a tiny hand-set net."""
import collections

import mxnet as mx
import pytest
from mxnet import nd
from mxnet.contrib import text
from mxnet.gluon import nn

import d2lzh as d2l


class SumOfEmbeddings(nn.Block):
    """Scores (negative, positive) as the sum of per-token embeddings."""

    def __init__(self, vocab_size):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, 2)

    def forward(self, inputs):
        return self.embedding(inputs).sum(axis=1)


def tiny_model(ctx):
    vocab = text.vocab.Vocabulary(collections.Counter(["great", "awful", "movie"]))
    net = SumOfEmbeddings(len(vocab))
    net.initialize(ctx=ctx)
    weights = nd.zeros((len(vocab), 2))
    weights[vocab.token_to_idx["great"]] = nd.array([0, 2])
    weights[vocab.token_to_idx["awful"]] = nd.array([3, 0])
    net.embedding.weight.set_data(weights)
    return net, vocab


@pytest.mark.parametrize("sentence, expected", [
    (["this", "movie", "is", "great"], "positive"),
    (["awful", "movie"], "negative"),
    (["great", "but", "awful"], "negative"),
])
def test_predict_sentiment(sentence, expected):
    net, vocab = tiny_model(mx.cpu())
    assert d2l.predict_sentiment(net, vocab, sentence) == expected


def test_input_goes_to_the_nets_own_context():
    net, vocab = tiny_model(mx.cpu(1))  # parameters not on the default context
    assert d2l.predict_sentiment(net, vocab, ["great"]) == "positive"
