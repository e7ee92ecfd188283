"""The compliance edges: the gRPC servicers and the command lines."""
