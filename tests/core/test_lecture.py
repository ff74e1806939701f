"""core.lecture: the answers to the lecture's questions, against hand-worked numbers."""

from __future__ import annotations

import numpy as np
import pytest

from core import lecture
from core.lecture import LECTURE_LABELS, LECTURE_SCORES


def test_q5_divides_by_c_and_shows_the_c_minus_1_reading():
    # Summed: 2.9 + 0 + 12.9 = 15.8 over 3 images = 5.2667. Divided by C = 3: 1.7556;
    # by the C - 1 = 2 terms summed: 2.6333.
    comp = lecture.class_mean(LECTURE_SCORES, LECTURE_LABELS, {}, {})
    np.testing.assert_allclose(comp.svm, [15.8 / 3, 15.8 / 9, 15.8 / 6], rtol=1e-12)
    assert [key for key, _ in comp.rows][-1] == "whatif.row.class_reduction.terms"
    assert comp.rows[-1][1] == {"terms": 2}
    assert comp.facts["terms"] == 2
    assert comp.facts["classes"] == 3
    assert comp.facts["ratio"] == pytest.approx(1 / 3)
    assert comp.facts["ratio_terms"] == pytest.approx(1 / 2)
    assert np.all(comp.softmax == comp.softmax[0])  # softmax has no class reduction


def test_q5_counts_the_terms_of_the_current_loss():
    comp = lecture.class_mean(LECTURE_SCORES, LECTURE_LABELS, {"include_correct": True}, {})
    assert comp.facts["terms"] == 3  # j = y_i included: (15.8 + 3) / 3 images, divided by 3 terms
    assert comp.svm[-1] == pytest.approx((15.8 + 3) / 3 / 3)
    zero = lecture.class_mean([[5.0, 0.0]], [0], {}, {})
    assert comp.facts["ratio"] is not None
    assert zero.facts["ratio"] is None
    assert zero.svm[-1] == 0


def test_q7_distinct_values_are_the_ones_shown():
    comp = lecture.svm_vs_softmax(lecture.SVM_VS_SOFTMAX_SCORES, lecture.SVM_VS_SOFTMAX_LABELS, {}, {})
    assert comp.facts == {"svm_distinct": 1, "softmax_distinct": 3}
    # -ln(e^10 / (e^10 + e^-2 + e^3)) = ln(1 + e^-12 + e^-7) = 9.2e-4; the third is 3.4e-48, not 0.
    assert comp.softmax[0] == pytest.approx(np.log1p(np.exp(-12) + np.exp(-7)), rel=1e-9)
    assert comp.softmax[2] == pytest.approx(2 * np.exp(-110), rel=1e-9)  # ln(1 + 2e^-110), not 0
