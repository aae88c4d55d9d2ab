"""ST.37 authority files: model, sources, writers, checks and diffs."""
