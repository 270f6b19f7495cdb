"""Mutation testing of the star rule, the results and their formatting, the submission reading and
validation modules and the submission store.

    python bench/mutation.py [--module leaderboard/rating.py ...] [--workers 2] [--limit N] [--list]
                             [--skip-known]
    python bench/mutation.py --map [--module M ...]     which test files call each module's code

Each mutant changes one thing in one module (an arithmetic, comparison or boolean operator, a
number or ``True``/``False``, ``not`` dropped, a call or ``raise`` statement removed); the module's
tests then run against it in a copy of the repository, and a mutant that no test fails *survived*.
``KNOWN`` names the mutants earlier runs of the whole suite let survive; they are run unless
``--skip-known``. ``TESTS`` maps each module to the test files that call its code; ``--map`` traces
every test file (function calls into the project, in a forked child each) and names, per module,
the test files that call it and whether ``TESTS`` lists them, so the map can be checked.
``EQUIVALENT`` lists survivors that no test can kill because they do not change behaviour, each with
why. The report lists every other survivor: each needs a new test, or a reason to be equivalent.

Mutants run in a copy of the working tree (never in it) with bytecode caching off, in forked
children of a parent that has the test tools and third-party libraries imported already.
mutmut would do the same job; it needs its own tree layout and is slower here.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# module -> the tests that call its code (fastest and closest first; pytest stops at the first failure).
# ``--map`` lists, for each module, the test files that call its functions, so this map can be checked.
_SUBMISSION_TESTS = [
    "tests/test_submission_gate.py",
    "tests/test_submission_evidence.py",
    "tests/test_submission_details.py",
    "tests/test_submissions.py",
    "tests/test_submission_v2.py",
    "tests/test_submission_archive.py",
    "tests/test_submission_limits.py",
]
TESTS = {
    "leaderboard/rating.py": ["tests/test_star_bands.py", "tests/test_rating_tolerance.py", "tests/test_rating.py"],
    "leaderboard/hardware.py": ["tests/test_hardware.py", "tests/test_submissions.py", "tests/test_submission_v2.py"],
    "leaderboard/tasks.py": [*_SUBMISSION_TESTS, "tests/test_results.py"],
    "leaderboard/formatting.py": ["tests/test_formatting.py", "tests/test_results.py", "tests/test_charts.py"],
    "leaderboard/results.py": ["tests/test_results.py", "tests/test_charts.py"],
    "leaderboard/charts.py": ["tests/test_charts.py"],
    "leaderboard/links.py": ["tests/test_results.py", "tests/test_label.py"],
    "leaderboard/submissions/store.py": ["tests/test_store_crash.py", "tests/test_store.py"],
    "leaderboard/submissions/store_files.py": ["tests/test_store_crash.py", "tests/test_store.py"],
    "leaderboard/submissions/publish.py": ["tests/test_store.py", "tests/test_store_crash.py"],
    "leaderboard/submissions/workflow.py": [
        "tests/test_store_crash.py",
        "tests/test_store.py",
        "tests/test_submission_v2.py",
    ],
    "leaderboard/submissions/record.py": ["tests/test_store_crash.py", "tests/test_store.py"],
    "leaderboard/submissions/archive.py": [
        "tests/test_submission_archive.py",
        "tests/test_submission_details.py",
        "tests/test_submissions.py",
        "tests/test_submission_v2.py",
        "tests/test_submission_limits.py",
    ],
    "leaderboard/submissions/reading.py": _SUBMISSION_TESTS,
    "leaderboard/submissions/consistency.py": [*_SUBMISSION_TESTS, "tests/test_submission_checksums.py"],
    "leaderboard/submissions/optimum_config.py": _SUBMISSION_TESTS,
    "leaderboard/submissions/optimum_report.py": _SUBMISSION_TESTS,
    "leaderboard/submissions/layout_runner.py": [*_SUBMISSION_TESTS, "tests/test_submission_checksums.py"],
    "leaderboard/submissions/layout_docker.py": _SUBMISSION_TESTS,
    "leaderboard/submissions/layout_optimum.py": _SUBMISSION_TESTS,
    "leaderboard/submissions/readers.py": _SUBMISSION_TESTS,
    "leaderboard/untrusted.py": [
        "tests/test_submission_limits.py",
        "tests/test_submission_details.py",
        "tests/test_submissions.py",
        "tests/test_submission_v2.py",
    ],
    "leaderboard/submissions/layout_v2.py": ["tests/test_submission_v2.py", "tests/test_submissions.py"],
    "leaderboard/submissions/checks.py": _SUBMISSION_TESTS,
    "leaderboard/submissions/repeats.py": _SUBMISSION_TESTS,
    "leaderboard/submissions/evidence.py": _SUBMISSION_TESTS,
    "leaderboard/submissions/protocol.py": _SUBMISSION_TESTS,
    "leaderboard/submissions/plausibility.py": _SUBMISSION_TESTS,
    "leaderboard/submissions/text.py": ["tests/test_submission_text.py", "tests/test_store.py"],
    "leaderboard/submissions/model.py": [
        "tests/test_submission_details.py",
        "tests/test_submissions.py",
        "tests/test_submission_v2.py",
        "tests/test_store_crash.py",
        "tests/test_store.py",
    ],
}
DEFAULT_MODULES = [m for m in TESTS if m != "leaderboard/tasks.py"]  # the registry's data: see KNOWN

# The four mutants the whole suite once let survive, as (module, original text, mutated text) in
# ast.unparse's spelling; None: the Docker summary's unit factor inverted ('* factor' -> '/ factor').
KNOWN = [
    ("leaderboard/submissions/layout_docker.py", "docker_read", None),
    ("leaderboard/submissions/plausibility.py", "POWER_TOLERANCE = 1.05", "POWER_TOLERANCE = 2.05"),
    (
        "leaderboard/tasks.py",
        "'fits one data-centre GPU (80 GB), 20 B to 66 B parameters', 20.0, 66.0, 1)",
        "'fits one data-centre GPU (80 GB), 20 B to 66 B parameters', 20.0, 66.0, 2)",
    ),
    (
        "leaderboard/tasks.py",
        "'fits one consumer GPU (24 GB), up to 20 B parameters', 0.0, 20.0, 1)",
        "'fits one consumer GPU (24 GB), up to 20 B parameters', 0.0, 20.0, 2)",
    ),
    ("leaderboard/rating.py", "width = (hi - lo) / N_BANDS", "width = (hi + lo) / N_BANDS"),
]

# Survivors that cannot be killed, each with why: mutant key ('module:line: description') -> reason.
EQUIVALENT: dict[str, str] = {
    "leaderboard/submissions/evidence.py:49: True -> False": "Efficiency records are built once and only read; "
    "frozen or not, no code assigns to them",
    "leaderboard/rating.py:48: Gt -> GtE": "a span exactly equal to the tolerance times the energies cannot be "
    "made from floats that differ (the tolerance is 1e-9 relative): '>' and '>=' never disagree",
    "leaderboard/rating.py:50: 1.0 -> 2.0": "the divisor used where a group is provisional; the outer np.where "
    "discards that position (0.0), so any non-zero divisor gives the same stars",
    "leaderboard/rating.py:52: LtE -> Lt": "a band position exactly 1e-9 from an integer is never produced by "
    "(e - lo) * 5 / span with float energies; '<=' and '<' never disagree",
    "leaderboard/rating.py:84: False -> True": "groupby(sort=True) numbers the same groups in another order; the "
    "codes only say which rows share a group",
    "leaderboard/rating.py:89: 1 -> 2": "one more (empty) group slot in the per-group arrays; no row points at it",
    "leaderboard/hardware.py:130: Or -> And": "with one name empty the two normalized names differ and neither "
    "resolves to the same board, so the function returns False either way; with both empty 'and' also returns",
    "leaderboard/hardware.py:133: Or -> And": "a known board's alias and an unknown name never normalize to equal "
    "strings, so when only one side resolves 'c == g' is False, as 'cb is gb' was",
    "leaderboard/formatting.py:19: Lt -> LtE [2]": "at exactly 0.01 Wh both branches write '0.01' (two significant "
    "digits and two decimals agree there)",
    "leaderboard/formatting.py:27: GtE -> Gt": "at exactly 100 both branches write '100'",
    "leaderboard/formatting.py:27: 100 -> 101": "from 100 to 999 three significant digits and whole numbers are the "
    "same text; the branches differ only from 1,000 up (the separator), so any threshold in 100..1000 is the same",
    "leaderboard/formatting.py:29: GtE -> Gt": "at exactly 1 both branches write '1'",
}

_SWAP_BIN = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div,
    ast.Mod: ast.Mult,
    ast.Pow: ast.Mult,
    ast.BitAnd: ast.BitOr,
    ast.BitOr: ast.BitAnd,
}
_SWAP_CMP = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}


@dataclass(frozen=True)
class Mutant:
    module: str
    index: int  # position of the node in ast.walk order
    line: int
    description: str
    source: str  # the whole mutated module

    @property
    def key(self) -> str:
        return f"{self.module}:{self.line}: {self.description}"


def _skipped(tree: ast.AST) -> set[int]:
    """Nodes never mutated: docstrings, f-strings, annotations, slices (message truncation)."""
    skip: set[int] = set()

    def mark(node: ast.AST | None) -> None:
        if node is not None:
            skip.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, (ast.JoinedStr, ast.Slice)):
            mark(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            mark(node.returns)
            for a in node.args.args + node.args.kwonlyargs:
                mark(a.annotation)
        elif isinstance(node, ast.AnnAssign):
            mark(node.annotation)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                mark(first)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("exception", "warning", "info", "debug")
        ):
            mark(node)
    return skip


def _alternatives(node: ast.AST) -> Iterator[tuple[str, object]]:
    """(description, how) for each mutation of a node."""
    if isinstance(node, ast.BinOp) and type(node.op) in _SWAP_BIN:
        yield f"{type(node.op).__name__} -> {_SWAP_BIN[type(node.op)].__name__}", ("binop", _SWAP_BIN[type(node.op)])
    elif isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            if type(op) in _SWAP_CMP:
                yield f"{type(op).__name__} -> {_SWAP_CMP[type(op)].__name__}", ("cmp", i)
    elif isinstance(node, ast.BoolOp):
        other = ast.Or if isinstance(node.op, ast.And) else ast.And
        yield f"{type(node.op).__name__} -> {other.__name__}", ("boolop", other)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield "drop not", ("not", None)
    elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
        yield f"{node.value} -> {not node.value}", ("const", not node.value)
    elif isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        yield f"{node.value!r} -> {node.value + 1!r}", ("const", node.value + 1)
    elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        yield f"drop call {ast.unparse(node.value.func)}(…)", ("stmt", None)
    elif isinstance(node, ast.Raise):
        yield "drop raise", ("stmt", None)


def _apply(node: ast.AST, how: tuple) -> ast.AST | None:
    kind, arg = how
    if kind == "binop":
        node.op = arg()  # type: ignore[attr-defined]
    elif kind == "cmp":
        node.ops[arg] = _SWAP_CMP[type(node.ops[arg])]()  # type: ignore[attr-defined]
    elif kind == "boolop":
        node.op = arg()  # type: ignore[attr-defined]
    elif kind == "const":
        node.value = arg  # type: ignore[attr-defined]
    elif kind in ("not", "stmt"):
        return None  # replaced by the caller
    return node


def mutants(module: str) -> list[Mutant]:
    source = (ROOT / module).read_text()
    tree = ast.parse(source)
    skip = _skipped(tree)
    nodes = list(ast.walk(tree))
    out: list[Mutant] = []
    seen: dict[str, int] = {}
    for index, node in enumerate(nodes):
        if id(node) in skip:
            continue
        for description, how in _alternatives(node):
            mutated = copy.deepcopy(tree)
            target = list(ast.walk(mutated))[index]
            if how[0] == "not":
                _replace_child(mutated, target, target.operand)  # type: ignore[attr-defined]
            elif how[0] == "stmt":
                _replace_child(mutated, target, ast.Pass())
            else:
                _apply(target, how)
            ast.fix_missing_locations(mutated)
            line = getattr(node, "lineno", 0)
            key = f"{line}: {description}"
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > 1:  # the same change twice on one line: number them, so keys stay unique
                description = f"{description} [{seen[key]}]"
            out.append(Mutant(module, index, line, description, ast.unparse(mutated)))
    return out


def _replace_child(tree: ast.AST, old: ast.AST, new: ast.AST) -> None:
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, field, new)
                return
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if item is old:
                        value[i] = new
                        return


def known_mutants() -> list[Mutant]:
    out = []
    for module, original, mutated in KNOWN:
        tree = ast.parse((ROOT / module).read_text())
        text = ast.unparse(tree)
        if mutated is None:  # the Docker unit factor: '* factor' -> '/ factor' in docker_read
            fn = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "docker_read")
            for node in ast.walk(fn):
                if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
                    node.op = ast.Div()
            out.append(Mutant(module, -1, fn.lineno, "Docker summary: * factor -> / factor", ast.unparse(tree)))
            continue
        assert original in text, f"{module}: {original!r} not found; update KNOWN"
        out.append(
            Mutant(module, -1, 0, f"{original.strip()} -> {mutated.strip()}", text.replace(original, mutated, 1))
        )
    return out


def _copy_tree(dest: Path) -> None:
    shutil.copytree(
        ROOT,
        dest,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", ".mypy_cache", ".ruff_cache", "__pycache__", ".pytest_cache", "store"
        ),
        dirs_exist_ok=True,
    )


def run_mutant(workdir: Path, mutant: Mutant, timeout_s: float) -> str:
    """'killed', 'survived' or 'timeout', running the module's tests in a forked child."""
    path = workdir / mutant.module
    original = path.read_text()
    path.write_text(mutant.source)
    try:
        pid = os.fork()
        if pid == 0:  # child: import the project from the copy, run its tests, exit with pytest's code
            try:
                os.chdir(workdir)
                sys.path.insert(0, str(workdir))
                sys.dont_write_bytecode = True
                os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 1)
                os.dup2(devnull, 2)
                import pytest

                code = pytest.main(["-x", "-q", "-p", "no:cacheprovider", "-o", "addopts=", *TESTS[mutant.module]])
            except BaseException:  # noqa: BLE001 - the child never returns to the parent's code
                code = 99
            os._exit(int(code))
        deadline = time.monotonic() + timeout_s
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return "survived" if os.waitstatus_to_exitcode(status) == 0 else "killed"
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return "timeout"
            time.sleep(0.02)
    finally:
        path.write_text(original)


def calls_by_test_file(test_files: list[str]) -> dict[str, dict[str, int]]:
    """For each test file, how many distinct functions of each project module its tests call (traced
    in a forked child that runs the file; module-level code, i.e. importing, does not count)."""
    import threading

    prefix = f"{ROOT}/"
    out: dict[str, dict[str, int]] = {}
    for test_file in test_files:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            seen: dict[str, set[int]] = {}

            def tracer(frame, event, arg, seen=seen):
                code = frame.f_code
                if event == "call" and code.co_filename.startswith(prefix) and code.co_name != "<module>":
                    seen.setdefault(code.co_filename[len(prefix) :], set()).add(code.co_firstlineno)
                return None  # no line events: only calls are counted

            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            import pytest

            sys.settrace(tracer)
            threading.settrace(tracer)
            pytest.main(
                [
                    "-q",
                    "-p",
                    "no:cacheprovider",
                    "-o",
                    "addopts=",
                    "-m",
                    "not e2e and not gpu and not runner",
                    test_file,
                ]
            )
            sys.settrace(None)
            with os.fdopen(write, "w") as stream:
                stream.writelines(f"{module}\t{len(lines)}\n" for module, lines in seen.items())
            os._exit(0)
        os.close(write)
        with os.fdopen(read) as stream:
            out[test_file] = {m: int(n) for m, n in (line.rstrip("\n").split("\t") for line in stream)}
        os.waitpid(pid, 0)
    return out


def print_map(modules: list[str]) -> int:
    """Per module: the test files that call its functions (most functions first), marked '+' where
    ``TESTS`` lists them; and any test file ``TESTS`` lists that calls none of them. 1 if any is."""
    test_files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests").glob("test_*.py"))
    calls = calls_by_test_file(test_files)
    stale = 0
    for module in modules:
        callers = sorted(((c.get(module, 0), t) for t, c in calls.items() if c.get(module)), reverse=True)
        listed = TESTS.get(module, [])
        print(f"{module}: " + ", ".join(f"{'+' if t in listed else ''}{t} ({n})" for n, t in callers))
        for test_file in listed:
            if not calls.get(test_file, {}).get(module):
                stale += 1
                print(f"  listed but calls none of its functions: {test_file}")
    return 1 if stale else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", action="append", choices=sorted(TESTS))
    parser.add_argument("--workers", type=int, default=max(1, (os.cpu_count() or 2)))
    parser.add_argument("--limit", type=int, help="At most this many mutants per module (a sample).")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--list", action="store_true", help="List the mutants and stop.")
    parser.add_argument("--known-only", action="store_true", help="Run only the known survivors.")
    parser.add_argument("--skip-known", action="store_true", help="Run only the named modules' mutants.")
    parser.add_argument("--map", action="store_true", help="Print which test files call each module, and stop.")
    parser.add_argument("--only", type=Path, help="Run only the mutants whose keys this file lists (one a line).")
    args = parser.parse_args()
    if args.map:
        return print_map(args.module or sorted(TESTS))
    todo = [] if args.skip_known else known_mutants()
    if not args.known_only:
        for module in args.module or DEFAULT_MODULES:
            found = mutants(module)
            todo += found[: args.limit] if args.limit else found
    if args.only:
        wanted = {line.strip() for line in args.only.read_text().splitlines() if line.strip()}
        todo = [m for m in todo if m.key in wanted]
    if args.list:
        for m in todo:
            print(m.key)
        print(f"{len(todo)} mutants")
        return 0
    # Import the heavy libraries the tests use before forking, so each child starts warm (not the
    # pytest plugins: pytest must import those itself to rewrite their asserts).
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import pytest  # noqa: F401

    # The control: every module's tests pass on the unchanged module, in the copy, in a forked child.
    with tempfile.TemporaryDirectory(prefix="mutation-control-") as tmp:
        _copy_tree(Path(tmp))
        for module in sorted({m.module for m in todo}):
            control = Mutant(module, -1, 0, "unchanged", (ROOT / module).read_text())
            if run_mutant(Path(tmp), control, args.timeout) != "survived":
                print(f"error: the tests of {module} fail on the unchanged module: fix them first", file=sys.stderr)
                return 2

    start = time.monotonic()
    results: dict[str, list[Mutant]] = {"killed": [], "survived": [], "timeout": []}
    with tempfile.TemporaryDirectory(prefix="mutation-") as tmp:
        workers = [Path(tmp) / f"w{i}" for i in range(args.workers)]
        for w in workers:
            _copy_tree(w)
        queue = list(todo)
        # One forked runner per worker folder; each runs its mutants one after another.
        pids = {}
        chunks = [queue[i :: len(workers)] for i in range(len(workers))]
        for w, chunk in zip(workers, chunks, strict=True):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read)
                with os.fdopen(write, "w") as out:
                    for mutant in chunk:
                        outcome = run_mutant(w, mutant, args.timeout)
                        out.write(f"{outcome}\t{todo.index(mutant)}\n")
                        out.flush()
                os._exit(0)
            os.close(write)
            pids[pid] = os.fdopen(read)
        done = 0
        for pid, stream in pids.items():
            for line in stream:
                outcome, index = line.rstrip("\n").split("\t")
                results[outcome].append(todo[int(index)])
                done += 1
                if done % 25 == 0:
                    print(
                        f"  {done}/{len(todo)} mutants, {len(results['survived'])} survived",
                        file=sys.stderr,
                        flush=True,
                    )
            os.waitpid(pid, 0)
    elapsed = time.monotonic() - start
    equivalent = [m for m in results["survived"] if m.key in EQUIVALENT]
    open_survivors = [m for m in results["survived"] if m not in equivalent]
    print(
        f"{len(todo)} mutants in {elapsed / 60:.1f} min: {len(results['killed'])} killed, "
        f"{len(results['timeout'])} timed out (killed), {len(results['survived'])} survived "
        f"({len(equivalent)} listed as equivalent, {len(open_survivors)} open)"
    )
    for m in known_mutants():
        status = (
            next(k for k, ms in results.items() if any(x.key == m.key for x in ms))
            if any(x.key == m.key for ms in results.values() for x in ms)
            else "not run"
        )
        print(f"  known: {m.key}: {status}")
    by_module: dict[str, list[int]] = {}
    for outcome, ms in results.items():
        for m in ms:
            by_module.setdefault(m.module, [0, 0])[0 if outcome != "survived" else 1] += 1
    for module, (killed, survived) in sorted(by_module.items()):
        print(f"  {module:<42} {killed + survived:>4} mutants, {survived} survived")
    for m in equivalent:
        print(f"equivalent  {m.key}: {EQUIVALENT[m.key]}")
    for m in sorted(open_survivors, key=lambda m: (m.module, m.line)):
        print(f"SURVIVED    {m.key}")
    return 1 if open_survivors else 0


if __name__ == "__main__":
    raise SystemExit(main())
