# Shared by scripts/app and scripts/test (sourced, from the repository root): the Python
# environment, system packages and the CPU build of torch.
#
#   use_venv              sets PY: the active virtual environment's python ($VIRTUAL_ENV), else
#                         .venv's, made here with the newest python3.X (3.11 or newer) on PATH
#   pip_install ARGS      pip install into it
#   apt_install PKG WHY   Debian's/Ubuntu's package PKG: installed as root, else a one-line error
#   need_cairo            labels draw with the cairo library (libcairo2)
#   need_slurm            Slurm's daemons and clients and munge (Debian's slurm-wlm, munge), for the campaign test
#   install_torch_cpu     the CPU build of the pinned torch, from the index in AIES_TORCH_INDEX

MIN_PYTHON=3.11
TORCH_CPU_INDEX=https://download.pytorch.org/whl/cpu

python_ok() {  # python_ok EXE: the interpreter runs and is 3.11 or newer
  "$1" -c "import sys; sys.exit(sys.version_info < (${MIN_PYTHON/./, }))" >/dev/null 2>&1
}

apt_install() {  # apt_install PACKAGE WHAT-FOR
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "== install: $1 (for $2)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
  elif command -v apt-get >/dev/null 2>&1; then
    echo "error: $2 needs the system package $1: sudo apt-get install $1" >&2
    return 1
  else
    echo "error: $2 needs the system package $1 (Debian/Ubuntu name; install its equivalent)" >&2
    return 1
  fi
}

use_venv() {
  if [ -n "${VIRTUAL_ENV:-}" ] && python_ok "$VIRTUAL_ENV/bin/python"; then
    PY="$VIRTUAL_ENV/bin/python"
    return 0
  fi
  PY=.venv/bin/python
  # A .venv that runs but has no pip (a failed `venv` without ensurepip) is made again.
  if python_ok "$PY" && "$PY" -m pip --version >/dev/null 2>&1; then return 0; fi
  local base="" candidate
  for candidate in python3.14 python3.13 python3.12 python3.11 python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then base=$candidate; break; fi
  done
  if [ -z "$base" ]; then
    echo "error: needs Python $MIN_PYTHON or newer on PATH (Debian/Ubuntu: sudo apt-get install python3)" >&2
    return 1
  fi
  echo "== virtual environment: .venv ($("$base" --version 2>&1))"
  rm -rf .venv
  if ! "$base" -m venv .venv >/dev/null 2>&1; then
    # Debian and Ubuntu ship venv's pip bootstrap (ensurepip) in a package of its own.
    rm -rf .venv
    local version
    version=$("$base" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    apt_install "python$version-venv" "a virtual environment" || return 1
    "$base" -m venv .venv || return 1
  fi
}

pip_install() { "$PY" -m pip install --quiet --disable-pip-version-check "$@"; }

need_cairo() {  # need_cairo WHAT-FOR
  "$PY" -c "import cairocffi" >/dev/null 2>&1 || apt_install libcairo2 "$1"
}

need_slurm() {  # need_slurm WHAT-FOR
  command -v slurmctld >/dev/null 2>&1 && command -v sbatch >/dev/null 2>&1 || apt_install slurm-wlm "$1" || return 1
  command -v munged >/dev/null 2>&1 || apt_install munge "$1"
}

index_answers() {  # index_answers URL: the package index answers within 5 s
  "$PY" - "$1" <<'EOF' >/dev/null 2>&1
import sys
import urllib.request

urllib.request.urlopen(sys.argv[1], timeout=5).close()
EOF
}

install_torch_cpu() {
  # PyPI's torch for Linux is the CUDA build (with NVIDIA's CUDA libraries, gigabytes); the
  # runner's CPU tests need the CPU build, from PyTorch's CPU index. Where that index does not
  # answer within 5 s (offline mirrors, a proxy), or AIES_TORCH_INDEX is empty, pip's configured
  # index is used, and the message says what that means.
  local torch index
  torch=$(grep -E '^torch==' requirements-runner.txt)
  if "$PY" -c "import importlib.metadata as m, sys; sys.exit(m.version('torch').split('+')[0] != '${torch#torch==}')" \
    >/dev/null 2>&1; then
    return 0
  fi
  index=${AIES_TORCH_INDEX-$TORCH_CPU_INDEX}
  if [ -n "$index" ] && index_answers "$index/torch/"; then
    echo "== install: $torch, the CPU build, from $index"
    # Without its dependencies: those come from pip's own index with requirements-runner.txt.
    pip_install --index-url "$index" --no-deps "$torch"
  else
    echo "== install: $torch from pip's configured index (${index:-AIES_TORCH_INDEX is empty}${index:+ does not answer})"
    echo "   on Linux, PyPI's torch is the CUDA build, gigabytes larger than the CPU build"
    pip_install "$torch"
  fi
}
