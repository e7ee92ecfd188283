"""The sales use cases: a class per area given a unit of work, and the events they emit."""
