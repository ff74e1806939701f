"""Optimizers and a training loop for the linear classifier.

Each optimizer's update is exactly torch.optim's at the same settings
(dampening 0, no weight decay, no amsgrad), written out in its docstring.
``step`` returns new arrays and never mutates its inputs; the optimizer keeps
its own state (velocities, moment estimates, step count).

Reference: https://cs231n.github.io/neural-networks-3/#update
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field

import numpy as np

from core.checks import choice, integer, number
from core.linear import SPEC_FIELDS, LossSpec, _evaluate, loss_spec, objective

OPTIMIZERS_DEFAULTS = {"momentum": 0.9, "alpha": 0.99, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
# The divergence rule (``has_diverged``): a step whose loss is not finite, or more than EXPLODE_FACTOR
# times the starting loss (or 1, if the start is below 1), has blown up. Converging runs here stay
# far below it (momentum and Adam overshoot by a few times at most); SGD at step size 10 on the
# CS231n demo passes it at step 15 (6.27 -> 645,298 by step 500 if let go on).
EXPLODE_FACTOR = 100.0


def has_diverged(loss: float, start_loss: float) -> bool:
    """Whether ``loss`` (after a step) counts as diverged from a run that started at ``start_loss``.

    >>> has_diverged(627.0, 6.27), has_diverged(628.0, 6.27), has_diverged(float("nan"), 6.27)
    (False, True, True)
    >>> has_diverged(99.0, 0.01)  # a start below 1 counts as 1
    False
    """
    return not np.isfinite(loss) or loss > EXPLODE_FACTOR * max(float(start_loss), 1.0)


class Optimizer(abc.ABC):
    """Base class: ``step(params, grads) -> new params`` over dicts of arrays."""

    def __init__(self, lr: float, **hparams):
        lr = number("lr", lr, low=0, low_open=True)
        unknown = set(hparams) - set(OPTIMIZERS_DEFAULTS)
        if unknown:
            raise ValueError(
                f"unknown hyperparameters {sorted(unknown)}; allowed: {list(OPTIMIZERS_DEFAULTS)}"
            )
        self.lr = lr
        self.h = {**OPTIMIZERS_DEFAULTS, **{k: number(k, v) for k, v in hparams.items()}}
        self.state: dict[str, dict[str, np.ndarray]] = {}
        self.t = 0

    def step(self, params: dict, grads: dict) -> dict:
        if set(params) != set(grads):
            raise ValueError(
                f"params and grads must have the same keys, got {sorted(params)} and {sorted(grads)}"
            )
        self.t += 1
        return {
            k: self._update(k, np.asarray(params[k], dtype=float), np.asarray(grads[k], dtype=float))
            for k in params
        }

    @abc.abstractmethod
    def _update(self, key: str, p: np.ndarray, g: np.ndarray) -> np.ndarray:
        """The new value of parameter ``key`` from its value ``p`` and gradient ``g``."""


class SGD(Optimizer):
    """Vanilla gradient descent: p <- p - lr * g."""

    def _update(self, key, p, g):
        return p - self.lr * g


class Momentum(Optimizer):
    """SGD with momentum (torch.optim.SGD, momentum=mu).

    v <- mu v + g (v = g at the first step);  p <- p - lr v.
    """

    def _update(self, key, p, g):
        s = self.state.setdefault(key, {})
        v = g.copy() if "v" not in s else self.h["momentum"] * s["v"] + g
        s["v"] = v
        return p - self.lr * v


class Nesterov(Optimizer):
    """Nesterov momentum (torch.optim.SGD, nesterov=True): v <- mu v + g; p <- p - lr (g + mu v)."""

    def _update(self, key, p, g):
        s = self.state.setdefault(key, {})
        v = g.copy() if "v" not in s else self.h["momentum"] * s["v"] + g
        s["v"] = v
        return p - self.lr * (g + self.h["momentum"] * v)


class RMSprop(Optimizer):
    """RMSprop (torch.optim.RMSprop): s <- alpha s + (1 - alpha) g^2; p <- p - lr g / (sqrt(s) + eps)."""

    def _update(self, key, p, g):
        st = self.state.setdefault(key, {"s": np.zeros_like(p)})
        st["s"] = self.h["alpha"] * st["s"] + (1 - self.h["alpha"]) * g * g
        return p - self.lr * g / (np.sqrt(st["s"]) + self.h["eps"])


class Adam(Optimizer):
    """Adam with bias correction (torch.optim.Adam).

    m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;
    m_hat = m / (1 - b1^t);  v_hat = v / (1 - b2^t);  p <- p - lr m_hat / (sqrt(v_hat) + eps).
    """

    def _update(self, key, p, g):
        st = self.state.setdefault(key, {"m": np.zeros_like(p), "v": np.zeros_like(p)})
        b1, b2, t = self.h["beta1"], self.h["beta2"], self.t
        st["m"] = b1 * st["m"] + (1 - b1) * g
        st["v"] = b2 * st["v"] + (1 - b2) * g * g
        m_hat = st["m"] / (1 - b1**t)
        v_hat = st["v"] / (1 - b2**t)
        return p - self.lr * m_hat / (np.sqrt(v_hat) + self.h["eps"])


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "nesterov": Nesterov, "rmsprop": RMSprop, "adam": Adam}


def make_optimizer(name: str, lr: float, **hparams) -> Optimizer:
    """An optimizer by registry name: "sgd", "momentum", "nesterov", "rmsprop" or "adam"."""
    choice("optimizer", name, tuple(OPTIMIZERS))
    return OPTIMIZERS[name](lr, **hparams)


@dataclass
class History:
    """What ``train`` recorded. Index 0 is before the first step; index k after step k."""

    loss: list[float] = field(default_factory=list)  # full-data objective
    data_loss: list[float] = field(default_factory=list)  # its two parts: loss = data_loss + reg_loss
    reg_loss: list[float] = field(default_factory=list)
    W: list[np.ndarray] = field(default_factory=list)
    b: list[np.ndarray] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)
    diverged: bool = False
    diverged_at: int | None = None  # the step whose result was non-finite or exploded

    @property
    def steps(self) -> int:
        return len(self.loss) - 1


def init_params(n_classes: int, dim: int, *, seed: int = 0, scale: float = 0.01):
    """Small random W (C, D) and zero b (C,), as the notes initialise a linear classifier."""
    rng = np.random.default_rng(seed)
    return scale * rng.standard_normal((n_classes, dim)), np.zeros(n_classes)


def train(
    X,
    y,
    *,
    optimizer: str = "sgd",
    lr: float,
    steps: int,
    batch_size: int | None = None,
    spec: LossSpec | None = None,
    seed: int = 0,
    W0=None,
    b0=None,
    X_test=None,
    y_test=None,
    record_params: bool = True,
    **options,
) -> History:
    """Gradient descent on the linear classifier's objective.

    Full batch when ``batch_size`` is None, else minibatches drawn without
    replacement within each pass, from ``np.random.default_rng(seed)``. The
    history records the full-data objective and accuracy before the first step
    and after each step (and on the test set when given). If a step's loss
    diverges (``has_diverged``: not finite, or above EXPLODE_FACTOR times the starting
    loss), training stops there: ``diverged`` is True, ``diverged_at`` is that
    step, and the history ends with the step before it (nothing exploded or
    non-finite enters it).

    ``spec`` is the objective (a ``core.linear.LossSpec``); its fields may be given as
    keywords instead (``loss="svm", reg=0.1``). The other keywords are the optimizer's
    hyperparameters (``momentum``, ``beta1``, ...).
    """
    spec = loss_spec(spec, **{k: options.pop(k) for k in SPEC_FIELDS if k in options})
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    steps = integer("steps", steps, 0, 100_000)
    n = len(y)
    if batch_size is not None:
        batch_size = integer("batch_size", batch_size, 1, n)
    rng = np.random.default_rng(seed)
    W, b = _start(W0, b0, y, X.shape[1], seed)
    opt = make_optimizer(optimizer, lr, **options)
    has_test = X_test is not None and y_test is not None and len(y_test) > 0
    hist = History()

    def record(W, b, full, *, start: bool = False) -> bool:
        """Append the state after a step; False (and nothing appended) if it diverged.

        The starting state is always recorded (it was validated): only a step can explode.
        """
        exploded = not start and has_diverged(full.total, hist.loss[0])
        if exploded or not np.isfinite(full.total) or not (np.isfinite(W).all() and np.isfinite(b).all()):
            return False
        hist.loss.append(full.total)
        hist.data_loss.append(full.data_loss)
        hist.reg_loss.append(full.reg_loss)
        hist.W.append(W)  # kept for the accuracies below; dropped at the end unless record_params
        hist.b.append(b)
        if has_test:
            hist.test_loss.append(objective(W, b, X_test, y_test, spec).total)
        return True

    full = objective(W, b, X, y, spec)  # validates the arrays once
    y = np.asarray(y, dtype=np.intp)
    record(W, b, full, start=True)
    batches = _minibatches(n, batch_size, rng)
    with np.errstate(all="ignore"):  # a blown-up step shows as a non-finite loss in record()
        for step in range(1, steps + 1):
            idx = next(batches)
            # The gradient of the full-data objective at the current params, or of one minibatch's.
            grad_at = full if idx is None else _evaluate(W, b, X[idx], y[idx], spec)
            new = opt.step({"W": W, "b": b}, {"W": grad_at.dW, "b": grad_at.db})
            W, b = new["W"], new["b"]
            full = _evaluate(W, b, X, y, spec)
            if not record(W, b, full):
                hist.diverged, hist.diverged_at = True, step
                break
    # Accuracies of every recorded step at once: one batched product instead of an argmax per step.
    hist.accuracy = _accuracies(hist.W, hist.b, X, y)
    if has_test:
        hist.test_accuracy = _accuracies(hist.W, hist.b, X_test, y_test)
    if not record_params:
        hist.W, hist.b = [], []
    return hist


def _start(W0, b0, y, dim: int, seed: int):
    """The starting W (C, D) and b (C,): the ones given, else small random W and zero b."""
    n_classes = int(max(y.max(), 0)) + 1 if W0 is None else np.asarray(W0).shape[0]
    W = init_params(n_classes, dim, seed=seed)[0] if W0 is None else np.array(W0, float)
    b = np.zeros(n_classes) if b0 is None else np.asarray(b0, dtype=float)
    return W, b


def _minibatches(n: int, batch_size: int | None, rng):
    """Endless minibatch indices, drawn without replacement within each pass over the n examples
    (a new permutation when the next batch would run past the end); None for full batch."""
    order, cursor = rng.permutation(n), 0
    while True:
        if batch_size is None:
            yield None
            continue
        if cursor + batch_size > n:
            order, cursor = rng.permutation(n), 0
        yield order[cursor : cursor + batch_size]
        cursor += batch_size


def _accuracies(Ws, bs, X, y, chunk: int = 64) -> list[float]:
    """Training accuracy of each (W, b) in the lists, computed in chunks of steps."""
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    out: list[float] = []
    for start in range(0, len(Ws), chunk):
        W = np.stack(Ws[start : start + chunk])  # (T, C, D)
        b = np.stack(bs[start : start + chunk])  # (T, C)
        scores = W @ X.T + b[:, :, None]  # (T, C, N)
        out.extend(np.mean(np.argmax(scores, axis=1) == y, axis=1).tolist())
    return out
