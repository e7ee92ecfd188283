"""The after-sales use cases: a class per area given a unit of work, and their events."""
