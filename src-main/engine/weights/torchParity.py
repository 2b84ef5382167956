"""CurveLab's mlp and basic-cnn-bn written in PyTorch (torchModels.py, beside this file),
loaded with CurveLab's exported safetensors through load_state_dict(strict=True), run in eval mode on
images CurveLab also ran, and compared with CurveLab's outputs.

Usage: python3 torchParity.py WEIGHTS INPUTS ARCH
  WEIGHTS  the exported .safetensors (read here with a few lines of numpy, as the format defines it)
  INPUTS   a .safetensors holding "x" (NHWC images, as CurveLab stores them) and "y" (CurveLab's outputs)
  ARCH     basic-cnn-bn, or mlp:W1,W2,... (hidden widths, ReLU)
Prints one JSON line {"maxAbsDiff", "scale", "outputs"} and exits 0.
"""
import json
import struct
import sys

import numpy as np
import torch

from torchModels import basic_cnn_bn, mlp


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
