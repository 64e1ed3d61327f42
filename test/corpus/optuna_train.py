"""Optuna: a small study with its default INFO logs (one line per finished trial). Usage: optuna_train.py VARIANT"""
import sys

import optuna

variant = sys.argv[1]


def objective(trial):
    x = trial.suggest_float("x", -10, 10)
    y = trial.suggest_int("y", 0, 5)
    return (x - 2) ** 2 + y


if variant == "study":
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0), study_name="corpus")
    study.optimize(objective, n_trials=8)
elif variant == "maximize":
    def accuracy(trial):
        lr = trial.suggest_float("lr", 1e-4, 1e-1, log=True)
        return 0.9 - abs(lr - 0.01)

    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.RandomSampler(seed=1), study_name="corpus-max")
    study.optimize(accuracy, n_trials=6)
else:
    sys.exit(f"unknown variant {variant}")
