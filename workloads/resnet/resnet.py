#!/usr/bin/env python3
"""ResNet-50 inference with torchvision: the real AI workload that checks the study's claims.

Random weights (torch.manual_seed, weights=None: nothing is downloaded), a random input batch,
--iters timed forward passes on --device cpu|cuda. Phases are marked like the micro workloads
(write(-1, "sysaxis:phase:<name>")): init = CUDA bring-up (cuda), model construction, transfer to
the device and the first inference; work = the timed loop; teardown = freeing the model. Importing torch happens
before init (startup). The result uses the sysaxis.workload/1 schema with backend "torch",
exec = the device, bytes = the batch size. Output shape (batch, 1000) and finiteness are checked
after init and after the loop.

Exit status: 0 ok; 2 usage error; 3 check failed; 4 torch/torchvision or the CUDA device not
available; 5 out of memory; 6 other error. Errors are one line on stderr: "resnet: <message>".
"""
import argparse
import json
import os
import sys
import tempfile
import time

PROG = "resnet"
EXIT_OK, EXIT_USAGE, EXIT_VERIFY, EXIT_UNAVAILABLE, EXIT_NO_MEMORY, EXIT_RUNTIME = 0, 2, 3, 4, 5, 6


class Failure(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class Parser(argparse.ArgumentParser):
    def error(self, message):
        sys.stderr.write(f"{PROG}: {message} (see --help)\n")
        sys.exit(EXIT_USAGE)


def positive(limit):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < 1 or value > limit:
            raise argparse.ArgumentTypeError(f"{value} is outside 1..{limit}")
        return value
    return parse


def mark(phase):
    """The marker protocol: one failing write(-1, ...) that the tracers recognise."""
    try:
        os.write(-1, b"sysaxis:phase:" + phase.encode())
    except OSError:
        pass


def write_atomic(path, text):
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", dir=directory)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "cpu"


def is_oom(error):
    return "out of memory" in str(error).lower() or type(error).__name__ == "OutOfMemoryError"


def check_output(torch, y, batch, when):
    if tuple(y.shape) != (batch, 1000):
        raise Failure(EXIT_VERIFY, f"{when}: output shape {tuple(y.shape)}, expected ({batch}, 1000)")
    if not bool(torch.isfinite(y).all()):
        raise Failure(EXIT_VERIFY, f"{when}: output has non-finite values")


def run(args, result, phases):
    try:
        import torch
        import torchvision
    except Exception as e:  # ImportError, or a broken installation
        raise Failure(EXIT_UNAVAILABLE, f"torch/torchvision not importable: {e}".replace("\n", " ")) from None
    result["runtime_version"] = torch.__version__
    result["torch_version"] = torch.__version__
    result["torchvision_version"] = torchvision.__version__
    result["cuda_version"] = torch.version.cuda
    result["threads"] = torch.get_num_threads()
    if args.device == "cpu":
        result["platform"] = "cpu"
        result["device"] = cpu_name()
    device = torch.device(args.device)

    def sync():
        if args.device == "cuda":
            torch.cuda.synchronize()

    clock = time.monotonic_ns
    mark("init")
    phases.append(("init", clock()))
    if args.device == "cuda":  # CUDA bring-up (driver load, cuInit) belongs to init
        if not torch.cuda.is_available():
            raise Failure(EXIT_UNAVAILABLE, "no CUDA device (torch.cuda.is_available() is False)")
        result["platform"] = "NVIDIA CUDA"
        result["cudnn_version"] = torch.backends.cudnn.version()
    torch.manual_seed(args.seed)
    try:
        model = torchvision.models.resnet50(weights=None)
    except TypeError:  # torchvision < 0.13
        model = torchvision.models.resnet50(pretrained=False)
    model = model.eval().to(device)
    if args.device == "cuda":
        result["device"] = torch.cuda.get_device_name(device)
    x = torch.randn(args.batch, 3, args.image_size, args.image_size, device=device)
    with torch.inference_mode():
        y = model(x)
        sync()
    check_output(torch, y, args.batch, "first inference")

    mark("work")
    phases.append(("work", clock()))
    with torch.inference_mode():
        for _ in range(args.iters):
            y = model(x)
            sync()

    mark("teardown")
    phases.append(("teardown", clock()))
    check_output(torch, y, args.batch, "last inference")
    result["verified"] = True
    del model, x, y
    if args.device == "cuda":
        torch.cuda.empty_cache()


def main(argv):
    parser = Parser(prog="resnet.py", description=__doc__.split("\n\n")[0],
                    epilog="Exit status: 0 ok; 2 usage; 3 check failed; 4 torch or device not available; "
                           "5 out of memory; 6 other error.")
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu", help="torch device (default cpu)")
    parser.add_argument("--batch", type=positive(4096), default=1, help="images per inference (default 1)")
    parser.add_argument("--iters", type=positive(1_000_000), default=10,
                        help="timed inferences in the work phase (default 10)")
    parser.add_argument("--image-size", type=positive(1024), default=224,
                        help="input height and width in pixels, >= 32 (default 224)")
    parser.add_argument("--seed", type=int, default=0, help="torch.manual_seed (default 0)")
    parser.add_argument("--json", metavar="FILE", help="write the result there (default: one JSON line on stdout)")
    args = parser.parse_args(argv)
    if args.image_size < 32:
        parser.error("--image-size must be at least 32 (ResNet-50 downsamples 32x)")

    result = {
        "schema": "sysaxis.workload/1", "workload": "resnet", "backend": "torch", "platform": None,
        "device": None, "runtime_version": None, "driver_version": None, "exec": args.device,
        "bytes": args.batch, "iters": args.iters, "alloc_op": "free", "sync": "each", "threads": 1,
        "warmup": 1, "phases_ns": {"init": None, "work": None, "teardown": None}, "verified": False,
        "status": "ok", "error": None, "model": "resnet50", "batch": args.batch,
        "image_size": args.image_size, "seed": args.seed,
    }
    phases = []
    code = EXIT_OK
    try:
        run(args, result, phases)
    except Failure as e:
        code, result["error"] = e.code, str(e)
    except MemoryError:
        code, result["error"] = EXIT_NO_MEMORY, "out of host memory"
    except Exception as e:  # torch raises RuntimeError (and OutOfMemoryError) for device failures
        code = EXIT_NO_MEMORY if is_oom(e) else EXIT_RUNTIME
        result["error"] = f"{type(e).__name__}: {e}".replace("\n", " ")[:500]
    end = time.monotonic_ns()
    for i, (name, start) in enumerate(phases):
        result["phases_ns"][name] = (phases[i + 1][1] if i + 1 < len(phases) else end) - start
    if code != EXIT_OK:
        result["verified"] = False
        result["status"] = "verify_failed" if code == EXIT_VERIFY else "error"
        sys.stderr.write(f"{PROG}: {result['error']}\n")
    text = json.dumps(result, separators=(",", ":")) + "\n"
    try:
        if args.json:
            write_atomic(args.json, text)
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
    except OSError as e:
        sys.stderr.write(f"{PROG}: cannot write the result: {e}\n")
        return code or EXIT_RUNTIME
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
