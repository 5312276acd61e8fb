"""Benchmarks on the real corpora in ../shared/corpora; run as ``python -m benchmarks.NAME``."""


def widget(elements, param: str):
    """The widget of an AppTest element list (``at.selectbox``, ``at.multiselect``) whose choice is ``?param=``:
    its key is the parameter, or the parameter and a hash of its options (``lib.ui.address``)."""
    return next(w for w in elements if w.key == param or w.key.startswith(param + "@"))
