"""Path-loss models: the documented values, their monotony and the LOS/NLOS order."""

import doctest

import numpy as np

from twin.coverage.algorithms import maxcover, pathloss, shares
from twin.coverage.algorithms.pathloss import cost231_hata, rma, uma


def test_the_docstring_examples_run():
    for module in (pathloss, maxcover, shares):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__


def test_loss_grows_with_distance_and_frequency():
    d = np.array([100.0, 1000.0, 5000.0])
    assert np.all(np.diff(cost231_hata(d, 1800.0, 30.0, 1.5)) > 0)
    assert cost231_hata(1000.0, 2100.0, 30.0, 1.5) > cost231_hata(1000.0, 900.0, 30.0, 1.5)
    assert np.all(np.diff(uma(d, 3.5, 25.0, 1.5, True)) > 0)


def test_nlos_never_beats_los():
    d = np.linspace(20, 5000, 50)
    assert np.all(uma(d, 3.5, 25.0, 1.5, False) >= uma(d, 3.5, 25.0, 1.5, True))
    assert np.all(rma(d, 3.5, 35.0, 1.5, False) >= rma(d, 3.5, 35.0, 1.5, True))


def test_greedy_stops_at_the_target():
    covers = [np.array([0]), np.array([1, 2]), np.array([3])]
    steps = maxcover.greedy_cover(covers, np.ones(4), np.ones(3), already=np.zeros(4, bool),
                                  target=0.5)
    assert [s.candidate for s in steps] == [1]
