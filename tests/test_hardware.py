"""GPU names: exact normalized matching (never by substring), board power limits, what is a GPU."""

import pytest

from leaderboard.hardware import (
    BOARDS,
    GENERIC_MAX_POWER_W,
    OFFICIAL_HARDWARE,
    board_of,
    hardware_matches,
    is_gpu_name,
    max_power_w,
    memory_fits,
    normalized,
    split_count,
)


@pytest.mark.parametrize(
    "claimed, logged, match",
    [
        ("NVIDIA H100 80GB", "NVIDIA H100 80GB HBM3", True),  # the board's name and NVML's
        ("NVIDIA H100-80GB", "NVIDIA H100 80GB HBM3", True),  # the label's spelling
        ("nvidia h100 80 gb", "NVIDIA H100 80GB HBM3", True),
        ("NVIDIA H200", "NVIDIA H200", True),
        ("NVIDIA A100 80GB", "NVIDIA A100-SXM4-80GB", True),
        ("RTX 4090", "NVIDIA GeForce RTX 4090", True),  # not in the table: equal normalized names
        ("NVIDIA H100 80GB", "NVIDIA", False),  # substring of everything: matches nothing
        ("NVIDIA", "NVIDIA H100 80GB HBM3", False),
        ("H100", "NVIDIA H100 80GB HBM3", False),
        ("NVIDIA H100 80GB", "NVIDIA H100 PCIe", False),  # another board (350 W)
        ("NVIDIA H100 80GB", "NVIDIA H100 NVL", False),
        ("NVIDIA H100 94GB", "NVIDIA H100 80GB HBM3", False),
        ("NVIDIA H100 80GB", "NVIDIA H200", False),
        ("NVIDIA A100 80GB", "NVIDIA A100 80GB PCIe", False),
        ("NVIDIA L4", "NVIDIA L40S", False),
        ("NVIDIA A10", "NVIDIA A100-SXM4-80GB", False),
        ("RTX 4090", "NVIDIA GeForce RTX 4090 D", False),
        ("", "NVIDIA H100 80GB HBM3", False),
        ("", "", False),
    ],
)
def test_hardware_matches_by_exact_normalized_name(claimed, logged, match):
    assert hardware_matches(claimed, logged) is match
    assert hardware_matches(logged, claimed) is match


@pytest.mark.parametrize(
    "name, expected",
    [
        ("NVIDIA H100 80GB HBM3", "H100 80GB"),
        ("NVIDIA A100-SXM4-80GB", "A100 80GB"),
        ("AMD Instinct MI300X", "MI300X"),
        ("Tesla T4", "T4"),
        ("NVIDIA H100 80 GB", "H100 80GB"),
    ],
)
def test_normalized_names(name, expected):
    assert normalized(name) == expected


@pytest.mark.parametrize(
    "name, watts",
    [
        ("NVIDIA H100 80GB HBM3", 700.0),
        ("NVIDIA H100 PCIe", 350.0),
        ("NVIDIA H200", 700.0),
        ("NVIDIA A100-SXM4-80GB", 400.0),
        ("NVIDIA L4", 72.0),
        ("NVIDIA L40S", 350.0),
        ("NVIDIA GeForce RTX 4090", GENERIC_MAX_POWER_W),
        ("NVIDIA", GENERIC_MAX_POWER_W),
    ],
)
def test_board_power_limits(name, watts):
    assert max_power_w(name) == watts


@pytest.mark.parametrize(
    "name, gpu",
    [
        ("NVIDIA H100 80GB HBM3", True),
        ("NVIDIA GeForce RTX 4090", True),
        ("AMD Instinct MI300X", True),
        ("NVIDIA", False),
        ("", False),
        ("cpu", False),
        (" AMD EPYC 7R13 Processor", False),
        ("Intel(R) Xeon(R) Platinum 8480+", False),
        ("Intel Core i7-12700", False),
        ("Fake GPU (counts model calls)", False),
        ("unknown GPU", False),
    ],
)
def test_is_gpu_name(name, gpu):
    assert is_gpu_name(name) is gpu


def test_board_table_is_unambiguous_and_names_its_own_aliases():
    aliases = [a for b in BOARDS for a in b.aliases]
    assert len(aliases) == len(set(aliases))
    for board in BOARDS:
        assert board_of(board.name) is board and all(a == normalized(a) for a in board.aliases)
    assert board_of(OFFICIAL_HARDWARE).name == OFFICIAL_HARDWARE


def test_claimed_gpu_counts():
    assert split_count("8 x NVIDIA H100 80GB") == (8, "NVIDIA H100 80GB")
    assert split_count("2× NVIDIA H200") == (2, "NVIDIA H200")
    assert split_count("NVIDIA H100 80GB") == (None, "NVIDIA H100 80GB")


# Board power limits from the vendors' data sheets: the highest limit among a board's variants (W).
DATA_SHEET_W = {
    "NVIDIA H100 80GB": 700.0,
    "NVIDIA H100 PCIe": 350.0,
    "NVIDIA H100 NVL": 400.0,
    "NVIDIA H200": 700.0,
    "NVIDIA H200 NVL": 600.0,
    "NVIDIA GH200": 1000.0,
    "NVIDIA B200": 1000.0,
    "NVIDIA A100 80GB": 400.0,
    "NVIDIA A100 80GB PCIe": 300.0,
    "NVIDIA A100 40GB": 400.0,
    "NVIDIA A100 40GB PCIe": 250.0,
    "NVIDIA L40S": 350.0,
    "NVIDIA L4": 72.0,
    "NVIDIA A10": 150.0,
    "NVIDIA A10G": 300.0,
    "NVIDIA T4": 70.0,
    "AMD Instinct MI300X": 750.0,
}


def test_every_board_limit_is_the_data_sheet_one():
    assert {b.name: b.max_power_w for b in BOARDS} == DATA_SHEET_W
    assert GENERIC_MAX_POWER_W == 1000.0 and max(DATA_SHEET_W.values()) <= GENERIC_MAX_POWER_W


def test_boards_are_immutable():
    import dataclasses

    with pytest.raises(dataclasses.FrozenInstanceError):
        BOARDS[0].max_power_w = 1e6  # type: ignore[misc]


@pytest.mark.parametrize("name", ["RTX 4090", "GeForce", "NVIDIA GeForce", "NVIDIA Tesla", "AMD Radeon", "NVIDIA HBM3"])
def test_a_gpu_name_needs_a_vendor_and_a_model_number(name):
    assert not is_gpu_name(name)


def test_rating_board_names():
    from leaderboard.hardware import board_name

    assert board_name("NVIDIA H200") == "NVIDIA H200"
    assert board_name("NVIDIA H200", 1) == "NVIDIA H200"
    assert board_name("NVIDIA H200", 2) == "2 × NVIDIA H200"
    assert board_name("NVIDIA H200", 8) == "8 × NVIDIA H200"


@pytest.mark.parametrize(
    ("name", "memory_bytes", "fits"),
    [
        ("NVIDIA H100 80GB HBM3", 85_520_809_984, True),  # a genuine run's (reference/optimum-benchmark/)
        ("NVIDIA H100 80GB HBM3", 150_754_820_096, False),  # an H200's
        ("NVIDIA H100 80GB HBM3", 42_949_672_960, False),  # an A100 40GB's
        ("NVIDIA H200", 150_754_820_096, True),
        ("NVIDIA H200", 85_520_809_984, False),
        ("NVIDIA L40S", 48_305_799_168, True),  # 45.0 GiB with ECC on
        ("NVIDIA GH200 480GB", 102_625_181_696, True),  # the 96 GB variant
        ("NVIDIA GeForce RTX 4090", 1, None),  # not in the table: nothing to compare
    ],
)
def test_memory_fits_the_board(name, memory_bytes, fits):
    assert memory_fits(name, memory_bytes) is fits
