"""The benchmark runner on the CPU (needs torch and transformers: the runner's own test step):
the whole protocol on tiny random-weight models with a fake meter, for every task family, and
model folders with weights and a local copy of the official dataset."""

import json
import subprocess
import sys

import pytest

from leaderboard.submissions import check_zip
from tests.conftest import ROOT

pytestmark = pytest.mark.runner


def runner(*args, timeout=300):
    return subprocess.run(
        [sys.executable, "-m", "runner", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


@pytest.mark.parametrize(
    "task, model, phases",
    [
        ("text_generation", "tiny-gpt2", {"preprocess", "prefill", "decode"}),  # generative text
        ("summarization", "tiny-bart", {"preprocess", "prefill", "decode"}),  # encoder-decoder text
        ("text_classification", "tiny-bert", {"preprocess", "forward"}),  # forward-only text
        ("image_classification", "tiny-vit", {"preprocess", "forward"}),  # vision
        ("object_detection", "tiny-detr", {"preprocess", "forward"}),
        ("asr", "tiny-whisper", {"preprocess", "prefill", "decode"}),  # audio
        ("image_captioning", "tiny-vit-gpt2", {"preprocess", "prefill", "decode"}),  # vision to text
    ],
)
def test_every_task_family_runs_and_its_zip_passes_the_checker(tmp_path, task, model, phases):
    out = tmp_path / "run"
    proc = runner(
        "run",
        "--task",
        task,
        "--model",
        model,
        "--no-weights",
        "--num-samples",
        "4",
        "--repeats",
        "3",
        "--min-window-s",
        "0.02",
        "--idle-s",
        "0.02",
        "--cpu",
        "--fake-meter",
        "--out",
        str(out),
        "--zip",
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads((out / "energy_score_summary.json").read_text())
    assert set(summary["phases"]) == phases
    assert summary["num_queries"] == 4 and summary["repeats"] == 3
    assert all(len(p["values_wh_per_1k"]) == 3 for p in summary["phases"].values())
    assert summary["inputs"]["source"] == "offline"
    assert set(summary["files_sha256"]) == {"benchmark_config.json", "benchmark_report.json"}
    report = json.loads((out / "benchmark_report.json").read_text())
    assert all(v["energy"]["unit"] == "kWh" and v["energy"]["gpu"] > 0 for v in report.values())
    checked = check_zip((tmp_path / "run.zip").read_bytes())
    assert checked.valid, checked.failures
    assert checked.parsed.gpu_energy_wh_per_1k == pytest.approx(summary["total_gpu_energy_wh_per_1k"])


def test_no_gpu_is_a_clear_non_zero_exit():
    proc = runner("check-env")
    assert proc.returncode == 2 and "NVIDIA" in proc.stderr
    proc = runner("run", "--task", "asr", "--model", "tiny-whisper", "--no-weights")
    assert proc.returncode == 2 and "No CUDA GPU" in proc.stderr


def test_unsupported_inputs_are_named():
    proc = runner("run", "--task", "image_generation", "--model", "x", "--cpu", "--fake-meter")
    assert proc.returncode == 2 and "diffusers" in proc.stderr
    proc = runner("run", "--task", "asr", "--model", "tiny-whisper", "--cpu", "--fake-meter")
    assert proc.returncode == 2 and "--no-weights" in proc.stderr


@pytest.fixture
def local_model_and_dataset(tmp_path):
    """A model folder with real (saved) weights and a tokenizer, and a dataset folder standing in
    for the official Hub dataset."""
    import pandas as pd
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import AutoConfig, AutoModelForCausalLM, PreTrainedTokenizerFast

    model_dir, data_dir = tmp_path / "model", tmp_path / "dataset"
    vocab = {"[UNK]": 0, **{w: i + 1 for i, w in enumerate("the a energy model query of gpu and to is".split())}}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    PreTrainedTokenizerFast(tokenizer_object=tokenizer, unk_token="[UNK]").save_pretrained(model_dir)
    config = AutoConfig.for_model(**json.loads((ROOT / "runner/configs/tiny-gpt2.json").read_text()))
    AutoModelForCausalLM.from_config(config).save_pretrained(model_dir)
    data_dir.mkdir()
    pd.DataFrame({"text": ["the energy of a gpu query is " * (i % 5 + 1) for i in range(8)]}).to_parquet(
        data_dir / "train.parquet"
    )
    return model_dir, data_dir


def test_model_with_weights_from_a_folder_and_the_official_dataset(tmp_path, local_model_and_dataset):
    model_dir, data_dir = local_model_and_dataset
    out = tmp_path / "run"
    proc = runner(
        "run",
        "--task",
        "text_generation",
        "--model",
        str(model_dir),
        "--num-samples",
        "6",
        "--repeats",
        "2",
        "--min-window-s",
        "0.01",
        "--idle-s",
        "0.01",
        "--cpu",
        "--fake-meter",
        "--dataset-path",
        str(data_dir),
        "--out",
        str(out),
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    inputs = json.loads((out / "energy_score_summary.json").read_text())["inputs"]
    assert inputs["source"] == "official dataset" and "first 6 queries" in inputs["description"]
    assert inputs["mean_input_tokens"] == pytest.approx(sum(7 * (i % 5 + 1) for i in range(6)) / 6)


def test_unreachable_official_dataset_falls_back_and_says_why(tmp_path, local_model_and_dataset):
    model_dir, _ = local_model_and_dataset
    out = tmp_path / "run"
    proc = runner(
        "run",
        "--task",
        "text_generation",
        "--model",
        str(model_dir),
        "--num-samples",
        "4",
        "--repeats",
        "2",
        "--min-window-s",
        "0.01",
        "--idle-s",
        "0.01",
        "--cpu",
        "--fake-meter",
        "--out",
        str(out),
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    inputs = json.loads((out / "energy_score_summary.json").read_text())["inputs"]
    assert inputs["source"] == "offline" and "official dataset not used" in inputs["description"]


def test_a_shipped_architecture_records_the_hub_id_it_mirrors_and_is_submittable(tmp_path):
    from leaderboard.submissions import Claim

    out = tmp_path / "run"
    proc = runner(
        "run",
        "--task",
        "text_generation",
        "--model",
        "gpt2",
        "--no-weights",
        "--num-samples",
        "2",
        "--repeats",
        "2",
        "--new-tokens",
        "2",
        "--min-window-s",
        "0.01",
        "--idle-s",
        "0.01",
        "--cpu",
        "--fake-meter",
        "--offline",
        "--out",
        str(out),
        "--zip",
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads((out / "energy_score_summary.json").read_text())
    assert summary["model"] == "openai-community/gpt2" and summary["architecture_config"] == "gpt2"
    config = json.loads((out / "benchmark_config.json").read_text())
    assert config["backend"]["model"] == "openai-community/gpt2"
    claim = Claim(task="text_generation", model="openai-community/gpt2", model_class="A")
    report = check_zip(out.with_suffix(".zip").read_bytes(), claim)
    assert report.valid, [c for c in report.checks if c.status == "fail"]
    assert any(c.name == "Model as claimed" and c.status == "pass" for c in report.checks)
