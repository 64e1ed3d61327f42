"""Runs the corpus training scripts under a pseudo-terminal and stores the raw bytes a terminal receives.

Usage: python capture.py [--out DIR] [NAME ...]      (default: every variant, into test/fixtures/stdout-corpus/)

Run it with the corpus venv's Python (.cache/venv-corpus/bin/python, made by scripts/setup-corpus.sh): each script
runs with that interpreter. The child sees a 120x30 terminal (isatty() is true, so Keras and tqdm draw their
interactive bars with \r redraws and escape sequences, and the terminal driver turns \n into \r\n, as in VS Code's
integrated terminal), TERM=xterm-256color, and stdout and stderr on the same terminal. NAME is <library>-<variant>,
the file written is NAME.txt. One variant at a time: the machine is shared.
"""
import fcntl
import os
import struct
import subprocess
import sys
import termios

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "..", "fixtures", "stdout-corpus")

# NAME: (script, variant)
VARIANTS = {
    "xgboost-native": ("xgboost_train.py", "native"),
    "xgboost-native-every5": ("xgboost_train.py", "native-every5"),
    "xgboost-native-early-stopping": ("xgboost_train.py", "native-early-stopping"),
    "xgboost-sklearn": ("xgboost_train.py", "sklearn"),
    "xgboost-sklearn-regressor": ("xgboost_train.py", "sklearn-regressor"),
    "lightgbm-native": ("lightgbm_train.py", "native"),
    "lightgbm-native-info": ("lightgbm_train.py", "native-info"),
    "lightgbm-sklearn": ("lightgbm_train.py", "sklearn"),
    "catboost-verbose": ("catboost_train.py", "verbose"),
    "catboost-metrics": ("catboost_train.py", "metrics"),
    "catboost-period": ("catboost_train.py", "period"),
    "sklearn-mlp": ("sklearn_train.py", "mlp"),
    "sklearn-mlp-early-stopping": ("sklearn_train.py", "mlp-early-stopping"),
    "sklearn-sgd": ("sklearn_train.py", "sgd"),
    "sklearn-gradient-boosting": ("sklearn_train.py", "gradient-boosting"),
    "sklearn-hist-gradient-boosting": ("sklearn_train.py", "hist-gradient-boosting"),
    "sklearn-hist-gradient-boosting-regressor": ("sklearn_train.py", "hist-gradient-boosting-regressor"),
    "keras3-jax-verbose1": ("keras_train.py", "verbose1"),
    "keras3-jax-verbose2": ("keras_train.py", "verbose2"),
    "keras3-jax-verbose2-metrics": ("keras_train.py", "verbose2-metrics"),
    "keras3-jax-verbose1-evaluate": ("keras_train.py", "verbose1-evaluate"),
    "river-progressive": ("river_train.py", "progressive"),
    "river-progressive-metrics": ("river_train.py", "progressive-metrics"),
    "optuna-study": ("optuna_train.py", "study"),
    "optuna-maximize": ("optuna_train.py", "maximize"),
    "vowpalwabbit-logistic": ("vowpalwabbit_train.py", "logistic"),
    "statsmodels-logit": ("statsmodels_train.py", "logit"),
}


def capture(cmd, out_path, cols=120):
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, cols, 0, 0))
    env = dict(os.environ, COLUMNS=str(cols), LINES="30", TERM="xterm-256color", KERAS_BACKEND="jax", PYTHONHASHSEED="0")
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(cmd, cwd=HERE, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO once the child side is closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    code = proc.wait()
    with open(out_path, "wb") as f:
        f.write(b"".join(chunks))
    return code


def main():
    args = sys.argv[1:]
    out = DEFAULT_OUT
    if args[:1] == ["--out"]:
        out, args = args[1], args[2:]
    names = args or list(VARIANTS)
    failed = 0
    for name in names:
        script, variant = VARIANTS[name]
        path = os.path.join(out, f"{name}.txt")
        code = capture([sys.executable, os.path.join(HERE, script), variant], path)
        print(f"{name}: exit {code}, {os.path.getsize(path)} bytes -> {path}", file=sys.stderr)
        failed += code != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
