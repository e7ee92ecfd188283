"""Rules: the rule files, the durable-rules adapter and the catalogue of rule versions."""
