"""A local stand-in for arXiv, Crossref, OpenReview and DBLP, for fault tests and benchmarks.

Importable from tests (tests/ is on sys.path) and from benchmarks/ (which adds tests/ to it).
"""

from simulator.dataset import Dataset, Paper, synthetic_paper, words
from simulator.server import ENV, HOSTS, Exchange, Faults, Simulator

__all__ = ["Dataset", "ENV", "Exchange", "Faults", "HOSTS", "Paper", "Simulator", "synthetic_paper", "words"]
