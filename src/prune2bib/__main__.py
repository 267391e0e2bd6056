from prune2bib.cli import console

console()
