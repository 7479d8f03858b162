"""Near misses in recurrent cells: a transposed weight, gates in the wrong order, a deep layer's input size."""
from mxnet import nd

from solved_ch06_rnn import *  # noqa: F401,F403


def rnn(inputs, state, params):
    """Multiplies H by W_hh transposed: the shapes fit, since W_hh is square."""
    W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        H = nd.tanh(nd.dot(X, W_xh) + nd.dot(H, W_hh.T) + b_h)
        outputs.append(nd.dot(H, W_hq) + b_q)
    return outputs, (H,)


def gru_step(X, H, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
    """Reads the gate rows as (update, reset, candidate) instead of Gluon's (reset, update, candidate)."""
    i_z, i_r, i_n = nd.split(nd.dot(X, i2h_weight.T) + i2h_bias, num_outputs=3, axis=1)
    g_z, g_r, g_n = nd.split(nd.dot(H, h2h_weight.T) + h2h_bias, num_outputs=3, axis=1)
    r, z = nd.sigmoid(i_r + g_r), nd.sigmoid(i_z + g_z)
    n = nd.tanh(i_n + r * g_n)
    return (1 - z) * n + z * H


def lstm_step(X, H, C, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
    """Reads the gate rows in the book's order (input, forget, output, candidate), not Gluon's (i, f, c, o)."""
    gates = nd.dot(X, i2h_weight.T) + i2h_bias + nd.dot(H, h2h_weight.T) + h2h_bias
    a_i, a_f, a_o, a_c = nd.split(gates, num_outputs=4, axis=1)
    C = nd.sigmoid(a_f) * C + nd.sigmoid(a_i) * nd.tanh(a_c)
    return nd.sigmoid(a_o) * nd.tanh(C), C


def rnn_param_count(mode, input_size, num_hiddens, num_layers=1, bidirectional=False):
    """Forgets that a layer above a bidirectional one gets both directions' outputs (2h) as input."""
    gates = {"rnn": 1, "gru": 3, "lstm": 4}[mode]
    directions = 2 if bidirectional else 1
    total = 0
    for layer in range(num_layers):
        layer_input = input_size if layer == 0 else num_hiddens
        total += directions * gates * (num_hiddens * (layer_input + num_hiddens) + 2 * num_hiddens)
    return total
