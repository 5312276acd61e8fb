"""The one TF-IDF weighting (lib/text/weighting.py) the keywords and the story elements share."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from lib.text import weighting


def test_a_term_every_row_uses_weighs_zero_and_keeps_its_place():
    counts = sp.csr_matrix(np.array([[1, 3, 0], [1, 0, 2]]))
    x = weighting.tfidf(counts)
    assert np.array_equal(x.indices, counts.indices) and np.array_equal(x.indptr, counts.indptr)
    assert x[0, 0] == 0 and x[1, 0] == 0  # in every row: idf ln(3 / 3)
    assert np.allclose(x.toarray(), [[0, 1, 0], [0, 0, 1]])
    assert np.allclose(weighting.idf(counts), np.log(3 / np.array([3, 2, 2])))


def test_sublinear_tf_times_a_given_idf_in_rows_of_unit_length():
    counts = sp.csr_matrix(np.array([[1, 4, 0], [0, 0, 0]]))
    x = weighting.tfidf(counts, np.ones(3)).toarray()
    expected = np.array([1.0, 1.0 + np.log(4.0)])
    assert np.allclose(x[0, :2], expected / np.linalg.norm(expected)) and not x[1].any()
    assert weighting.tfidf(sp.csr_matrix((0, 3))).shape == (0, 3)
