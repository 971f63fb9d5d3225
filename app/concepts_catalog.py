"""The concept labs in the order a learner meets them, with their titles in English and 简体中文.

Pages, the index and the API router all read this list, so a new lab is one entry here plus its
engine module, schema, route, template and script.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Concept:
    name: str  # URL slug: /concepts/<name>, POST /api/concepts/<name>
    title_en: str
    title_zh: str
    summary_en: str
    summary_zh: str


CONCEPTS: tuple[Concept, ...] = (
    Concept("softmax", "Softmax", "Softmax 函数", "Turn logits into probabilities.", "把 logits 变成概率。"),
    Concept("activations", "Activation functions", "激活函数", "Non-linearities and their derivatives.",
            "非线性函数及其导数。"),
    Concept("metrics", "Metrics", "评估指标", "Accuracy, precision, recall, F1, AUC, regression errors.",
            "准确率、精确率、召回率、F1、AUC 与回归误差。"),
    Concept("losses", "Loss functions", "损失函数", "How wrong a prediction is, in many ways.",
            "衡量预测有多“错”的各种方法。"),
    Concept("dense", "Dense layers", "全连接层 (Dense)", "x · W + b, then an activation.",
            "x · W + b，再经过激活函数。"),
    Concept("cross-entropy", "Cross entropy", "交叉熵", "Step by step, and with Keras.",
            "逐步手算，并与 Keras 对照。"),
    Concept("forward", "Forward propagation", "前向传播", "Values flowing through a network, layer by layer.",
            "数值逐层流过网络。"),
    Concept("backprop", "Backpropagation", "反向传播", "The chain rule, neuron by neuron.",
            "链式法则，逐个神经元。"),
    Concept("gradient-descent", "Gradient descent", "梯度下降", "Walking downhill, and how step size matters.",
            "沿着下坡走，步长为何重要。"),
    Concept("learning-rate", "Learning rate and schedules", "学习率与学习率衰减",
            "Too small, too big, and decaying over time.", "太小、太大，以及随时间衰减。"),
)

BY_NAME = {c.name: c for c in CONCEPTS}
