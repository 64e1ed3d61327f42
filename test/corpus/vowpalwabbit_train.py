"""Vowpal Wabbit through its Python bindings: the progressive-loss table and the final summary. Usage: vowpalwabbit_train.py VARIANT"""
import sys

from vowpalwabbit import Workspace

from _data import classification

variant = sys.argv[1]
xt, yt, _, _ = classification(n=600)
if variant == "logistic":
    vw = Workspace("--loss_function logistic --link logistic --random_seed 0", quiet=False)
else:
    sys.exit(f"unknown variant {variant}")
for x, y in zip(xt, yt):
    features = " ".join(f"f{i}:{v:.4f}" for i, v in enumerate(x))
    vw.learn(f"{1 if y else -1} | {features}")
vw.finish()
