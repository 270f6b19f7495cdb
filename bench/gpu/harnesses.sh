#!/usr/bin/env bash
# Side by side on one H200, one sitting: the official v2 harness (ai_energy_benchmarks, run by
# `python -m runner run --harness aies-v2`), this runner's eager generate loop and its CUDA-graph decode,
# on random-weight gpt2 and Llama-3.2-1B architectures, 100 prompts of ~370 tokens, 10 new tokens,
# batch 1, 3 runs each. Usage there, from the repository root:
#   bash bench/gpu/harnesses.sh JOB...     JOB = official|eager|graph:MODEL:RUN, profile:MODEL or
#   breakdown:MODEL (profile: cProfile of a 30-prompt official run; breakdown: profile_official.py's
#   timing of the harness's parts; both after an official job of that MODEL in the same call)
# The official harness's packages come as wheels in .whl/ (bench/gpu/README.md). Writes
# $OUT/harnesses-<first job>.tar.gz (run folders without the model weights, logs, commands) after
# every job, so a call cut by its time limit still returns what it finished.
set -uo pipefail
out="${OUT:-/tmp/out}"
work=/tmp/harnesses
mkdir -p "$work/runs" "$out"
if ls .whl/*.whl >/dev/null 2>&1 && [ ! -d /tmp/site ]; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl
fi
[ -d /tmp/site ] && export PYTHONPATH=/tmp/site
export PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
N=100
tag="${1//:/-}"
pack() { tar -C "$work" --exclude='*.inputs' --exclude='*.zip' -czf "$out/harnesses-$tag.tar.gz" . ; }
nvidia-smi --query-gpu=index,name,driver_version,power.limit,clocks.sm,temperature.gpu --format=csv \
  > "$work/nvidia-smi.txt" 2>&1
models=/tmp/harness-models
for job in "$@"; do
  IFS=: read -r kind model run <<< "$job"
  name="$kind-$model-${run:-1}"
  case "$kind" in
    official)
      # Random weights and the word-level tokenizer are built once per model and reused by later runs.
      if [ -d "$models/$model" ]; then src=(--model "$models/$model"); else src=(--model "$model" --no-weights); fi
      args=(--harness aies-v2 --task text_generation "${src[@]}" --num-samples "$N") ;;
    eager) args=(--task text_generation --model "$model" --no-weights --num-samples "$N" --offline
                 --repeats 2 --min-window-s 5 --idle-s 2) ;;
    graph) args=(--task text_generation --model "$model" --no-weights --num-samples "$N" --offline
                 --repeats 2 --min-window-s 5 --idle-s 2 --decode-mode graph) ;;
    breakdown)
      name="breakdown-$model"
      echo "=== $name: python3 bench/gpu/profile_official.py $models/$model runs/official-$model-1.inputs/prompts/train.jsonl 40" >> "$work/commands.txt"
      OUT="$work/$name" python3 bench/gpu/profile_official.py "$models/$model" \
        "$work/runs/official-$model-1.inputs/prompts/train.jsonl" 40 > "$work/$name.txt" 2>&1
      echo "--- $name exit $?"; tail -n 12 "$work/$name.txt"; pack; continue ;;
    profile)
      name="profile-$model"
      args=(--harness aies-v2 --task text_generation --model "$models/$model" --num-samples 30) ;;
    *) echo "unknown job $job"; continue ;;
  esac
  echo "=== $name: python3 -m runner run ${args[*]} --out runs/$name" >> "$work/commands.txt"
  start=$(date +%s)
  if [ "$kind" = profile ]; then
    python3 -m cProfile -o "$work/$name.pstats" -m runner run "${args[@]}" --out "$work/runs/$name" \
      > "$work/$name.log" 2>&1
    python3 -c "import pstats,sys; p=pstats.Stats('$work/$name.pstats'); p.sort_stats('cumulative').print_stats(45)" \
      > "$work/$name-cumulative.txt" 2>&1
    python3 -c "import pstats,sys; p=pstats.Stats('$work/$name.pstats'); p.sort_stats('tottime').print_stats(30)" \
      > "$work/$name-tottime.txt" 2>&1
  else
    python3 -m runner run "${args[@]}" --out "$work/runs/$name" > "$work/$name.log" 2>&1
  fi
  code=$?
  echo "--- $name exit $code in $(( $(date +%s) - start )) s"
  grep -E "^(total|GPU energy|decode|prefill|idle|error)" "$work/$name.log" | head -6
  [ "$code" = 0 ] || tail -n 5 "$work/$name.log"
  if [ "$kind" = official ] && [ ! -d "$models/$model" ] && [ -d "$work/runs/$name.inputs/model" ]; then
    mkdir -p "$models" && mv "$work/runs/$name.inputs/model" "$models/$model"
  fi
  pack
done
