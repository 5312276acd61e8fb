"""Cleaning: text blocks, page furniture, what repeats (the corpus's and each outlet's template), what is
news (DESIGN.md rule 0), and the cleaner with its reviewable spans."""
