"""CurveLab's presets written in PyTorch (as src-main/engine/nn/presets.ts and resnet18.ts define them),
as module trees whose state_dict names are the ones `curvelab export-weights` writes: a model's `layers`
is an nn.Sequential, a residual block has `layers` and `shortcut` Sequentials.

Used by torchParity.py (exported weights in PyTorch) and src-main/engine/bench/torchBench.py (PyTorch's
step times beside CurveLab's).
"""
import math

import torch
import torch.nn.functional as F
from torch import nn


class TfSamePool(nn.Module):
    """TensorFlow's 'same' pooling: output ceil(n / stride), padding split with the extra at the end;
    max ignores the padding, average divides by the window's cells inside the image."""

    def __init__(self, kind, size, stride):
        super().__init__()
        self.kind, self.size, self.stride = kind, size, stride

    def forward(self, x):
        pads = []
        for n in (x.shape[3], x.shape[2]):  # F.pad lists the last axis first
            total = max((math.ceil(n / self.stride) - 1) * self.stride + self.size - n, 0)
            pads += [total // 2, total - total // 2]
        if self.kind == "max":
            return F.max_pool2d(F.pad(x, pads, value=float("-inf")), self.size, self.stride)
        cells = F.avg_pool2d(F.pad(torch.ones_like(x[:, :1]), pads), self.size, self.stride)
        return F.avg_pool2d(F.pad(x, pads), self.size, self.stride) / cells


class Net(nn.Module):
    def __init__(self, layers):
        super().__init__()
        self.layers = nn.Sequential(*layers)

    def forward(self, x):
        return self.layers(x)


class Residual(nn.Module):
    """y = layers(x) + shortcut(x), the shortcut the identity when it has no layers."""

    def __init__(self, layers, shortcut):
        super().__init__()
        self.layers = nn.Sequential(*layers)
        self.shortcut = nn.Sequential(*shortcut)

    def forward(self, x):
        return self.layers(x) + self.shortcut(x)


class GlobalAvgPool(nn.Module):
    def forward(self, x):
        return x.mean(dim=(2, 3))


ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}


def mlp(inputs, widths, classes, activation="relu"):
    layers, previous = [nn.Flatten()], inputs
    for width in widths:
        layers += [nn.Linear(previous, width), ACTIVATIONS[activation]()]
        previous = width
    return Net(layers + [nn.Linear(previous, classes)])


def small_cnn(channels, side, classes):
    for _ in range(2):
        side = math.ceil(side / 2)
    return Net(
        [nn.Conv2d(channels, 16, 3, padding=1), nn.ReLU(), TfSamePool("max", 2, 2)]
        + [nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), TfSamePool("max", 2, 2), nn.Flatten()]
        + [nn.Linear(32 * side * side, classes)]
    )


def basic_cnn_bn(channels, side, classes):
    # CurveLab's batch norm: running = 0.9 running + 0.1 batch (PyTorch's momentum 0.1), epsilon 1e-5.
    def normalised(layer, features, norm):
        return [layer, norm(features, eps=1e-5, momentum=0.1), nn.ReLU()]

    for _ in range(3):
        side = math.ceil(side / 2)
    return Net(
        normalised(nn.Conv2d(channels, 32, 5, padding=2), 32, nn.BatchNorm2d)
        + [TfSamePool("max", 3, 2)]
        + normalised(nn.Conv2d(32, 32, 5, padding=2), 32, nn.BatchNorm2d)
        + [TfSamePool("avg", 3, 2)]
        + normalised(nn.Conv2d(32, 64, 5, padding=2), 64, nn.BatchNorm2d)
        + [TfSamePool("avg", 3, 2), nn.Flatten()]
        + normalised(nn.Linear(64 * side * side, 64), 64, nn.BatchNorm1d)
        + [nn.Linear(64, classes)]
    )


def resnet18(channels, width, classes):
    """The CIFAR ResNet-18 of resnet18.ts. Its strided 3×3 convs pad one pixel on both sides where
    TensorFlow's 'same' pads one after the image: the same shapes, parameters and work, not the same
    outputs, so this twin times steps but does not check exported weights."""

    def conv(inputs, filters, size, stride):
        return nn.Conv2d(inputs, filters, size, stride=stride, padding=size // 2, bias=False)

    def block(inputs, filters, stride):
        body = [conv(inputs, filters, 3, stride), nn.BatchNorm2d(filters), nn.ReLU(), conv(filters, filters, 3, 1), nn.BatchNorm2d(filters)]
        projected = stride != 1 or inputs != filters
        shortcut = [conv(inputs, filters, 1, stride), nn.BatchNorm2d(filters)] if projected else []
        return [Residual(body, shortcut), nn.ReLU()]

    layers = [conv(channels, width, 3, 1), nn.BatchNorm2d(width), nn.ReLU()]
    inputs = width
    for stage, multiple in enumerate([1, 2, 4, 8]):
        filters = width * multiple
        layers += block(inputs, filters, 1 if stage == 0 else 2) + block(filters, filters, 1)
        inputs = filters
    return Net(layers + [GlobalAvgPool(), nn.Linear(inputs, classes)])


def preset(arch, options, input_shape, classes):
    """The PyTorch twin of a CurveLab preset, every option given (defaults filled in), for examples of
    shape input_shape ([H, W, C] or [features]); None for a preset with no twin here."""
    features = math.prod(input_shape)
    if arch == "mlp":
        return mlp(features, [int(w) for w in options["widths"].split(",")], classes, options["activation"])
    if len(input_shape) != 3 or input_shape[0] != input_shape[1]:
        return None  # the image presets here take square images
    side, _, channels = input_shape
    if arch == "small-cnn":
        return small_cnn(channels, side, classes)
    if arch == "basic-cnn-bn":
        return basic_cnn_bn(channels, side, classes)
    if arch == "resnet18":
        return resnet18(channels, int(options["width"]), classes)
    return None
