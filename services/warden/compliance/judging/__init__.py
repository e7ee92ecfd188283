"""Judging: the rules applied to a poll's events; state, deadlines, held events, quiet streams."""
