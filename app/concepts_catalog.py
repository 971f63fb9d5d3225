"""The concept labs in the order a learner meets them: titles in English and 简体中文, and each lab's API.

Pages, the index and the API router all read this list. A lab is one entry here (its request model,
response model and compute function) plus its engine module, schema module, template and widget;
``app/api/routes/concepts.py`` registers ``POST /api/concepts/<name>`` for every entry.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.engine.concepts import activations, backprop, cross_entropy, dense, forward, gradient_descent
from app.engine.concepts import learning_rate, losses, metrics, softmax
from app.schemas.concepts.activations import ActivationsRequest, ActivationsResponse
from app.schemas.concepts.backprop import BackpropRequest, BackpropResponse
from app.schemas.concepts.base import ConceptRequest, ConceptResponse
from app.schemas.concepts.cross_entropy import CrossEntropyRequest, CrossEntropyResponse
from app.schemas.concepts.dense import DenseRequest, DenseResponse
from app.schemas.concepts.forward import ForwardRequest, ForwardResponse
from app.schemas.concepts.gradient_descent import (
    BatchDescentRequest,
    BatchDescentResponse,
    GradientDescentRequest,
    GradientDescentResponse,
)
from app.schemas.concepts.learning_rate import LearningRateRequest, LearningRateResponse
from app.schemas.concepts.losses import LossesRequest, LossesResponse
from app.schemas.concepts.metrics import MetricsRequest, MetricsResponse
from app.schemas.concepts.softmax import SoftmaxRequest, SoftmaxResponse

INVALID = "Invalid input: the detail says what was expected and what was received"


@dataclass(frozen=True)
class Endpoint:
    """``POST /api/concepts/<name><path>``: ``compute`` is called with the request's fields as keyword
    arguments, and returns the engine's result that ``response.from_result`` turns into the answer. A
    ``ValueError`` it raises is answered 422 with its message."""

    request: type[ConceptRequest]
    response: type[ConceptResponse]
    compute: Callable[..., Any]
    description: str  # the OpenAPI description: what the lab computes
    invalid: str = INVALID  # what a 422 means here
    path: str = ""  # after /api/concepts/<name>, for a lab's second endpoint
    summary: str | None = None  # the OpenAPI summary; the lab's English title if None


@dataclass(frozen=True)
class Concept:
    name: str  # URL slug: /concepts/<name>, POST /api/concepts/<name>
    title_en: str
    title_zh: str
    summary_en: str
    summary_zh: str
    endpoints: tuple[Endpoint, ...]


CONCEPTS: tuple[Concept, ...] = (
    Concept("softmax", "Softmax", "Softmax 函数", "Turn logits into probabilities.", "把 logits 变成概率。", (
        Endpoint(SoftmaxRequest, SoftmaxResponse, softmax.softmax,
                 "Probabilities from logits with tf.nn.softmax, and the numerically stable steps behind them.",
                 "Invalid logits, axis or temperature"),)),
    Concept("activations", "Activation functions", "激活函数", "Non-linearities and their derivatives.",
            "非线性函数及其导数。", (
                Endpoint(ActivationsRequest, ActivationsResponse, activations.curves,
                         "Values and tf.GradientTape derivatives of activation functions over a range of x.",
                         "Unknown activation, bad range or maxout"),)),
    Concept("metrics", "Metrics", "评估指标", "Accuracy, precision, recall, F1, AUC, regression errors.",
            "准确率、精确率、召回率、F1、AUC 与回归误差。", (
                Endpoint(MetricsRequest, MetricsResponse, metrics.evaluate,
                         "Accuracy, precision, recall, F1, AUC and the ROC curve, or MAE, MSE, RMSE and R², "
                         "from keras.metrics.", "Mismatched lengths or values out of range"),)),
    Concept("losses", "Loss functions", "损失函数", "How wrong a prediction is, in many ways.",
            "衡量预测有多“错”的各种方法。", (
                Endpoint(LossesRequest, LossesResponse, losses.compare,
                         "Per-sample and mean values of keras.losses functions, and optionally each loss against "
                         "the prediction.", "Unknown loss, mismatched shapes or bad values"),)),
    Concept("dense", "Dense layers", "全连接层 (Dense)", "x · W + b, then an activation.",
            "x · W + b，再经过激活函数。", (
                Endpoint(DenseRequest, DenseResponse, dense.dense,
                         "Every step of keras.layers.Dense on a batch: x · W, + b, the activation, shapes and "
                         "parameter count.", "Unknown activation or mismatched shapes"),)),
    Concept("cross-entropy", "Cross entropy", "交叉熵", "Step by step, and with Keras.",
            "逐步手算，并与 Keras 对照。", (
                Endpoint(CrossEntropyRequest, CrossEntropyResponse, cross_entropy.cross_entropy,
                         "Cross entropy step by step (clip, log, multiply, sum, mean) next to Keras, and H(p, q) "
                         "against H(q, p)."),)),
    Concept("forward", "Forward propagation", "前向传播", "Values flowing through a network, layer by layer.",
            "数值逐层流过网络。", (
                Endpoint(ForwardRequest, ForwardResponse, forward.forward,
                         "Every Dense layer's pre-activation and activation for one input, big layers "
                         "summarised."),)),
    Concept("backprop", "Backpropagation", "反向传播", "The chain rule, neuron by neuron.",
            "链式法则，逐个神经元。", (
                Endpoint(BackpropRequest, BackpropResponse, backprop.backprop,
                         "Chain-rule factors of every neuron, tape and finite-difference gradients, and one SGD "
                         "update."),)),
    Concept("gradient-descent", "Gradient descent", "梯度下降", "Walking downhill, and how step size matters.",
            "沿着下坡走，步长为何重要。", (
                Endpoint(GradientDescentRequest, GradientDescentResponse, gradient_descent.descend,
                         "Trajectories of Keras optimizers on a 1-D or 2-D function, each with a verdict."),
                Endpoint(BatchDescentRequest, BatchDescentResponse, gradient_descent.compare_batch_sizes,
                         "Full-batch, stochastic and mini-batch descent on one seeded linear regression.",
                         path="/batch", summary="Gradient descent: batch sizes"))),
    Concept("learning-rate", "Learning rate and schedules", "学习率与学习率衰减",
            "Too small, too big, and decaying over time.", "太小、太大，以及随时间衰减。", (
                Endpoint(LearningRateRequest, LearningRateResponse, learning_rate.schedule_descent,
                         "A schedule's learning rate per step, and x² descended with it and with a constant "
                         "rate."),)),
)

BY_NAME = {c.name: c for c in CONCEPTS}
