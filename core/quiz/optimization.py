"""Chapter questions: written by the question-bank work."""

QUESTIONS = ()
