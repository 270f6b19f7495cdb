#!/usr/bin/env bash
# Third round, on the board's own hardware (NVIDIA H100): the runner with its validity gates, settling and
# UUID-matched meter. Usage there, from the repository root:
#   bash bench/gpu/round3.sh cross MACHINE   the cross-machine set (gpt2 and Llama-3.2-1B shapes in graph
#                                            decode, ViT-base, BERT-base), one at a time
#   bash bench/gpu/round3.sh repro           the February 2025 H100 reproduction in generate mode (gpt2,
#                                            bart-large-cnn, whisper-small, with whisper's generated
#                                            length as a controlled change; ViT-base comes from cross)
# Every run writes its folder and log; $OUT/round3-<part>[-MACHINE].tar.gz is rewritten after each run,
# so what finished comes back even if the call is cut short.
set -uo pipefail
part="$1"
machine="${2:-a}"
out="${OUT:-/tmp/out}"
work=/tmp/round3
mkdir -p "$work/runs" "$out"
export PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
COMMON=(--repeats 2 --min-window-s 20 --settle-max-s 10 --idle-s 3 --offline)
name_of() { echo "round3-$part$([ "$part" = cross ] && echo "-$machine")"; }
pack() { tar -C "$work" -czf "$out/$(name_of).tar.gz" . ; }
run() {  # NAME runner-arguments...
  local name="$1"; shift
  echo "=== $name: python3 -m runner run $* ${COMMON[*]} --out runs/$name --zip" >> "$work/commands.txt"
  python3 -m runner run "$@" "${COMMON[@]}" --out "$work/runs/$name" --zip > "$work/$name.log" 2>&1
  echo "--- $name exit $?"
  grep -E "^(total|prefill|decode|forward|preprocess|idle|validity|settling)" "$work/$name.log"
  tail -n 2 "$work/$name.log" | grep -i error
  pack
}
nvidia-smi --query-gpu=index,name,uuid,driver_version,power.limit,clocks.sm,temperature.gpu --format=csv \
  | tee "$work/nvidia-smi-$part-$machine.txt"
{ hostname; nproc; python3 -c 'import torch, transformers; print(torch.__version__, transformers.__version__)'; } \
  > "$work/host-$part-$machine.txt"
python3 -m runner check-env --idle-s 3 2>&1 | tee "$work/check-env-$part-$machine.txt"
# A smoke run first: a failure here costs seconds, not the call.
if ! python3 -m runner run --task text_generation --model tiny-gpt2 --no-weights --num-samples 4 --repeats 1 \
    --min-window-s 1 --settle-max-s 2 --idle-s 1 --offline --out "$work/runs/smoke" > "$work/smoke.log" 2>&1; then
  tail -n 30 "$work/smoke.log"; pack; exit 3
fi
grep -E "^(total|validity|settling)" "$work/smoke.log"
case "$part" in
  cross)
    run tg-gpt2-graph --task text_generation --model gpt2 --no-weights --num-samples 200 --decode-mode graph
    run tg-llama-1b-graph --task text_generation --model llama-1b --no-weights --num-samples 200 --decode-mode graph
    run ic-vit-base --task image_classification --model vit-base --no-weights --num-samples 1000
    run tc-bert-base --task text_classification --model bert-base --no-weights --num-samples 1000 ;;
  repro)
    run tg-gpt2 --task text_generation --model gpt2 --no-weights --num-samples 200
    run su-bart-large --task summarization --model bart-large --no-weights --num-samples 200
    run asr-whisper-small --task asr --model whisper-small --no-weights --num-samples 200
    run asr-whisper-small-40 --task asr --model whisper-small --no-weights --num-samples 200 --new-tokens 40 ;;
esac
pack
