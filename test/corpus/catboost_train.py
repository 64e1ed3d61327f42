"""CatBoost: verbose training with an eval set, metric lists and metric_period. Usage: catboost_train.py VARIANT"""
import sys

from catboost import CatBoostClassifier, CatBoostRegressor

from _data import classification, regression

variant = sys.argv[1]
if variant == "verbose":
    xt, yt, xv, yv = classification()
    model = CatBoostClassifier(iterations=12, depth=3, learning_rate=0.2, random_seed=0, thread_count=1, verbose=True, allow_writing_files=False)
    model.fit(xt, yt, eval_set=(xv, yv))
elif variant == "metrics":
    xt, yt, xv, yv = classification()
    model = CatBoostClassifier(
        iterations=10,
        depth=3,
        learning_rate=0.2,
        random_seed=0,
        thread_count=1,
        eval_metric="AUC",
        custom_metric=["Logloss", "Accuracy"],
        verbose=1,
        allow_writing_files=False,
    )
    model.fit(xt, yt, eval_set=(xv, yv))
elif variant == "period":
    xt, yt, xv, yv = regression()
    model = CatBoostRegressor(iterations=25, depth=4, learning_rate=0.1, random_seed=0, thread_count=1, verbose=5, allow_writing_files=False)
    model.fit(xt, yt)
else:
    sys.exit(f"unknown variant {variant}")
