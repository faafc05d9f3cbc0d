#!/usr/bin/python3
"""The PyTorch side of bench/training-throughput.ts: the five reference models of bench/throughput/models.ts,
trained on one CPU thread and timed the same way (2 warm-up steps, then the median of --runs timed runs of at
least 1 s each, samples/s). One JSON object on stdout. Run with Debian's python3-torch:

  /usr/bin/python3 bench/throughput/pytorch.py --model mlp --runs 5    {"samplesPerSecond": …, "rates": […]}
  /usr/bin/python3 bench/throughput/pytorch.py --gemm 512 --runs 5     {"gflops": …, "rates": […]}
  /usr/bin/python3 bench/throughput/pytorch.py --param-counts          {"mlp": 85002, …}

Where the two sides cannot be the same op for op, each model says so below; none of those changes the FLOPs of a
step (bench/throughput/flops.ts). Common to all: the loss is nn.CrossEntropyLoss on logits, which is tfjs's softmax
activation followed by categorical cross-entropy in one fused op; tensors are NCHW where tfjs is NHWC.
"""
import argparse
import json
import statistics
import sys
import time

import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(1)


class LstmClassifier(nn.Module):
    """tf.layers.lstm({units: 64}) → dense(10): the last hidden state through a linear head.

    nn.LSTM adds two biases per gate (bias_ih and bias_hh, for cuDNN's layout) where tfjs has one; bias_hh is
    zeroed and frozen so that both sides train the same parameters. Its gates use the logistic sigmoid, tfjs's
    default is the hard sigmoid: an elementwise op either way, and nn.LSTM has no other.
    """

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(input_size=32, hidden_size=64, batch_first=True)
        with torch.no_grad():
            self.lstm.bias_hh_l0.zero_()
        self.lstm.bias_hh_l0.requires_grad_(False)
        self.head = nn.Linear(64, 10)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.head(h[-1])


class TransformerClassifier(nn.Module):
    """The post-norm encoder of models.ts (2 layers, d 64, 4 heads, ff 128, ReLU, layer norm ε 1e-5, no dropout),
    mean over the sequence, then a linear head. nn.TransformerEncoderLayer projects q, k and v with one packed
    (3d × d) matrix where models.ts has three d × d ones: the same parameters and FLOPs.
    """

    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList(
            nn.TransformerEncoderLayer(d_model=64, nhead=4, dim_feedforward=128, dropout=0.0, batch_first=True)
            for _ in range(2)
        )
        self.head = nn.Linear(64, 10)

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return self.head(x.mean(dim=1))


# key → (builder, input shape of one sample, batch); keys and batches are those of models.ts.
MODELS = {
    'mlp': (
        lambda: nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10)),
        (64,),
        64,
    ),
    # Valid padding, stride 1, as tf.layers.conv2d's defaults: 8 → 6 → 4.
    'cnn8': (
        lambda: nn.Sequential(
            nn.Conv2d(1, 16, 3), nn.ReLU(), nn.Conv2d(16, 32, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 4 * 32, 10)
        ),
        (1, 8, 8),
        64,
    ),
    # 28 → 24 → pool 12 → 8 → pool 4.
    'cnn28': (
        lambda: nn.Sequential(
            nn.Conv2d(1, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(4 * 4 * 64, 128), nn.ReLU(), nn.Linear(128, 10),
        ),
        (1, 28, 28),
        64,
    ),
    'lstm': (LstmClassifier, (50, 32), 64),
    'transformer': (TransformerClassifier, (32, 64), 32),
}


def trainable(model):
    return [p for p in model.parameters() if p.requires_grad]


def timed_rates(work, items, runs):
    """Items per second of `work` over `runs` timed runs of at least 1 s each, after 2 warm-up calls."""
    work()
    work()
    rates = []
    for _ in range(runs):
        calls = 0
        started = time.perf_counter()
        while True:
            work()
            calls += 1
            elapsed = time.perf_counter() - started
            if elapsed >= 1.0:
                break
        rates.append(calls * items / elapsed)
    return rates


def training_step(key):
    build, shape, batch = MODELS[key]
    model = build()
    model.train()
    optimizer = torch.optim.Adam(trainable(model), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(batch, *shape)
    y = torch.randint(0, 10, (batch,))

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        loss.item()

    return step, batch


def gemm(n):
    """One n × n fp32 matmul into a preallocated result; its rate is in matmuls/s, reported as GFLOP/s."""
    a, b, out = torch.randn(n, n), torch.randn(n, n), torch.empty(n, n)
    return lambda: torch.mm(a, b, out=out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument('--model', choices=sorted(MODELS))
    what.add_argument('--gemm', type=int, metavar='N')
    what.add_argument('--param-counts', action='store_true')
    parser.add_argument('--runs', type=int, default=5)
    args = parser.parse_args()
    if args.param_counts:
        counts = {key: sum(p.numel() for p in trainable(build())) for key, (build, _, _) in MODELS.items()}
        print(json.dumps(counts))
    elif args.gemm is not None:
        rates = [r * 2 * args.gemm**3 / 1e9 for r in timed_rates(gemm(args.gemm), 1, args.runs)]
        print(json.dumps({'gflops': statistics.median(rates), 'rates': rates, 'torch': torch.__version__}))
    else:
        step, batch = training_step(args.model)
        rates = timed_rates(step, batch, args.runs)
        print(json.dumps({'samplesPerSecond': statistics.median(rates), 'rates': rates, 'torch': torch.__version__}))
    return 0


if __name__ == '__main__':
    sys.exit(main())
