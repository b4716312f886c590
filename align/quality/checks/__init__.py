"""The quality checks, one module per flag (see align.quality for the members' interface and the catalogue)."""
