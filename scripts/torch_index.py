"""Print pip's options for PyTorch's CPU wheels, or nothing where they do not apply.

On Linux, ``torch`` from the default index is the CUDA build, several GB of GPU
libraries the course never uses; PyTorch's own CPU index serves the same version at
about 200 MB. The Makefile adds this script's output to ``pip install``:

    --extra-index-url https://download.pytorch.org/whl/cpu

only on Linux and only if that index answers within a few seconds, so an install
without network to it (a closed network, a mirror, this project's CI machine, which
has its own CPU wheel) neither hangs on pip's retries nor fails.
Set ``NNBASICS_TORCH_INDEX`` to another index (or to ``none``) to override.
"""

from __future__ import annotations

import os
import platform
import sys
import urllib.request

CPU_INDEX = "https://download.pytorch.org/whl/cpu"
TIMEOUT_S = 4


def reachable(url: str, timeout: float = TIMEOUT_S) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/torch/", timeout=timeout) as response:
            return response.status == 200
    except Exception:  # no network, DNS failure, proxy refusal, timeout: all mean "no"
        return False


def pip_options() -> str:
    override = os.environ.get("NNBASICS_TORCH_INDEX")
    if override is not None:
        return "" if override in ("", "none") else f"--extra-index-url {override}"
    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "AMD64"):
        return ""  # macOS, Windows and ARM Linux get CPU wheels from PyPI already
    return f"--extra-index-url {CPU_INDEX}" if reachable(CPU_INDEX) else ""


if __name__ == "__main__":
    options = pip_options()
    print(options)
    print(f"torch index: {options or 'the default index only'}", file=sys.stderr)
