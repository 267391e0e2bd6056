"""Write src/prune2bib/data/venues.json, the copy of data/venues.toml that prune2bib reads.

    python tests/tools/compile_venues.py

Run it after every edit of venues.toml; tests/test_venues.py fails while the two differ.
"""

from prune2bib import datafiles, venues

if __name__ == "__main__":
    path = datafiles.DATA_DIR / venues.COMPILED
    path.write_text(venues.compiled(venues.source_data()), encoding="utf-8", newline="\n")
    print(f"wrote {path}")
