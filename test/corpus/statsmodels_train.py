"""statsmodels: maximum-likelihood fits that print their optimiser's progress. Usage: statsmodels_train.py VARIANT"""
import sys

import statsmodels.api as sm

from _data import classification

variant = sys.argv[1]
if variant == "logit":
    xt, yt, _, _ = classification()
    sm.Logit(yt, sm.add_constant(xt[:, :3].astype("float64"))).fit()
    sm.Probit(yt, sm.add_constant(xt[:, :3].astype("float64"))).fit(method="bfgs")
else:
    sys.exit(f"unknown variant {variant}")
