"""``POST /api/concepts/<name>``: the concept labs, each computed with TensorFlow."""

from fastapi import APIRouter

from app.api.routes.concept_labs import activations, dense, losses, metrics, softmax
from app.api.routes.concept_labs import backprop, cross_entropy, forward, gradient_descent, learning_rate

router = APIRouter(prefix="/concepts", tags=["concepts"])

# Each lab's router is included here, in the order a learner meets them (app/concepts_catalog.py).
router.include_router(softmax.router)
router.include_router(activations.router)
router.include_router(metrics.router)
router.include_router(losses.router)
router.include_router(dense.router)
router.include_router(cross_entropy.router)
router.include_router(forward.router)
router.include_router(backprop.router)
router.include_router(gradient_descent.router)
router.include_router(learning_rate.router)
