"""The submission store's file operations (``leaderboard.submissions.store``): every write is a whole
temporary file beside its target (fsynced), put in place in one step, and goes through ``OPS`` so that
a test can make any single step fail; folders are opened without following a symbolic link; an
``OSError`` becomes a one-line ``StoreError``.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import os
import re
import stat
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ParamSpec, TypeVar

from leaderboard.errors import StoreError

TEMP_SUFFIX = ".tmp"
# A temporary file the store makes, and nothing else: ``Store.sweep`` removes these.
TEMP_NAME = re.compile(r"\.[A-Za-z0-9_.-]+\.[0-9a-f]{32}" + re.escape(TEMP_SUFFIX))


def temp_name(prefix: str) -> str:
    """The name of a new temporary file (``TEMP_NAME``): ``prefix`` is ``.<final name>.``."""
    return f"{prefix}{uuid.uuid4().hex}{TEMP_SUFFIX}"


class Ops:
    """The store's writes, one method a step (tests replace ``OPS`` to fail any one of them)."""

    def mkdir(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)

    def write_temp(self, folder: Path, prefix: str, data: bytes) -> Path:
        """A fully written, fsynced new temporary file in ``folder`` holding ``data``, readable by its
        owner only; named by ``temp_name`` (created, never opened through a link)."""
        tmp = folder / temp_name(prefix)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return tmp

    def replace(self, src: Path, dst: Path) -> None:
        os.replace(src, dst)

    def link(self, src: Path, dst: Path) -> None:
        os.link(src, dst)  # FileExistsError if dst exists: the first writer wins

    def rename_dir(self, src: Path, dst: Path) -> None:
        os.rename(src, dst)  # fails if dst exists and is not empty

    def unlink(self, path: Path, dir_fd: int | None = None) -> None:
        """Remove a file (or a link, never what it points at); ``dir_fd``: the folder ``path`` is in."""
        try:
            os.unlink(path, dir_fd=dir_fd)
        except FileNotFoundError:
            pass

    def rmdir(self, path: Path, dir_fd: int | None = None) -> None:
        os.rmdir(path, dir_fd=dir_fd)  # fails unless the folder is empty


OPS = Ops()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    OPS.mkdir(path.parent)
    tmp = OPS.write_temp(path.parent, f".{path.name}.", data)
    try:
        OPS.replace(tmp, path)
    except BaseException:
        OPS.unlink(tmp)
        raise


def create_once(path: Path, data: bytes) -> bool:
    """Create ``path`` with ``data`` unless it exists (atomic: a full temp file, then a hard link)."""
    OPS.mkdir(path.parent)
    tmp = OPS.write_temp(path.parent, f".{path.name}.", data)
    try:
        OPS.link(tmp, path)
        return True
    except FileExistsError:
        return False
    finally:
        OPS.unlink(tmp)


def dumps(obj: object) -> bytes:
    return (json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


P = ParamSpec("P")


R = TypeVar("R")


def store_errors(method: Callable[P, R]) -> Callable[P, R]:
    """OSError (full disk, no permission, read-only file system) -> a one-line StoreError."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise StoreError(
                f"The submission store cannot be read or written: {reason}. "
                "Nothing was changed. Free disk space or make the folder named by the store_dir setting "
                "(AIES_STORE_DIR) writable, then try again."
            ) from None

    return wrapper


_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


@contextlib.contextmanager
def open_folder(name: str | Path, parent: int | None = None) -> Iterator[int | None]:
    """A descriptor of the folder ``name`` (relative to the folder ``parent``), opened without
    following a symbolic link; None when it is missing, a file or a link."""
    try:
        fd = os.open(name, _DIR_FLAGS, dir_fd=parent)
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP):
            yield None
            return
        raise
    try:
        yield fd
    finally:
        os.close(fd)


def entries(
    folder: int | None, name: re.Pattern[str], kind: Callable[[int], bool], older_than: float | None = None
) -> list[str]:
    """The names in ``folder`` that match ``name`` and whose own type (a link is not followed) is
    ``kind``, last changed before ``older_than`` if given."""
    if folder is None:
        return []
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if not name.fullmatch(entry.name):
                continue
            info = entry.stat(follow_symlinks=False)
            if kind(info.st_mode) and (older_than is None or info.st_mtime < older_than):
                found.append(entry.name)
    return found


def remove_temps(folder: int | None, older_than: float) -> int:
    """Remove the store's temporary files in ``folder`` older than ``older_than``; returns how many."""
    names = entries(folder, TEMP_NAME, stat.S_ISREG, older_than)
    for name in names:
        OPS.unlink(Path(name), dir_fd=folder)
    return len(names)


def read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise StoreError(f"{path.name} of a submission is not valid JSON; the store is damaged.") from None
