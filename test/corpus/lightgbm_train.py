"""LightGBM: native lgb.train with valid_sets and the log_evaluation callback, and the scikit-learn API. Usage: lightgbm_train.py VARIANT"""
import sys

import lightgbm as lgb

from _data import classification, regression

variant = sys.argv[1]
if variant == "native":
    xt, yt, xv, yv = regression()
    train = lgb.Dataset(xt, label=yt)
    valid = lgb.Dataset(xv, label=yv, reference=train)
    params = {"objective": "regression", "metric": ["l2", "l1"], "num_leaves": 7, "learning_rate": 0.2, "num_threads": 1, "seed": 0, "verbose": -1}
    lgb.train(params, train, num_boost_round=12, valid_sets=[train, valid], valid_names=["train", "valid"], callbacks=[lgb.log_evaluation(1)])
elif variant == "native-info":
    # verbosity 1 (the default): LightGBM's [Info] lines, a default valid name (valid_0) and early stopping.
    xt, yt, xv, yv = classification()
    train = lgb.Dataset(xt, label=yt)
    valid = lgb.Dataset(xv, label=yv, reference=train)
    params = {"objective": "binary", "metric": ["binary_logloss", "auc"], "num_leaves": 15, "learning_rate": 0.3, "num_threads": 1, "seed": 0}
    lgb.train(
        params,
        train,
        num_boost_round=30,
        valid_sets=[valid],
        callbacks=[lgb.log_evaluation(2), lgb.early_stopping(4, first_metric_only=True)],
    )
elif variant == "sklearn":
    xt, yt, xv, yv = classification()
    model = lgb.LGBMClassifier(n_estimators=10, num_leaves=7, learning_rate=0.3, n_jobs=1, random_state=0, verbose=-1)
    model.fit(xt, yt, eval_set=[(xt, yt), (xv, yv)], eval_metric=["auc"], callbacks=[lgb.log_evaluation(1)])
else:
    sys.exit(f"unknown variant {variant}")
