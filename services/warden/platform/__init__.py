"""Infrastructure shared by the three services: events, database, Kafka, gRPC."""
