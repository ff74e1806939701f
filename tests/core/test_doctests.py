"""The examples in core's docstrings (the lecture's numbers: 5.27, 2.04, 0.89, ...) run as tests,
so the Code tabs never show a student an example that no longer holds."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import core

MODULES = sorted(m.name for m in pkgutil.walk_packages(core.__path__, "core."))  # core.quiz.* too


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_examples_hold(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed"


def test_the_lecture_numbers_are_among_the_examples():
    found = doctest.DocTestFinder().find(importlib.import_module("core.losses"))
    text = "".join(example.want for test in found for example in test.examples)
    assert "5.27" in text
    assert "2.04" in text
    assert "0.89" in text
