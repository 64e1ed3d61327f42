"""Tiny seeded synthetic data sets shared by the corpus training scripts."""
import numpy as np


def classification(n=400, d=8, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)).astype("float32")
    logits = x[:, 0] + 0.5 * x[:, 1] - 0.8 * x[:, 2] + 0.3 * rng.normal(size=n)
    y = (logits > 0).astype("int64")
    cut = int(n * 0.75)
    return x[:cut], y[:cut], x[cut:], y[cut:]


def regression(n=400, d=8, seed=1):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)).astype("float32")
    y = (2.0 * x[:, 0] - x[:, 1] + 0.5 * x[:, 2] * x[:, 3] + 0.5 * rng.normal(size=n)).astype("float32")
    cut = int(n * 0.75)
    return x[:cut], y[:cut], x[cut:], y[cut:]
