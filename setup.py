"""The optional C extensions; everything else is in pyproject.toml. Each is compiled where the install finds a C
compiler, and left out (``optional``) where it does not: the module that uses it then computes the same in Python
(docs/ingest-speed.md)."""

from setuptools import Extension, setup

setup(ext_modules=[
    Extension("lib.text._shingles", ["lib/text/_shingles.c"], optional=True),  # lib/cleaning/passages.py
    Extension("lib.text._sentences", ["lib/text/_sentences.c"], optional=True),  # lib/text/segment.py
    Extension("lib.cleaning._keys", ["lib/cleaning/_keys.c"], optional=True),  # lib/cleaning/features.py
    Extension("lib.cleaning._blocks", ["lib/cleaning/_blocks.c"], optional=True),  # lib/cleaning/blocks.py
])
