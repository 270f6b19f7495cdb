"""The benchmark runner on the CPU (needs torch and transformers: the runner's own test step):
the whole protocol on tiny random-weight models, for every task family, and model folders with
weights and a local copy of the official dataset.

The runs' fake meter counts model calls (``CountingFakeMeter``): the energies it reads follow the
work, never the clock, so what these tests assert holds on a loaded machine; only the durations
and the passes per window are real timing, and nothing here depends on them. The arithmetic from
known readings (per phase, decode = generate - prefill, per 1,000 queries, average power) is
asserted in ``test_runner_protocol.py``."""

import json
import subprocess
import sys

import pytest

from leaderboard.submissions import check_zip
from tests.conftest import ROOT

pytestmark = pytest.mark.runner


def assert_the_figures_follow_the_model_calls(summary):
    """What timing cannot move: with one pass per window the counting meter reads each phase's model
    calls, the same in every repeat, and every phase (decode = generate - prefill too) above zero."""
    for name, phase in summary["phases"].items():
        values = phase["values_wh_per_1k"]
        assert all(v > 0 for v in values), (name, values)
        assert values == pytest.approx([values[0]] * len(values), rel=1e-9), (name, values)
    assert summary["gpu"]["driver"] == "fake"


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
        "0",  # one pass per window: the counting meter needs no long windows
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
    assert_the_figures_follow_the_model_calls(summary)
    assert summary["inputs"]["source"] == "offline"
    assert set(summary["files_sha256"]) == {"benchmark_config.json", "benchmark_report.json"}
    report = json.loads((out / "benchmark_report.json").read_text())
    assert all(v["energy"]["unit"] == "kWh" and v["energy"]["gpu"] > 0 for v in report.values())
    checked = check_zip((tmp_path / "run.zip").read_bytes())
    assert_only_random_weights_fail(checked)
    assert checked.parsed.gpu_energy_wh_per_1k == pytest.approx(summary["total_gpu_energy_wh_per_1k"])


def test_the_counting_fake_meter_reads_model_calls_not_time():
    import time

    import torch

    from runner.meter import CountingFakeMeter, measure

    layer = torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.ReLU())  # 3 module calls per use
    meter = CountingFakeMeter(mj_per_call=1000, mj_per_read=1)
    try:
        slow = measure(meter, lambda: (layer(torch.ones(1, 4)), time.sleep(0.05)))
        fast = measure(meter, lambda: layer(torch.ones(1, 4)))
        idle = measure(meter, lambda: time.sleep(0.05))
    finally:
        meter.close()
    assert slow.energy_j == fast.energy_j == pytest.approx(3.001)  # 3 calls and 1 read, however long
    assert idle.energy_j == pytest.approx(0.001)  # no call: the read's 1 mJ, never zero
    layer(torch.ones(1, 4))
    assert meter.calls == 6  # two uses counted; the one after close() is not
    assert meter.describe().driver == "fake"


def test_no_gpu_is_a_clear_non_zero_exit():
    proc = runner("check-env")
    assert proc.returncode == 2 and "NVIDIA" in proc.stderr
    proc = runner("run", "--task", "asr", "--model", "tiny-whisper", "--no-weights")
    assert proc.returncode == 2 and "No CUDA GPU" in proc.stderr


def test_unsupported_inputs_are_named():
    proc = runner("run", "--task", "image_generation", "--model", "no-such/pipeline", "--cpu", "--fake-meter")
    assert (
        proc.returncode == 2 and "Could not load 'no-such/pipeline'" in proc.stderr and "Traceback" not in proc.stderr
    )
    proc = runner("run", "--task", "text_generation", "--model", "/no/such/folder", "--cpu", "--fake-meter")
    assert proc.returncode == 2 and "Could not load" in proc.stderr and "Traceback" not in proc.stderr
    proc = runner("run", "--task", "asr", "--model", "tiny-whisper", "--cpu", "--fake-meter")
    assert proc.returncode == 2 and "--no-weights" in proc.stderr
    proc = runner(
        "run",
        "--task",
        "text_classification",
        "--model",
        "tiny-bert",
        "--effort",
        "low",
        "--cpu",
        "--fake-meter",
        "--no-weights",
    )
    assert proc.returncode == 2 and "--effort is for the reasoning task" in proc.stderr


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
        "0",  # one pass per window: the counting meter needs no long windows
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
        "0",  # one pass per window: the counting meter needs no long windows
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


def test_a_shipped_architecture_records_the_hub_id_it_mirrors_and_is_read_as_random_weights(tmp_path):
    from leaderboard.submissions import Claim

    summary, _ = cpu_run(tmp_path, "--task", "text_generation", "--model", "gpt2", "--num-samples", "2")
    out = tmp_path / "run"
    assert summary["model"] == "openai-community/gpt2" and summary["architecture_config"] == "gpt2"
    config = json.loads((out / "benchmark_config.json").read_text())
    assert config["backend"]["model"] == "openai-community/gpt2"
    claim = Claim(task="text_generation", model="openai-community/gpt2", model_class="A")
    report = check_zip(out.with_suffix(".zip").read_bytes(), claim)
    assert_only_random_weights_fail(report)  # random weights stand for the architecture, never the model
    assert any(c.name == "Model as claimed" and c.status == "pass" for c in report.checks)


def cpu_run(tmp_path, *args):
    out = tmp_path / "run"
    proc = runner(
        "run",
        *args,
        "--no-weights",
        "--repeats",
        "2",
        "--min-window-s",
        "0",  # one pass per window: the counting meter needs no long windows
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
    assert_the_figures_follow_the_model_calls(summary)
    report = check_zip(out.with_suffix(".zip").read_bytes())
    assert_only_random_weights_fail(report)
    return summary, report


def assert_only_random_weights_fail(report):
    """A --no-weights run checks in full; the one refusal is that random weights are not the model."""
    assert report.parsed is not None
    assert [c.name for c in report.failures] == ["Real weights"], [(c.name, c.message) for c in report.failures]


def test_image_generation_runs_a_tiny_diffusers_pipeline_with_the_protocols_steps(tmp_path):
    summary, report = cpu_run(tmp_path, "--task", "image_generation", "--model", "tiny-sd", "--num-samples", "2")
    assert set(summary["phases"]) == {"preprocess", "call"}
    assert summary["settings"]["inference_steps"] == 30 and summary["settings"]["images_per_prompt"] == 1
    assert "diffusers_version" in summary["software"]
    assert report.parsed is not None and report.parsed.task == "image_generation"


def test_graph_decode_mode_is_recorded_and_batch_sizes_above_one_are_refused(tmp_path):
    summary, _ = cpu_run(
        tmp_path, "--task", "text_generation", "--model", "tiny-llama", "--num-samples", "3", "--decode-mode", "graph"
    )
    assert summary["settings"]["decode_mode"] == "graph" and set(summary["phases"]) == {
        "preprocess",
        "prefill",
        "decode",
    }
    proc = runner(
        "run",
        "--task",
        "text_generation",
        "--model",
        "tiny-llama",
        "--no-weights",
        "--decode-mode",
        "graph",
        "--batch-size",
        "4",
        "--cpu",
        "--fake-meter",
    )
    assert proc.returncode == 2 and "batch size 1" in proc.stderr


def test_batch_size_is_an_operating_point_for_text_generation(tmp_path):
    summary, report = cpu_run(
        tmp_path, "--task", "text_generation", "--model", "tiny-llama", "--num-samples", "6", "--batch-size", "4"
    )
    assert summary["settings"]["batch_size"] == 4 and summary["num_queries"] == 6
    proc = runner(
        "run", "--task", "asr", "--model", "tiny-whisper", "--no-weights", "--batch-size", "2", "--cpu", "--fake-meter"
    )
    assert proc.returncode == 2 and "text generation only" in proc.stderr


def test_static_decoder_makes_the_same_tokens_as_generate():
    import torch
    import transformers

    from runner.decode import StaticDecoder
    from runner.workloads import shipped_config

    config = transformers.AutoConfig.for_model(**shipped_config("tiny-llama"))
    torch.manual_seed(0)
    model = transformers.AutoModelForCausalLM.from_config(config).eval()
    model.generation_config.eos_token_id = None
    decoder = StaticDecoder(model, 64, "cpu")
    with torch.inference_mode():
        for length in (17, 5, 30):
            ids = torch.randint(5, config.vocab_size, (1, length), generator=torch.Generator().manual_seed(length))
            expected = model.generate(
                input_ids=ids,
                attention_mask=torch.ones_like(ids),
                min_new_tokens=8,
                max_new_tokens=8,
                do_sample=False,
                pad_token_id=0,
            )[0, length:].tolist()
            assert [int(t) for t in decoder.generate(ids, 8)] == expected


def test_the_decode_step_has_no_host_sync_so_it_can_be_captured():
    """A CUDA graph cannot hold a host sync or data-dependent Python: the step compiles as one graph."""
    import torch
    import transformers

    from runner.decode import StaticDecoder
    from runner.workloads import shipped_config

    config = transformers.AutoConfig.for_model(**shipped_config("tiny-llama"))
    model = transformers.AutoModelForCausalLM.from_config(config).eval()
    decoder = StaticDecoder(model, 32, "cpu")
    torch._dynamo.reset()
    step = torch.compile(decoder._step, fullgraph=True, backend="eager")
    with torch.inference_mode():
        decoder.prefill(torch.randint(5, 100, (1, 7)))
        step()
    assert int(decoder.pos) == 8


def test_reasoning_uses_the_chat_template_with_thinking_and_records_the_effort(tmp_path, chat_model_and_dataset):
    model_dir, data_dir = chat_model_and_dataset
    out = tmp_path / "run"
    proc = runner(
        "run",
        "--task",
        "reasoning",
        "--model",
        str(model_dir),
        "--num-samples",
        "3",
        "--repeats",
        "2",
        "--new-tokens",
        "4",
        "--effort",
        "high",
        "--min-window-s",
        "0",  # one pass per window: the counting meter needs no long windows
        "--idle-s",
        "0.01",
        "--cpu",
        "--fake-meter",
        "--dataset-path",
        str(data_dir),
        "--out",
        str(out),
        "--zip",
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads((out / "energy_score_summary.json").read_text())
    assert summary["settings"]["reasoning_effort"] == "high" and summary["settings"]["chat_template"] is True
    assert "chat template with thinking on (effort high)" in summary["inputs"]["description"]
    # The template adds its markers around each query: more tokens than the plain text.
    assert summary["inputs"]["mean_input_tokens"] > 7
    assert_the_figures_follow_the_model_calls(summary)
    checked = check_zip(out.with_suffix(".zip").read_bytes())
    assert checked.valid, [c for c in checked.checks if c.status == "fail"]
    assert checked.parsed is not None
    assert checked.parsed.gpu_energy_wh_per_1k == pytest.approx(summary["total_gpu_energy_wh_per_1k"])


@pytest.fixture
def chat_model_and_dataset(tmp_path):
    """A tiny causal model with a word-level tokenizer whose chat template knows thinking and effort."""
    import pandas as pd
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import AutoConfig, AutoModelForCausalLM, PreTrainedTokenizerFast

    model_dir, data_dir = tmp_path / "model", tmp_path / "dataset"
    words = "the a energy model query of gpu and to is <think> user assistant effort: low medium high".split()
    vocab = {"[UNK]": 0, **{w: i + 1 for i, w in enumerate(words)}}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    fast = PreTrainedTokenizerFast(tokenizer_object=tokenizer, unk_token="[UNK]")
    fast.chat_template = (
        "{% for m in messages %}{{ m['role'] }} {{ m['content'] }} {% endfor %}"
        "{% if add_generation_prompt %}assistant effort: {{ reasoning_effort }} "
        "{% if enable_thinking %}<think>{% endif %}{% endif %}"
    )
    fast.save_pretrained(model_dir)
    config = AutoConfig.for_model(**json.loads((ROOT / "runner/configs/tiny-llama.json").read_text()))
    AutoModelForCausalLM.from_config(config).save_pretrained(model_dir)
    data_dir.mkdir()
    pd.DataFrame({"text": ["the energy of a gpu query is"] * 4}).to_parquet(data_dir / "train.parquet")
    return model_dir, data_dir
