"""The compliance intake: the Kafka consumer, and the decoding of what the input topics bring."""
