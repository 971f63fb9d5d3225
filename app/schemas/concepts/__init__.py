"""Request and response models of the concept labs, one module per lab."""
