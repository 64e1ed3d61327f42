"""Keras 3 on the JAX backend: model.fit with verbose=1 (progress bar) and verbose=2 (a line per epoch). Usage: keras_train.py VARIANT"""
import os
import sys

os.environ["KERAS_BACKEND"] = "jax"

import keras  # noqa: E402

from _data import classification  # noqa: E402

variant = sys.argv[1]
keras.utils.set_random_seed(0)
xt, yt, xv, yv = classification()
model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1, activation="sigmoid")])
metrics = ["accuracy"] if variant != "verbose2-metrics" else ["accuracy", keras.metrics.AUC(name="auc"), keras.metrics.Precision(name="precision")]
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=metrics)
if variant == "verbose1":
    model.fit(xt, yt, batch_size=32, epochs=5, validation_data=(xv, yv), verbose=1)
elif variant == "verbose2":
    model.fit(xt, yt, batch_size=32, epochs=6, validation_data=(xv, yv), verbose=2)
elif variant == "verbose2-metrics":
    model.fit(xt, yt, batch_size=64, epochs=5, validation_split=0.2, verbose=2)
elif variant == "verbose1-evaluate":
    cb = keras.callbacks.EarlyStopping(monitor="val_loss", patience=1, restore_best_weights=True, verbose=1)
    model.fit(xt, yt, batch_size=64, epochs=4, validation_data=(xv, yv), verbose=1, callbacks=[cb])
    model.evaluate(xv, yv, verbose=1)
else:
    sys.exit(f"unknown variant {variant}")
