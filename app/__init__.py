"""Tensor Playground: a neural-network playground and concept labs backed by TensorFlow."""
