#!/usr/bin/env bash
# Real measurements on the NVIDIA H200 machine. Usage there (from the repository root):
#   bash bench/gpu/h200_runs.sh PART        PART = 1 or 2 (each fits one 10-minute call)
# Writes $OUT/results-PART.tar.gz (run folders + logs). CodeCarbon and its dependencies come as
# wheels in .whl/ (see bench/gpu/README.md).
set -uo pipefail
part="$1"
out="${OUT:-/tmp/out}"
work=/tmp/h200-runs
mkdir -p "$work" "$out"
if ls .whl/*.whl >/dev/null 2>&1; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl \
    && export PYTHONPATH=/tmp/site
fi
export PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
run() {  # name, then runner arguments
  local name="$1"; shift
  echo "=== $name: python3 -m runner run $* --out runs/$name --zip" | tee -a "$work/commands.txt"
  python3 -m runner run "$@" --repeats 3 --min-window-s 10 --idle-s 3 --offline --reference codecarbon \
    --out "$work/runs/$name" --zip 2>&1 | grep -v "^\[..:..:..\] repeat" | tee "$work/$name.log"
  tar -C "$work" -czf "$out/results-$part.tar.gz" .     # after every run: partial results survive a timeout
}
nvidia-smi --query-gpu=name,driver_version,power.limit,clocks.sm,temperature.gpu --format=csv | tee "$work/nvidia-smi-$part.txt"
if [ "$part" = 1 ]; then
  python3 -m runner check-env --idle-s 5 2>&1 | tee "$work/check-env.txt"
  run tg-llama-8b --task text_generation --model llama-8b --no-weights --num-samples 200
  run ic-vit-base --task image_classification --model vit-base --no-weights --num-samples 1000
else
  run tg-gpt2 --task text_generation --model gpt2 --no-weights --num-samples 200
  run tg-llama-1b --task text_generation --model llama-1b --no-weights --num-samples 200
  run tc-bert-base --task text_classification --model bert-base --no-weights --num-samples 1000
fi
tar -C "$work" -czf "$out/results-$part.tar.gz" .
