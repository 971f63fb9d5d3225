"""The concept labs' computations, one module per lab, each done with TensorFlow itself."""
