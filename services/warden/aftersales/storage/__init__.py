"""After-sales storage: tables, rows to and from domain objects, repositories, unit of work."""
