"""The SQLite stores: the ledger, the review queue, the users, and the one connection helper."""
