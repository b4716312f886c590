"""Write stage: the files this tool reads and writes (read -> segment -> embed -> align -> score -> *write*).

- tmx.py: TMX 1.4b translation memories (written from alignments; read and merged whatever tool made them);
- tmx_review.py: another tool's TMX as an alignment to review, and written back with the review's changes;
- beads.py: the alignment as JSON lines of sentence indices;
- alignment_file.py: the alignment document (`--alignment`), from which every output can be written again;
- exporters/: the exporters family (moses, tsv, jsonl, parquet, xlsx), found by name.
"""
