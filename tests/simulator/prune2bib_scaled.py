"""`python -m simulator.prune2bib_scaled …` = `python -m prune2bib …` with per-service minimum
intervals multiplied by `PRUNE2BIB_SIM_INTERVAL_SCALE` (default 1: the real intervals).

For fault tests about commits and signals, where the pacing itself is not under test, and for
the ×16 cold benchmark (stated in benchmarks/RESULTS.md). Never used by prune2bib itself.
"""

import os

import msgspec.structs

from prune2bib import http
from prune2bib.cli import main

scale = float(os.environ.get("PRUNE2BIB_SIM_INTERVAL_SCALE", "1") or 1)
if scale != 1:
    for name, service in list(http.SERVICES.items()):
        http.SERVICES[name] = msgspec.structs.replace(
            service, min_interval=service.min_interval * scale, floor_interval=service.floor_interval * scale
        )

if __name__ == "__main__":
    main(prog_name="prune2bib")
