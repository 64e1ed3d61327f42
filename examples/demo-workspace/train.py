"""A tiny real training run: logistic regression by batch gradient descent on a synthetic,
linearly separable-ish 2-D dataset. Pure Python (no numpy), a second or two per run.

Prints one line per epoch in the common `key=value` format that experiment trackers parse:
    epoch=1 loss=0.6931 accuracy=0.512 lr=0.1
"""

import argparse
import math
import random
import sys
import time


def make_dataset(n, seed):
    """Two Gaussian blobs, labelled 0 and 1, with some overlap so accuracy stays below 1."""
    rng = random.Random(seed)
    data = []
    for i in range(n):
        label = i % 2
        cx, cy = (1.0, 1.0) if label else (-1.0, -1.0)
        data.append(((rng.gauss(cx, 1.2), rng.gauss(cy, 1.2)), label))
    rng.shuffle(data)
    return data


def sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def evaluate(weights, bias, data):
    loss = 0.0
    correct = 0
    for (x1, x2), y in data:
        p = sigmoid(weights[0] * x1 + weights[1] * x2 + bias)
        p = min(max(p, 1e-12), 1 - 1e-12)
        loss -= y * math.log(p) + (1 - y) * math.log(1 - p)
        correct += int((p >= 0.5) == bool(y))
    return loss / len(data), correct / len(data)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--samples", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to sleep per epoch, to watch it live")
    args = parser.parse_args(argv)
    if args.epochs < 1 or args.samples < 2:
        parser.error("--epochs must be at least 1 and --samples at least 2")

    data = make_dataset(args.samples, args.seed)
    split = int(len(data) * 0.8)
    train, val = data[:split], data[split:]
    weights, bias = [0.0, 0.0], 0.0
    print(f"params samples={args.samples} epochs={args.epochs} lr={args.lr} seed={args.seed}", flush=True)

    for epoch in range(1, args.epochs + 1):
        # The loss and accuracy printed are those of the weights this epoch starts with (epoch 1: untrained, loss ln 2).
        loss, accuracy = evaluate(weights, bias, train)
        gw, gb = [0.0, 0.0], 0.0
        for (x1, x2), y in train:
            err = sigmoid(weights[0] * x1 + weights[1] * x2 + bias) - y
            gw[0] += err * x1
            gw[1] += err * x2
            gb += err
        weights = [w - args.lr * g / len(train) for w, g in zip(weights, gw)]
        bias -= args.lr * gb / len(train)
        print(f"epoch={epoch} loss={loss:.4f} accuracy={accuracy:.3f} lr={args.lr:g}", flush=True)
        if args.delay:
            time.sleep(args.delay)

    val_loss, val_accuracy = evaluate(weights, bias, val)
    print(f"final val_loss={val_loss:.4f} val_accuracy={val_accuracy:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
