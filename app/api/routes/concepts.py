"""``POST /api/concepts/<name>``: the concept labs, each computed with TensorFlow."""

from fastapi import APIRouter

router = APIRouter(prefix="/concepts", tags=["concepts"])

# Each lab's router is included here, in the order a learner meets them (app/concepts_catalog.py).
