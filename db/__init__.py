"""Storage: SQLModel tables, the database handle and schema migrations."""
