"""Energy meters: the NVML total-energy counter per GPU; for tests, a replay meter of recorded
readings and a fake meter for CPU runs that counts model calls.

The NVML counter (``nvmlDeviceGetTotalEnergyConsumption``, millijoules since driver load) is read
only at window edges, after the caller has synchronised the device: it updates about every
100 ms, so a 10 s window carries ~0.1% error, and one read costs milliseconds on a virtual
machine. ``nvmlDeviceGetPowerUsage`` is a 1 s moving average and is never integrated.
A window whose energy reads zero or less stops the run with ``MeterError``: the runner never
writes 0.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from leaderboard.errors import MeterError
from leaderboard.runfolder import FAKE_METER_DRIVER, GpuInfo
from runner.gates import Sample


class EnergyMeter(Protocol):
    def read_mj(self) -> list[int]:
        """Cumulative energy of each measured GPU, in millijoules."""

    def describe(self) -> GpuInfo:
        """GPU names, count and driver, for the reports."""


@dataclass(frozen=True)
class Window:
    """One measured window: GPU energy (J, summed over GPUs), wall time (s), the time spent
    reading the meter and synchronising at its edges (s), and each GPU's energy (J)."""

    energy_j: float
    duration_s: float
    overhead_s: float
    per_gpu_j: tuple[float, ...] = ()


def measure(
    meter: EnergyMeter,
    work: Callable[[], None],
    sync: Callable[[], None] = lambda: None,
    clock: Callable[[], float] = time.perf_counter,
) -> Window:
    """Run ``work`` inside one window: sync, read, work, sync, read."""
    t0 = clock()
    sync()
    before = meter.read_mj()
    t1 = clock()
    work()
    t2 = clock()
    sync()
    after = meter.read_mj()
    t3 = clock()
    deltas = [a - b for a, b in zip(after, before, strict=True)]
    if any(d <= 0 for d in deltas):
        raise MeterError(
            f"The GPU energy counter read {deltas} mJ over a {t3 - t1:.2f} s window. The counter "
            "is not advancing on this GPU: the result would be wrong, so the run stops. Check "
            "`python -m runner check-env`; windows shorter than ~1 s are too short for it."
        )
    return Window(sum(deltas) / 1000.0, t3 - t1, (t1 - t0) + (t3 - t2), tuple(d / 1000.0 for d in deltas))


def visible_gpus(environ: Mapping[str, str] | None = None) -> list[str] | None:
    """The GPUs CUDA_VISIBLE_DEVICES shows to PyTorch, in its order (indices or UUIDs), or None when
    it is unset. NVML numbers GPUs physically, so the meter must map PyTorch's GPU n through this."""
    value = (os.environ if environ is None else environ).get("CUDA_VISIBLE_DEVICES")
    if value is None:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


def resolve_gpu_refs(refs: list[str], all_uuids: list[str]) -> list[int]:
    """NVML indices of the GPUs that ``refs`` name, in their order: physical indices ('0'), full UUIDs
    ('GPU-8f3c…'), or UUID prefixes as CUDA accepts them ('GPU-8f3c'); a MIG instance is refused (the
    energy counter belongs to the whole GPU, which other instances share)."""
    out = []
    for ref in refs:
        if ref.startswith("MIG-") or "/" in ref:
            raise MeterError(
                f"CUDA_VISIBLE_DEVICES names the MIG instance {ref[:40]!r}: the energy counter measures the whole GPU, "
                "which other instances share. Run on a whole GPU."
            )
        if ref.isdigit():
            if int(ref) >= len(all_uuids):
                raise MeterError(f"GPU {ref} requested, {len(all_uuids)} NVIDIA GPU(s) present.")
            out.append(int(ref))
            continue
        wanted = ref if ref.startswith("GPU-") else f"GPU-{ref}"
        matches = [i for i, uuid in enumerate(all_uuids) if uuid.startswith(wanted)]
        if len(matches) != 1:
            found = "no GPU" if not matches else f"{len(matches)} GPUs"
            raise MeterError(
                f"CUDA_VISIBLE_DEVICES entry {ref[:48]!r} names {found} here (UUIDs: {', '.join(all_uuids)})."
            )
        out.append(matches[0])
    return out


class NvmlMeter:
    """The NVML total-energy counter of the given GPUs (PyTorch's numbering: the n-th GPU that
    CUDA_VISIBLE_DEVICES makes visible), matched by UUID: ``uuids`` (PyTorch's own view of its devices,
    ``torch_uuids``) where given, else CUDA_VISIBLE_DEVICES' entries (indices, UUIDs or their prefixes).
    The UUIDs measured are recorded (``uuids``)."""

    def __init__(self, indices: Iterable[int] = (0,), uuids: list[str] | None = None) -> None:
        try:
            import pynvml
        except ImportError:
            raise MeterError("nvidia-ml-py is not installed: pip install nvidia-ml-py") from None
        self._nvml = pynvml
        try:
            pynvml.nvmlInit()
        except pynvml.NVMLError as exc:
            raise MeterError(
                f"NVML cannot start ({exc}): no NVIDIA GPU or driver here. The runner measures NVIDIA GPUs only."
            ) from None
        count = pynvml.nvmlDeviceGetCount()
        self.indices = list(indices)
        if not count:
            raise MeterError("NVML sees no NVIDIA GPU.")
        all_handles = [pynvml.nvmlDeviceGetHandleByIndex(i) for i in range(count)]
        all_uuids = [_text(pynvml.nvmlDeviceGetUUID(h)) for h in all_handles]
        if uuids is not None:
            if any(i >= len(uuids) for i in self.indices):
                raise MeterError(f"GPU {self.indices} requested, PyTorch sees {len(uuids)}.")
            refs = [uuids[i] for i in self.indices]
        else:
            visible = visible_gpus()
            if visible is not None and any(i >= len(visible) for i in self.indices):
                raise MeterError(f"GPU {self.indices} requested, CUDA_VISIBLE_DEVICES shows {len(visible)}.")
            refs = [visible[i] if visible is not None else str(i) for i in self.indices]
        chosen = resolve_gpu_refs(refs, all_uuids)
        self.handles = [all_handles[i] for i in chosen]
        self.uuids = tuple(all_uuids[i] for i in chosen)
        try:
            self.read_mj()
        except pynvml.NVMLError as exc:
            raise MeterError(
                f"This GPU has no total-energy counter ({exc}); the runner needs it (Volta or newer, recent driver)."
            ) from None

    def read_mj(self) -> list[int]:
        return [int(self._nvml.nvmlDeviceGetTotalEnergyConsumption(h)) for h in self.handles]

    def processes(self) -> list[int]:
        """The process ids holding a compute context on the measured GPUs (one entry per GPU and process)."""
        nvml, out = self._nvml, []
        for h in self.handles:
            try:
                out += [int(p.pid) for p in nvml.nvmlDeviceGetComputeRunningProcesses(h)]
            except nvml.NVMLError:
                continue
        return out

    def refuse_co_tenants(self) -> None:
        """Before this run opens its own context: another process on a measured GPU would be measured too."""
        others = self.processes()
        if others:
            raise MeterError(
                f"Another process holds a measured GPU (process id {', '.join(map(str, sorted(set(others))))}): its "
                "energy would be counted as this run's. Wait until the GPU is free, or pick another with "
                "CUDA_VISIBLE_DEVICES."
            )

    def validate_counter(self, seconds: float = 1.0, sleep: Callable[[float], None] = time.sleep) -> float:
        """The counter advances, at a power a GPU can draw: the idle power over ``seconds`` (W, summed)."""
        limits = [w for w in self.describe().power_limit_w if w is not None]
        window = measure(self, lambda: sleep(seconds))
        power = window.energy_j / window.duration_s
        if limits and not 1.0 <= power <= 2 * sum(limits):
            raise MeterError(
                f"The energy counter read {power:,.1f} W at idle, outside 1 W to twice the power limit: it does not "
                "read this GPU's energy. Check `python -m runner check-env`."
            )
        return power

    def probe(self) -> NvmlProbe:
        return NvmlProbe(self._nvml, self.handles)

    def describe(self) -> GpuInfo:
        nvml = self._nvml
        names = [_text(nvml.nvmlDeviceGetName(h)) for h in self.handles]
        memory = [int(nvml.nvmlDeviceGetMemoryInfo(h).total) for h in self.handles]
        limits: list[float | None] = []
        for h in self.handles:
            try:
                limits.append(nvml.nvmlDeviceGetEnforcedPowerLimit(h) / 1000.0)
            except nvml.NVMLError:
                limits.append(None)
        return GpuInfo(tuple(names), _text(nvml.nvmlSystemGetDriverVersion()), tuple(memory), tuple(limits))


class NvmlProbe:
    """``runner.gates.GpuProbe`` over NVML: utilisation, SM clock, temperature, power, clock-event reasons
    and compute processes of the measured GPUs; a value NVML cannot give is None."""

    def __init__(self, nvml: Any, handles: list[Any]) -> None:
        self.nvml, self.handles = nvml, handles

    def _each(self, read: Callable[[Any], float]) -> tuple[float | None, ...]:
        out: list[float | None] = []
        for h in self.handles:
            try:
                out.append(float(read(h)))
            except self.nvml.NVMLError:
                out.append(None)
        return tuple(out)

    def sample(self) -> Sample:
        nvml = self.nvml
        reasons = (
            getattr(nvml, "nvmlDeviceGetCurrentClocksEventReasons", None)
            or nvml.nvmlDeviceGetCurrentClocksThrottleReasons
        )
        mask = 0
        for value in self._each(reasons):
            mask |= int(value or 0)
        processes = 0
        for h in self.handles:
            try:
                processes += len(nvml.nvmlDeviceGetComputeRunningProcesses(h))
            except nvml.NVMLError:
                continue
        return Sample(
            utilisation=tuple(
                None if u is None else u / 100.0
                for u in self._each(lambda h: nvml.nvmlDeviceGetUtilizationRates(h).gpu)
            ),
            sm_clock_mhz=self._each(lambda h: nvml.nvmlDeviceGetClockInfo(h, nvml.NVML_CLOCK_SM)),
            temperature_c=self._each(lambda h: nvml.nvmlDeviceGetTemperature(h, nvml.NVML_TEMPERATURE_GPU)),
            power_w=tuple(
                None if p is None else p / 1000.0 for p in self._each(lambda h: nvml.nvmlDeviceGetPowerUsage(h))
            ),
            throttle_mask=mask,
            processes=processes,
        )


def torch_uuids() -> list[str] | None:
    """The NVML UUIDs of the GPUs PyTorch sees, in its order ('GPU-…'), or None where it cannot tell."""
    try:
        import torch

        return [f"GPU-{torch.cuda.get_device_properties(i).uuid}" for i in range(torch.cuda.device_count())]
    except Exception:  # noqa: BLE001 - an older PyTorch without .uuid: fall back to CUDA_VISIBLE_DEVICES
        return None


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class ReplayMeter:
    """Replays recorded counter readings (one list of mJ per GPU per read), for tests without a GPU."""

    def __init__(self, readings: Iterable[list[int]], description: GpuInfo | None = None) -> None:
        self._readings = iter(readings)
        self._description = description or GpuInfo(("Replay GPU",), "replay", (0,), (700.0,))
        self.reads = 0

    def read_mj(self) -> list[int]:
        self.reads += 1
        try:
            return list(next(self._readings))
        except StopIteration:
            raise MeterError("The replay meter ran out of recorded readings.") from None

    def describe(self) -> GpuInfo:
        return self._description


class CountingFakeMeter:
    """A fake counter for CPU test runs whose readings follow the work done, never the clock: each
    call of a torch module in this process adds ``mj_per_call`` millijoules, and each read adds
    ``mj_per_read`` (so a window without model calls, such as preprocessing, still advances).

    A pass over the same queries makes the same module calls under any load, so every repeat of a
    phase reads the same energy per pass (within ``mj_per_read`` / passes), and decode (generate -
    prefill) is positive whenever generating makes more model calls than prefill does: timing
    decides only how many passes a window holds and how long it lasts.
    """

    def __init__(self, mj_per_call: int = 1000, mj_per_read: int = 1) -> None:
        from torch.nn.modules.module import register_module_forward_pre_hook

        self.mj_per_call, self.mj_per_read = mj_per_call, mj_per_read
        self.calls = 0
        self.reads = 0
        self._hook = register_module_forward_pre_hook(self._count)

    def _count(self, module: Any, args: Any) -> None:
        self.calls += 1

    def read_mj(self) -> list[int]:
        self.reads += 1
        return [self.calls * self.mj_per_call + self.reads * self.mj_per_read]

    def describe(self) -> GpuInfo:
        return GpuInfo(("Fake GPU (counts model calls)",), FAKE_METER_DRIVER, (0,), (700.0,))

    def close(self) -> None:
        """Stop counting (the hook is process-wide)."""
        self._hook.remove()


def idle_power_w(
    meter: EnergyMeter,
    seconds: float = 3.0,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """Average GPU power (W, summed over GPUs) while nothing runs, from the energy counter."""
    window = measure(meter, lambda: sleep(seconds), clock=clock)
    return window.energy_j / window.duration_s
