"""The officers web console, served by the compliance process."""
