"""CurveLab's mlp and basic-cnn-bn written in PyTorch (as src-main/engine/nn/presets.ts defines them),
loaded with CurveLab's exported safetensors through load_state_dict(strict=True), run in eval mode on
images CurveLab also ran, and compared with CurveLab's outputs.

Usage: python3 torchParity.py WEIGHTS INPUTS ARCH
  WEIGHTS  the exported .safetensors (read here with a few lines of numpy, as the format defines it)
  INPUTS   a .safetensors holding "x" (NHWC images, as CurveLab stores them) and "y" (CurveLab's outputs)
  ARCH     basic-cnn-bn, or mlp:W1,W2,... (hidden widths, ReLU)
Prints one JSON line {"maxAbsDiff", "scale", "outputs"} and exits 0.
"""
import json
import math
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


def read_safetensors(path):
    """8-byte little-endian header length, the JSON header, then row-major little-endian tensors."""
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    header.pop("__metadata__", None)
    tensors = {}
    for name, entry in header.items():
        assert entry["dtype"] == "F32", entry
        begin, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(data[8 + length + begin : 8 + length + end], dtype="<f4").reshape(entry["shape"]).copy()
    return tensors


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


def mlp(inputs, widths, classes):
    layers, previous = [nn.Flatten()], inputs
    for width in widths:
        layers += [nn.Linear(previous, width), nn.ReLU()]
        previous = width
    return Net(layers + [nn.Linear(previous, classes)])


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


def main(weights_path, inputs_path, arch):
    inputs = read_safetensors(inputs_path)
    x = torch.from_numpy(inputs["x"]).permute(0, 3, 1, 2)  # NHWC → NCHW
    expected = inputs["y"]
    _, channels, height, width = x.shape
    classes = expected.shape[1]
    if arch == "basic-cnn-bn":
        net = basic_cnn_bn(channels, height, classes)
    else:
        net = mlp(channels * height * width, [int(w) for w in arch.split(":")[1].split(",")], classes)
    state = {name: torch.from_numpy(t) for name, t in read_safetensors(weights_path).items()}
    net.load_state_dict(state, strict=True)
    net.eval()
    with torch.no_grad():
        outputs = net(x).numpy()
    print(json.dumps({"maxAbsDiff": float(np.abs(outputs - expected).max()), "scale": float(np.abs(expected).max()), "outputs": list(outputs.shape)}))


if __name__ == "__main__":
    main(*sys.argv[1:])
