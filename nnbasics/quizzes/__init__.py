"""Each chapter's self-check questions, one module per chapter (see nnbasics.quiz)."""
