"""`python -m prune2bib`, and the `prune2bib` command (pyproject.toml's entry point: `run`)."""

import gc


def run():
    # The imports make ~100,000 objects that live as long as the process: the cyclic collector
    # would scan them several times over while they load, and once more after, for nothing
    # (collector.py). So none runs meanwhile, and they are frozen before it comes back.
    gc.disable()
    try:
        from prune2bib.cli import console
    finally:
        gc.freeze()
        gc.enable()
    console()


if __name__ == "__main__":
    run()
