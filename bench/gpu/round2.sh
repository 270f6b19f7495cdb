#!/usr/bin/env bash
# Second round of H200 measurements (repeatable decode, image generation, a 70 B model on two GPUs,
# batch sizes). Usage there, from the repository root:
#   bash bench/gpu/round2.sh PART
#     a   (nvidia-h200-x2) graph check; GPU 0: graph-mode gpt2, llama-1b, llama-8b; at the same time
#         GPU 1: generate-mode gpt2, bert-base, vit-base
#     b   (nvidia-h200-x2) llama-70b over both GPUs; then GPU 0: sd15 image generation, at the same
#         time GPU 1: generate-mode llama-1b, gpt2 at batch 8 and 32
#     c   (nvidia-h200, another machine) graph-mode gpt2, llama-1b, llama-8b, one at a time
# Writes $OUT/round2-PART.tar.gz (run folders, logs, commands) after every run. diffusers and
# importlib_metadata come as wheels in .whl/ (bench/gpu/README.md).
set -uo pipefail
part="$1"
out="${OUT:-/tmp/out}"
work=/tmp/round2
mkdir -p "$work/runs" "$out"
if ls .whl/*.whl >/dev/null 2>&1; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl \
    && export PYTHONPATH=/tmp/site
fi
export PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
export NCCL_NVLS_ENABLE=0 TORCH_SYMM_MEM_DISABLE_MULTICAST=1 NVSHMEM_DISABLE_NVLS=1
COMMON=(--repeats 3 --min-window-s 10 --idle-s 3 --offline)
pack() { flock "$work/.lock" tar -C "$work" --exclude=.lock -czf "$out/round2-$part.tar.gz" . ; }
run() {  # GPUS NAME runner-arguments...
  local gpus="$1" name="$2"; shift 2
  echo "=== $name (CUDA_VISIBLE_DEVICES=$gpus): python3 -m runner run $* ${COMMON[*]} --out runs/$name --zip" \
    >> "$work/commands.txt"
  CUDA_VISIBLE_DEVICES="$gpus" python3 -m runner run "$@" "${COMMON[@]}" --out "$work/runs/$name" --zip \
    > "$work/$name.log" 2>&1
  echo "--- $name exit $?"; grep -E "^(total|phase|decode|prefill|forward|call|preprocess|idle)" "$work/$name.log"
  tail -n 3 "$work/$name.log" | grep -i error
  pack
}
nvidia-smi --query-gpu=index,name,driver_version,power.limit,clocks.sm,temperature.gpu --format=csv \
  | tee "$work/nvidia-smi-$part.txt"
hostname > "$work/host-$part.txt"; nproc >> "$work/host-$part.txt"
case "$part" in
  a)
    python3 bench/gpu/graph_check.py 2>&1 | tee "$work/graph-check.txt"
    (
      run 0 tg-gpt2-graph --task text_generation --model gpt2 --no-weights --num-samples 200 --decode-mode graph
      run 0 tg-llama-1b-graph --task text_generation --model llama-1b --no-weights --num-samples 200 --decode-mode graph
      run 0 tg-llama-8b-graph --task text_generation --model llama-8b --no-weights --num-samples 200 --decode-mode graph
    ) &
    (
      run 1 tg-gpt2 --task text_generation --model gpt2 --no-weights --num-samples 200
      run 1 tc-bert-base --task text_classification --model bert-base --no-weights --num-samples 1000
      run 1 ic-vit-base --task image_classification --model vit-base --no-weights --num-samples 1000
    ) &
    wait ;;
  b)
    run 0,1 tg-llama-70b-2gpu --task text_generation --model llama-70b --no-weights --num-samples 20 --gpus 2
    (
      run 0 ig-sd15 --task image_generation --model sd15 --no-weights --num-samples 10
    ) &
    (
      run 1 tg-llama-1b --task text_generation --model llama-1b --no-weights --num-samples 200
      run 1 tg-gpt2-batch8 --task text_generation --model gpt2 --no-weights --num-samples 200 --batch-size 8
      run 1 tg-gpt2-batch32 --task text_generation --model gpt2 --no-weights --num-samples 192 --batch-size 32
    ) &
    wait ;;
  c)
    run 0 tg-gpt2-graph --task text_generation --model gpt2 --no-weights --num-samples 200 --decode-mode graph
    run 0 tg-llama-1b-graph --task text_generation --model llama-1b --no-weights --num-samples 200 --decode-mode graph
    run 0 tg-llama-8b-graph --task text_generation --model llama-8b --no-weights --num-samples 200 --decode-mode graph ;;
esac
pack
