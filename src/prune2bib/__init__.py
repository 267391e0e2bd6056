"""prune2bib: the Awesome-Pruning list as BibTeX, CSL-JSON and RIS."""

__version__ = "0.1.0"
