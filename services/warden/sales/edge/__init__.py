"""The sales edges: the gRPC servicer, protobuf conversion, the CLI and its chart."""
