"""``POST /api/concepts/<name>``: the concept labs, each computed with TensorFlow."""

from fastapi import APIRouter

from app.api.routes.concept_labs import activations, dense, losses, metrics, softmax

router = APIRouter(prefix="/concepts", tags=["concepts"])

# Each lab's router is included here, in the order a learner meets them (app/concepts_catalog.py).
router.include_router(softmax.router)
router.include_router(activations.router)
router.include_router(metrics.router)
router.include_router(losses.router)
router.include_router(dense.router)
