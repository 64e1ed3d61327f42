"""river: progressive validation with print_every (online learning). Usage: river_train.py VARIANT"""
import sys

from river import datasets, evaluate, linear_model, metrics, preprocessing, tree

variant = sys.argv[1]
if variant == "progressive":
    model = preprocessing.StandardScaler() | linear_model.LogisticRegression()
    evaluate.progressive_val_score(datasets.Phishing(), model, metrics.Accuracy(), print_every=100)
elif variant == "progressive-metrics":
    model = tree.HoeffdingTreeClassifier(grace_period=50)
    evaluate.progressive_val_score(datasets.Phishing(), model, metrics.Accuracy() + metrics.F1() + metrics.LogLoss(), print_every=250)
else:
    sys.exit(f"unknown variant {variant}")
