"""The after-sales edges: the gRPC servicer, protobuf conversion, the CLI, text and HTML."""
