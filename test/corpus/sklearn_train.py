"""scikit-learn estimators with verbose output. Usage: sklearn_train.py VARIANT"""
import sys
import warnings

from sklearn.ensemble import GradientBoostingClassifier, HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import SGDClassifier
from sklearn.neural_network import MLPClassifier

from _data import classification, regression

warnings.simplefilter("ignore", ConvergenceWarning)
variant = sys.argv[1]
if variant == "mlp":
    xt, yt, _, _ = classification()
    MLPClassifier(hidden_layer_sizes=(16,), max_iter=12, random_state=0, verbose=True).fit(xt, yt)
elif variant == "mlp-early-stopping":
    xt, yt, _, _ = classification()
    MLPClassifier(hidden_layer_sizes=(16,), max_iter=12, random_state=0, early_stopping=True, verbose=True).fit(xt, yt)
elif variant == "sgd":
    xt, yt, _, _ = classification()
    SGDClassifier(max_iter=6, tol=None, random_state=0, verbose=1).fit(xt, yt)
elif variant == "gradient-boosting":
    xt, yt, _, _ = classification()
    GradientBoostingClassifier(n_estimators=25, max_depth=2, subsample=0.8, random_state=0, verbose=1).fit(xt, yt)
elif variant == "hist-gradient-boosting":
    xt, yt, _, _ = classification()
    HistGradientBoostingClassifier(max_iter=10, early_stopping=True, validation_fraction=0.2, random_state=0, verbose=2).fit(xt, yt)
elif variant == "hist-gradient-boosting-regressor":
    xt, yt, _, _ = regression()
    HistGradientBoostingRegressor(max_iter=8, early_stopping=True, scoring="neg_mean_absolute_error", random_state=0, verbose=2).fit(xt, yt)
else:
    sys.exit(f"unknown variant {variant}")
