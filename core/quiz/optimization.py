"""The optimization page's questions: what a step size of 10 does, how many steps reach 90 %
training accuracy, and where one step downhill lands, each answered by running core's trainer.

Inputs (what /optimization has on screen; the page's own variables, in the order
``ui.classifier.train_and_show`` takes them):

- ``X`` (N, 2), ``y`` (N,): the training points (the data expander's dataset after the test split).
- ``W0`` (C, 2), ``b0`` (C,): the starting parameters (the model expander's W and b at step 0).
- ``spec``: the objective, a ``core.linear.LossSpec`` (``ui.classifier.objective_spec``: the
  sidebar's loss, margin, penalty, log₁₀ λ and β).
- ``optimizer``, ``lr``, ``batch``, ``seed``: the sidebar's optimizer, 10 ** log₁₀ step size,
  batch size (0 for the full batch) and the page's seed (the ``descent`` tuple).
- ``steps``: how many steps the page trains (``ui.settings.optimization.MAX_STEPS``, 500).
- ``history`` (optional): the page's own ``core.optim.History`` for exactly these inputs; when
  given, ``to_90`` reads it instead of training again.

Runs are cached (``functools.lru_cache`` keyed by the arrays' bytes), so a second reveal is free.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache

import numpy as np

from core.checks import integer, number
from core.data import CS231N_DEMO_B, CS231N_DEMO_W, CS231N_DEMO_X, CS231N_DEMO_Y
from core.linear import LossSpec
from core.optim import EXPLODE_FACTOR, History, train
from core.quiz.question import Answer, Question

BIG_LR = 10.0  # the lecture's "what if the step size is too big?"
BIG_LR_STEPS = 200  # enough to see a run blow up or settle
OSCILLATING = 0.1  # the loss rising on more than this share of steps counts as oscillating
TARGET = 0.9  # the accuracy asked for
BEHAVIOURS = ("diverges", "oscillates", "converges")


def _frozen(a) -> tuple:
    a = np.ascontiguousarray(a, dtype=float)
    return a.tobytes(), a.shape


def _thawed(key: tuple) -> np.ndarray:
    data, shape = key
    return np.frombuffer(data, dtype=float).reshape(shape)


@lru_cache(maxsize=32)
def _run(
    X, y, W0, b0, spec: LossSpec, optimizer: str, lr: float, batch: int, seed: int, steps: int
) -> History:
    X, y, W0, b0 = (_thawed(a) for a in (X, y, W0, b0))
    return train(
        X,
        y.astype(np.intp),
        optimizer=optimizer,
        lr=lr,
        steps=steps,
        batch_size=int(batch) or None,
        seed=int(seed),
        W0=W0,
        b0=b0,
        spec=spec,
        record_params=False,
    )


def run(inputs: Mapping, *, lr: float | None = None, steps: int | None = None) -> History:
    """core.optim.train on the page's data, start, objective and descent (``lr``, ``steps`` if given)."""
    arrays = (_frozen(inputs[k]) for k in ("X", "y", "W0", "b0"))
    lr = number("lr", inputs["lr"] if lr is None else lr, low=0, low_open=True)
    steps = integer("steps", inputs["steps"] if steps is None else steps, 0, 100_000)
    batch, seed = integer("batch", inputs["batch"], 0), integer("seed", inputs["seed"], 0)
    return _run(*arrays, inputs["spec"], inputs["optimizer"], lr, batch, seed, steps)


def step_size_10(inputs: Mapping) -> Answer:
    """A step size of 10 on the page's data and optimizer: diverges (the loss blows up), oscillates
    (it rises on more than 10 % of the steps) or converges."""
    hist = run(inputs, lr=BIG_LR, steps=BIG_LR_STEPS)
    loss = np.asarray(hist.loss)
    rises = int(np.sum(np.diff(loss) > 0))
    facts = {
        "start": float(loss[0]),
        "last": float(loss[-1]),
        "lowest": float(loss.min()),
        "rises": rises,
        "steps": hist.steps,
        "factor": float(EXPLODE_FACTOR),
    }
    if hist.diverged:
        facts["step"] = int(hist.diverged_at)
        return Answer("diverges", facts)  # the lecture's answer
    behaviour = "oscillates" if rises > OSCILLATING * max(hist.steps, 1) else "converges"
    return Answer(behaviour, facts, f"why_{behaviour}")


def _first(accuracy, target: float = TARGET) -> float:
    """The first step whose accuracy reaches ``target``, or inf if none does."""
    reached = np.flatnonzero(np.asarray(accuracy) >= target - 1e-12)
    return float(reached[0]) if reached.size else math.inf


def to_90(inputs: Mapping) -> Answer:
    """How many steps the page's run takes to reach 90 % training accuracy (inf: not in its steps)."""
    hist = inputs.get("history") or run(inputs)
    acc = np.asarray(hist.accuracy)
    first = _first(acc)
    facts = {
        "lr": float(inputs["lr"]),
        "steps": hist.steps,
        "points": len(inputs["y"]),
        "start": 100 * float(acc[0]),
        "best": 100 * float(acc.max()),
        "needed": math.ceil(TARGET * len(inputs["y"]) - 1e-9),
    }
    if math.isinf(first):
        return Answer(first, facts, "why_never", mistakes=(float(hist.steps), 100.0))
    facts["step"] = int(first)
    slips = (_first(acc, 1.0), first / 2, 2 * first, first + 10)
    return Answer(first, facts, "why_start" if first == 0 else "why", mistakes=slips)


def one_step(inputs: Mapping) -> Answer:
    """The loss after one step from the W, b on screen (with the page's optimizer and step size)."""
    hist = run(inputs, steps=1)
    start = float(hist.loss[0])
    facts = {"start": start, "lr": float(inputs["lr"]), "factor": float(EXPLODE_FACTOR)}
    if hist.diverged:
        return Answer(math.inf, facts, "why_diverges", mistakes=(start, 0.0))
    after = float(hist.loss[1])
    facts.update(after=after, change=after - start)
    return Answer(after, facts, mistakes=(start, start + (start - after), 0.0))


QUESTIONS = (
    Question("optimization.step_size_10", "choice", step_size_10, choices=BEHAVIOURS),
    Question("optimization.to_90", "number", to_90, tolerance=2.0, relative=0.2),
    Question("optimization.one_step", "number", one_step, tolerance=0.01, relative=0.02),
)


def lecture_inputs() -> dict:
    """The page's defaults: the CS231n demo's 9 points, W and b, the multiclass SVM with L2, λ = 0.1,
    SGD at step size 0.1 on the full batch for 500 steps.

    >>> inputs = lecture_inputs()
    >>> [q.solve(inputs).value for q in QUESTIONS[:2]], round(QUESTIONS[2].solve(inputs).value, 2)
    (['diverges', 79.0], 6.0)
    >>> step_size_10(dict(inputs, optimizer="momentum")).value
    'oscillates'
    """
    return {
        "X": CS231N_DEMO_X,
        "y": CS231N_DEMO_Y,
        "W0": CS231N_DEMO_W,
        "b0": CS231N_DEMO_B,
        "spec": LossSpec("svm", "ww", margin=1.0, reg=0.1, penalty="l2"),
        "optimizer": "sgd",
        "lr": 0.1,
        "batch": 0,
        "seed": 0,
        "steps": 500,
    }
