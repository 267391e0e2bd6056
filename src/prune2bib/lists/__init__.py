"""Reading paper lists: markdown text -> headings, tables, legends, cells -> `readme.Entry` rows.

Stage 1 of the pipeline, split by job (`readme.parse_readme` is the stage's entry point):

- `blocks`: the text -> headings and tables, by lines, in linear time (and the work limits);
- `inline`: one cell's inline markdown -> pieces (text, links, breaks), with pyromark;
- `columns`: a table's header -> which column holds the title, venue, year, … (synonyms are data);
- `years`: the year a heading, a venue cell or a Year/Date cell names;
- `legend`: the list's own taxonomy, read from its legend table ("Type of Pruning");
- `cells`: title, venue, type and code cells of every common shape -> fields and anomalies.
"""
