"""Pydantic request/response models: the HTTP contract, with its limits."""
