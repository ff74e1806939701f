"""The gradients page's questions: which step h makes the numerical gradient most accurate, what
the gradient check says about the bug planted on screen, how many of the planted bugs it catches,
and what the check costs.

Inputs (what /gradients has on screen):

- ``X`` (N, 2), ``y`` (N,), ``W`` (C, 2), ``b`` (C,), ``spec``: the classifier the page studies,
  as ``ui.classifier.current_classifier()`` returns it (the optimization page's data, start and
  ``core.linear.LossSpec``).
- ``param``: the walkthrough's parameter (setting ``param``, e.g. ``"W.0.0"``; a key of
  ``core.params.param_keys(W.shape)``).
- ``wloss``: the walkthrough's loss (setting ``wloss``): ``"classifier"`` for the classifier's
  own objective, ``"softmax"`` for it with the softmax loss, as the walkthrough switches it.
- ``bug``: the check tab's planted bug (setting ``bug``, one of ``core.gradients.BUGS``).

Errors and step sizes span many powers of ten, so facts give h as its power of ten (an int) and
errors as text in scientific notation ("2.1e-08").
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np

from core import gradients as grad
from core import params
from core.data import CS231N_DEMO_B, CS231N_DEMO_W, CS231N_DEMO_X, CS231N_DEMO_Y
from core.linear import LossSpec
from core.quiz.question import Answer, Question

POWERS = np.arange(-10, 0)  # h = 10^-10 ... 10^-1, the walkthrough plot's range, a decade apart
NOTES_POWER = -5  # the notes' advice: h = 1e-5 with the centered formula
VERDICTS = ("fine", "suspicious", "wrong")


def _sci(value: float) -> str:
    return f"{value:.1e}"


def _walk(inputs: Mapping):
    """The walkthrough's objective (flat), parameters, index and analytic partial derivative."""
    spec = inputs["spec"]
    if inputs.get("wloss", "classifier") == "softmax":  # as the walkthrough switches it
        spec = dataclasses.replace(spec, loss="softmax")
    W, b = np.asarray(inputs["W"], dtype=float), np.asarray(inputs["b"], dtype=float)
    index = params.param_index(inputs["param"], W.shape)
    loss, loss_and_grad = params.flat_objective(inputs["X"], inputs["y"], W.shape, spec)
    p = params.flatten(W, b)
    return loss, p, index, float(loss_and_grad(p)[1][index])


def _best_h(method: str):
    def solve(inputs: Mapping) -> Answer:
        loss, p, index, true = _walk(inputs)
        forward, centered = grad.difference_quotients(loss, p, index, 10.0**POWERS, true_grad=true)
        errors = forward if method == "forward" else centered
        k = len(errors) - 1 - int(np.argmin(errors[::-1]))  # of equal errors, the largest h
        facts = {
            "best_h": int(POWERS[k]),
            "best_error": _sci(errors[k]),
            "tiny_error": _sci(errors[0]),
            "notes_error": _sci(errors[list(POWERS).index(NOTES_POWER)]),
            "largest_error": _sci(errors[-1]),
            "param": params.param_label(inputs["param"]),
        }
        flat = errors[-1] <= 10 * errors.min()  # no truncation error to see: the loss is linear there
        slips = (float(POWERS[0]), float(NOTES_POWER), float(POWERS[-1]))
        return Answer(float(POWERS[k]), facts, "why_linear" if flat else "why", mistakes=slips)

    solve.__doc__ = (
        f"The power of ten k for which h = 10^k gives the {method} difference quotient of the "
        "walkthrough's parameter the smallest error |numerical − analytic|: truncation error "
        "shrinks with h, round-off grows as h shrinks. Slips: the smallest h, the notes' 1e-5, the largest."
    )
    return solve


def bug_check(inputs: Mapping) -> Answer:
    """What the gradient check says (fine, suspicious or wrong) with the bug on screen planted."""
    spec, bug = inputs["spec"], inputs["bug"]
    result = grad.gradient_check(inputs["W"], inputs["b"], inputs["X"], inputs["y"], spec, bug=bug)
    worst = int(np.argmax(result.errors))
    said = grad.verdict(result.worst)
    facts = {
        "worst": _sci(result.worst),
        "param": params.param_label(params.param_keys(np.shape(inputs["W"]))[worst]),
        "reg": float(spec.reg),
        "fine": _sci(grad.VERDICT_FINE),
        "kink": _sci(grad.VERDICT_KINK),
    }
    if bug == "none":
        why = "why"
    elif grad.bug_is_hidden(bug, reg=spec.reg, penalty=spec.penalty):
        why = "why_hidden"
    else:
        why = "why_missed" if said == "fine" else f"why_{bug}"
    return Answer(said, facts, why)


def caught(inputs: Mapping) -> Answer:
    """How many of the three planted bugs the check flags (suspicious or wrong) on the classifier
    on screen: all three with an L2 term, only the missing bias gradient without one."""
    spec, data = inputs["spec"], (inputs["W"], inputs["b"], inputs["X"], inputs["y"])
    worst = {bug: grad.gradient_check(*data, spec, bug=bug).worst for bug in grad.BUGS[1:]}
    flagged = sum(grad.verdict(e) != "fine" for e in worst.values())
    facts = {f"{bug}_error": _sci(e) for bug, e in worst.items()}
    facts.update(caught=flagged, reg=float(spec.reg), fine=_sci(grad.VERDICT_FINE))
    hidden = any(grad.bug_is_hidden(bug, reg=spec.reg, penalty=spec.penalty) for bug in worst)
    why = "why" if flagged == len(worst) else "why_hidden" if hidden else "why_missed"
    return Answer(float(flagged), facts, why, mistakes=(0.0, 1.0, 2.0, 3.0))


def evaluations(inputs: Mapping) -> Answer:
    """How many loss evaluations the centered numerical gradient of every parameter takes: 2 per
    parameter, counted as the check runs. Slips: 1 per parameter, W without b, one more for L(W)."""
    result = grad.gradient_check(inputs["W"], inputs["b"], inputs["X"], inputs["y"], inputs["spec"])
    C, D = np.shape(inputs["W"])
    P = C * D + C
    facts = {
        "evaluations": result.evaluations,
        "params": P,
        "classes": C,
        "dims": D,
        "points": len(inputs["y"]),
    }
    return Answer(float(result.evaluations), facts, mistakes=(float(P), 2.0 * C * D, 2.0 * P + 1))


QUESTIONS = (
    Question("gradients.best_h", "number", _best_h("forward"), tolerance=1.0, relative=0.0, close=3.0),
    Question(
        "gradients.best_h_centered", "number", _best_h("centered"), tolerance=1.0, relative=0.0, close=3.0
    ),
    Question("gradients.bug_check", "choice", bug_check, choices=VERDICTS),
    Question("gradients.caught", "number", caught, tolerance=0.5, relative=0.0, close=2.0),
    Question("gradients.evaluations", "number", evaluations, tolerance=0.5, relative=0.0),
)


def lecture_inputs() -> dict:
    """The page's defaults: the CS231n demo's classifier (SVM, L2, λ = 0.1), W[0, 1], no bug.

    >>> inputs = lecture_inputs()
    >>> [q.solve(inputs).value for q in QUESTIONS[2:]]
    ['fine', 3.0, 18.0]
    >>> [bug_check(dict(inputs, bug=bug)).value for bug in grad.BUGS[1:]]
    ['wrong', 'wrong', 'wrong']
    """
    return {
        "X": CS231N_DEMO_X,
        "y": CS231N_DEMO_Y,
        "W": CS231N_DEMO_W,
        "b": CS231N_DEMO_B,
        "spec": LossSpec("svm", "ww", margin=1.0, reg=0.1, penalty="l2"),
        "param": "W.0.0",
        "wloss": "classifier",
        "bug": "none",
    }
