"""PyTorch's SGD step times for CurveLab's presets, the reference beside `curvelab bench --torch`.

Usage: python3 torchBench.py CASES
  CASES  a JSON list of {"arch", "archOptions" (every option, defaults filled in), "batchSize",
         "inputShape" ([H, W, C] or [features]), "classes", "steps", "maxSeconds"}
Each case: the preset's PyTorch twin (src-main/engine/weights/torchModels.py) in training mode, one
synthetic batch resident on the device, torch.optim.SGD (lr 0.01, no momentum: CurveLab's sgd) on the
mean cross-entropy; 2 warm-up steps, then steps timed in rounds of up to 5 (one synchronize a round) until "steps" are
timed or "maxSeconds" have passed with at least 2 timed; the median round's time per step. On CUDA when torch.cuda.is_available(), else on the
CPU; float32 throughout (TF32 off, as CurveLab computes), cuDNN choosing its fastest convolutions.
Prints one JSON line per case, {"arch", "batchSize", "inputShape", "device", "deviceName", "torch",
"parameters", "msPerStep", "timedSteps"}, or {"arch", "batchSize", "inputShape", "skipped": why}; when
torch cannot be imported, the one line {"unavailable": why}. Exits 0.
"""
import json
import os
import platform
import statistics
import sys
import time

WARMUP_STEPS = 2
STEPS_PER_ROUND = 5


def main(cases_json):
    try:
        import torch
        import torch.nn.functional as F
    except ImportError as error:
        print(json.dumps({"unavailable": f"python3 {platform.python_version()} cannot import torch ({error})"}), flush=True)
        return
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "weights"))
    from torchModels import preset

    cuda = torch.cuda.is_available()
    device = torch.device("cuda" if cuda else "cpu")
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cudnn.benchmark = True
    about = {
        "device": device.type,
        "deviceName": torch.cuda.get_device_name(0) if cuda else f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} threads",
        "torch": torch.__version__,
    }

    def synchronize():
        if cuda:
            torch.cuda.synchronize()

    for case in json.loads(cases_json):
        echo = {key: case[key] for key in ("arch", "batchSize", "inputShape")}
        torch.manual_seed(0)
        net = preset(case["arch"], case["archOptions"], case["inputShape"], case["classes"])
        if net is None:
            print(json.dumps({**echo, "skipped": f"no twin of {case['arch']} on input {case['inputShape']}"}), flush=True)
            continue
        net = net.to(device).train()
        shape = case["inputShape"]
        # CurveLab's images are NHWC; PyTorch's NCHW.
        x = torch.randn([case["batchSize"], shape[2], shape[0], shape[1]] if len(shape) == 3 else [case["batchSize"], *shape], device=device)
        y = torch.randint(0, case["classes"], (case["batchSize"],), device=device)
        optimizer = torch.optim.SGD(net.parameters(), lr=0.01)

        def step():
            optimizer.zero_grad(set_to_none=True)
            F.cross_entropy(net(x), y).backward()
            optimizer.step()

        for _ in range(WARMUP_STEPS):
            step()
        synchronize()
        # Timed in rounds of a few steps with one synchronize each: a synchronize after every step would
        # stop PyTorch from queueing the next step's kernels while the GPU runs this one's.
        durations = []
        timed = 0
        started = time.perf_counter()
        while timed < case["steps"] and (timed < 2 or time.perf_counter() - started < case["maxSeconds"]):
            count = min(STEPS_PER_ROUND, case["steps"] - timed)
            begin = time.perf_counter()
            for _ in range(count):
                step()
            synchronize()
            durations.append((time.perf_counter() - begin) / count)
            timed += count
        parameters = sum(p.numel() for p in net.parameters())
        print(json.dumps({**echo, **about, "parameters": parameters, "msPerStep": 1000 * statistics.median(durations), "timedSteps": timed}), flush=True)
        del net, optimizer, x, y
        if cuda:
            torch.cuda.empty_cache()


if __name__ == "__main__":
    main(*sys.argv[1:])
