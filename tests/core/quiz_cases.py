"""The inputs the quiz tests solve every question on: each page's defaults first, then edits that
reach every explanation a question has (shared by test_quiz.py and test_quiz_chapters.py)."""

from __future__ import annotations

import numpy as np

from core import gradients as grad
from core import lecture
from core import regularization as reg
from core.linear import LossSpec
from core.quiz import CHAPTERS
from core.quiz import features as quiz_feat
from core.quiz import gradients as quiz_grad
from core.quiz import losses as quiz_losses
from core.quiz import optimization as quiz_opt
from core.quiz import regularization as quiz_reg


def edit(inputs: dict, **changes) -> dict:
    return {**inputs, **changes}


LOSS = quiz_losses.lecture_inputs()
REG = quiz_reg.lecture_inputs()
OPT = quiz_opt.lecture_inputs()
SEPARATED = {  # two points the starting W already tells apart: 100 % at step 0
    "X": np.array([[1.0, 0.0], [-1.0, 0.0]]),
    "y": np.array([0, 1]),
    "W0": np.array([[1.0, 0.0], [-1.0, 0.0]]),
    "b0": np.zeros(2),
}
GRAD = quiz_grad.lecture_inputs()
SEPARATED_AT_START = {"X": SEPARATED["X"], "y": SEPARATED["y"], "W": SEPARATED["W0"], "b": SEPARATED["b0"]}
FIVE = {"W": np.arange(10.0).reshape(5, 2) / 10, "b": np.zeros(5), "y": np.array([0, 1, 2, 3, 4, 0, 1, 2, 3])}
FEAT = quiz_feat.lecture_inputs()
GRAY = np.random.default_rng(0).integers(0, 256, size=(75, 100), dtype=np.uint8)  # a small gray image
SPARSE = dict(zip(("x", "w1", "w2"), (tuple(v) for v in reg.PAIRS["sparse"]), strict=True))

# Per chapter: the page's defaults first, then edits that reach every explanation a question has.
CASES = {
    "losses": [
        LOSS,
        edit(LOSS, example=0),  # the cat misses the margin: q1's other explanation
        edit(LOSS, scores=lecture.near_zero_scores(3, 3)),
        edit(LOSS, scores=np.array([[5.0, 1.0, 0.0], [0.0, 9.0, 1.0], [0.0, 0.0, 4.0]])),  # L = 0
        edit(LOSS, scores=lecture.SVM_VS_SOFTMAX_SCORES, labels=lecture.SVM_VS_SOFTMAX_LABELS),
        edit(LOSS, svm={"margin": 2.0}, softmax={"log_base": "10"}),
    ],
    "regularization": [
        REG,
        edit(REG, **SPARSE),
        edit(REG, w1=(0.25, 0.25, 0.25, 0.25)),  # w1 = w2: ties everywhere
        edit(REG, loss="svm", loglam=1.0, kind="l1"),
        edit(REG, x=(1.0, -2.0), w1=(3.0, 1.0), w2=(-1.0, -1.0), label=1, beta=0.5, kind="elastic_net"),
    ],
    "optimization": [
        OPT,
        edit(OPT, optimizer="momentum"),  # a step of 10 oscillates
        edit(OPT, spec=LossSpec("svm", reg=0.0)),  # no regularization: a step of 10 still converges
        edit(OPT, optimizer="rmsprop", lr=10.0),  # the first step blows up; 90 % never reached
        edit(OPT, **SEPARATED),
        edit(OPT, optimizer="adam", lr=1.0, batch=3, seed=5, spec=LossSpec("softmax", reg=0.01)),
    ],
    "gradients": [
        GRAD,
        edit(GRAD, wloss="softmax", param="b.2"),
        edit(GRAD, spec=LossSpec("svm", reg=0.0)),  # piecewise linear: the largest h wins
        *(edit(GRAD, bug=bug) for bug in grad.BUGS[1:]),
        edit(GRAD, bug="no_reg", spec=LossSpec("softmax", reg=0.0)),  # nothing for the bug to spoil
        # every margin met, so the true ∂L/∂b is 0 and the missing bias gradient goes unseen
        edit(GRAD, **SEPARATED_AT_START, bug="no_bias", spec=LossSpec("svm", reg=0.0)),
        edit(GRAD, **SEPARATED_AT_START, bug="no_bias", spec=LossSpec("svm", reg=0.1)),
        edit(GRAD, **FIVE, param="W.4.1", bug="no_bias"),
    ],
    "features": [
        FEAT,
        edit(FEAT, cpb=2),
        edit(FEAT, image=GRAY, orient=12, ppc=7, cpb=3, bins=4),
    ],
}


def solved():
    """(question, inputs, answer) for every question on every case of its chapter."""
    for name, cases in CASES.items():
        for q in CHAPTERS[name]:
            for inputs in cases:
                yield q, inputs, q.solve(inputs)
