"""Cleaning: text blocks, page furniture, what repeats (``repeats``: the counts and ``Repeats``), what each outlet's
articles are cleaned by (``template``: the corpus's repeats and each outlet's template), what is news (DESIGN.md
rule 0), and the cleaner with its reviewable spans."""
