"""XGBoost (xgboost-cpu): the native API with evals, and the scikit-learn API with eval_set. Usage: xgboost_train.py VARIANT"""
import sys

import xgboost as xgb

from _data import classification, regression

variant = sys.argv[1]
if variant == "native":
    xt, yt, xv, yv = classification()
    dtrain, dvalid = xgb.DMatrix(xt, label=yt), xgb.DMatrix(xv, label=yv)
    params = {"objective": "binary:logistic", "eval_metric": ["logloss", "auc"], "max_depth": 3, "eta": 0.3, "nthread": 1, "seed": 0}
    xgb.train(params, dtrain, num_boost_round=15, evals=[(dtrain, "train"), (dvalid, "valid")])
elif variant == "native-every5":
    xt, yt, xv, yv = regression()
    dtrain, dvalid = xgb.DMatrix(xt, label=yt), xgb.DMatrix(xv, label=yv)
    params = {"objective": "reg:squarederror", "eval_metric": ["rmse", "mae"], "max_depth": 3, "eta": 0.2, "nthread": 1, "seed": 0}
    xgb.train(params, dtrain, num_boost_round=22, evals=[(dtrain, "train"), (dvalid, "eval")], verbose_eval=5)
elif variant == "native-early-stopping":
    xt, yt, xv, yv = classification(seed=3)
    dtrain, dvalid = xgb.DMatrix(xt, label=yt), xgb.DMatrix(xv, label=yv)
    params = {"objective": "binary:logistic", "eval_metric": "error", "max_depth": 6, "eta": 0.5, "nthread": 1, "seed": 0}
    xgb.train(params, dtrain, num_boost_round=30, evals=[(dvalid, "validation")], early_stopping_rounds=4)
elif variant == "sklearn":
    xt, yt, xv, yv = classification()
    model = xgb.XGBClassifier(n_estimators=12, max_depth=3, learning_rate=0.3, n_jobs=1, random_state=0, eval_metric=["logloss", "error"])
    model.fit(xt, yt, eval_set=[(xt, yt), (xv, yv)], verbose=True)
elif variant == "sklearn-regressor":
    xt, yt, xv, yv = regression()
    model = xgb.XGBRegressor(n_estimators=10, max_depth=3, n_jobs=1, random_state=0)
    model.fit(xt, yt, eval_set=[(xv, yv)], verbose=2)
else:
    sys.exit(f"unknown variant {variant}")
