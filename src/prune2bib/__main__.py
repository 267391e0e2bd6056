from prune2bib.cli import main

main()
