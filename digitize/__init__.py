"""digitize: scanned patent publications to WIPO ST.36/ST.96 full text and ST.37 authority files."""

__version__ = "0.1.0"
