"""The output folder of one newsetl writer: writes only inside it, never through a symbolic link, and
removes only files its own record says an earlier run wrote (`warehouse.output_record`, the pure part).

Every file is reached from the folder's own descriptor, one path component at a time, with `O_NOFOLLOW`:
a link inside the folder (a symlinked `stories/`, a file that is a link) is never written through or
followed. The folder the user named may itself be a link: that is where they asked for the output. A link
inside it is refused in one line before anything is written (`OutputRefused`), as git refuses to write
"beyond a symbolic link": replacing it would discard what the user set up, following it would write
elsewhere.

Usage: `with OutputFolder(root, command, warehouse) as folder:` then `folder.begin(paths to write)` (checks
every path, writes the record of what may be written), `folder.write(path, bytes)` or
`folder.external(path)` for another writer (DuckDB's COPY), and `folder.finish(paths the output now
consists of)`, which removes the recorded files no longer written and leftover temporary files, then writes
the final record.
"""

from __future__ import annotations

import errno
import os
import posixpath
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from warehouse.output_record import (RECORD_NAME, OutputRecord, own_temporaries, parent_folders, parse_record,
                                     record_text, stale_files, temporary_name, temporary_of)

_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_READ_FILE = os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


class OutputRefused(RuntimeError):
    """The output folder holds something newsetl will not write through or over; one line says what."""


class OutputFolder:
    def __init__(self, root: Path | str, command: str, warehouse: Path | str | None) -> None:
        self.root = Path(root)
        self.command = command
        self.warehouse = str(Path(warehouse).resolve()) if warehouse else None
        if self.root.exists() and not self.root.is_dir():
            raise OutputRefused(f"{self.root} is not a folder")
        self.root.mkdir(parents=True, exist_ok=True)
        self._fds: dict[str, int] = {"": os.open(self.root, os.O_RDONLY | os.O_DIRECTORY)}
        self.notes: list[str] = []
        self.planned: set[str] = set()
        try:
            self.previous = self._read_record()
            if self.previous is not None and self.previous.command != command:
                raise OutputRefused(f"{self.root} holds the output of `newsetl {self.previous.command}` (its "
                                    f"{RECORD_NAME}): choose another folder for the {command}; nothing was written")
        except BaseException:
            self.close()
            raise

    # --- context ---------------------------------------------------------------------------------------

    def __enter__(self) -> "OutputFolder":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for fd in self._fds.values():
            os.close(fd)
        self._fds.clear()

    @property
    def recorded(self) -> frozenset[str]:
        """Files an earlier run recorded writing (empty without a readable record)."""
        return self.previous.files if self.previous else frozenset()

    # --- paths -----------------------------------------------------------------------------------------

    def _shown(self, relative: str) -> str:
        return str(self.root / relative) if relative else str(self.root)

    def _link_refused(self, relative: str, parent_fd: int, name: str) -> OutputRefused:
        try:
            target = f" (to {os.readlink(name, dir_fd=parent_fd)})"
        except OSError:
            target = ""
        return OutputRefused(f"{self._shown(relative)} is a symbolic link{target}: newsetl never writes through a "
                             f"link inside its output folder; nothing was written (remove the link, or choose another "
                             f"folder)")

    def _folder(self, relative: str, create: bool) -> int | None:
        """Descriptor of the folder `relative` (opened component by component, no link followed); None when
        it does not exist and `create` is false."""
        if relative in self._fds:
            return self._fds[relative]
        parent, name = posixpath.split(relative)
        parent_fd = self._folder(parent, create)
        if parent_fd is None:
            return None
        try:
            fd = os.open(name, _DIRECTORY, dir_fd=parent_fd)
        except FileNotFoundError:
            if not create:
                return None
            os.mkdir(name, dir_fd=parent_fd)
            fd = os.open(name, _DIRECTORY, dir_fd=parent_fd)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                info = os.stat(name, dir_fd=parent_fd, follow_symlinks=False)
                if stat.S_ISLNK(info.st_mode):
                    raise self._link_refused(relative, parent_fd, name) from None
                raise OutputRefused(f"{self._shown(relative)} is not a folder: newsetl needs it for its output; "
                                    "nothing was written") from None
            raise
        self._fds[relative] = fd
        return fd

    def _entry(self, relative: str) -> os.stat_result | None:
        """lstat of `relative` (no link followed on the way), None when it or a folder on the way is missing."""
        parent, name = posixpath.split(relative)
        fd = self._folder(parent, create=False)
        if fd is None:
            return None
        try:
            return os.stat(name, dir_fd=fd, follow_symlinks=False)
        except FileNotFoundError:
            return None

    def check(self, paths: Iterable[str]) -> None:
        """Refuse (`OutputRefused`) when any of `paths`, or a folder on the way, is a symbolic link, or is
        not what it must be (a folder where a file goes, a file where a folder goes)."""
        for relative in sorted(set(paths)):
            info = self._entry(relative)
            if info is None:
                continue
            if stat.S_ISLNK(info.st_mode):
                parent, name = posixpath.split(relative)
                raise self._link_refused(relative, self._fds[parent], name)
            if not stat.S_ISREG(info.st_mode):
                raise OutputRefused(f"{self._shown(relative)} is not a regular file: newsetl writes a file there; "
                                    "nothing was written")

    def adopt(self, paths: Iterable[str]) -> None:
        """Treat `paths` as recorded by an earlier run: a folder written before the record existed, whose
        own files the caller knows by their layout (an export's partitions, from its old manifest)."""
        files = self.recorded | set(paths)
        self.previous = OutputRecord(self.command, self.warehouse, frozenset(files), complete=False)

    def read(self, relative: str) -> bytes | None:
        """The bytes of a file in the folder (no link followed), None when there is none."""
        parent, name = posixpath.split(relative)
        fd = self._folder(parent, create=False)
        handle = None if fd is None else self._open_file(relative, fd, name)
        if handle is None:
            return None
        with handle:
            return handle.read()

    def is_file(self, relative: str) -> bool:
        info = self._entry(relative)
        return info is not None and stat.S_ISREG(info.st_mode)

    # --- the record ------------------------------------------------------------------------------------

    def _open_file(self, relative: str, fd: int, name: str):
        """The existing file `name` in folder `fd` opened for reading (no link followed); None if absent."""
        try:
            handle = os.fdopen(os.open(name, _READ_FILE, dir_fd=fd), "rb")
        except FileNotFoundError:
            return None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise self._link_refused(relative, fd, name) from None
            raise
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            handle.close()
            raise OutputRefused(f"{self._shown(relative)} is not a regular file: newsetl writes a file there; "
                                "nothing was written")
        return handle

    def _read_record(self) -> OutputRecord | None:
        handle = self._open_file(RECORD_NAME, self._fds[""], RECORD_NAME)
        if handle is None:
            return None
        with handle:
            data = handle.read()
        record, notes = parse_record(data.decode("utf-8", errors="replace"))
        self.notes += notes
        return record

    def _write_record(self, files: Iterable[str], complete: bool) -> None:
        self.write(RECORD_NAME, record_text(OutputRecord(self.command, self.warehouse, frozenset(files), complete)).encode())

    # --- writing ---------------------------------------------------------------------------------------

    def begin(self, paths: Iterable[str]) -> None:
        """Check every path this run writes (a link refuses the run); then record, before any file is written,
        that they may be here besides the recorded ones (a killed run is cleaned up by the next one)."""
        self.planned = set(paths)
        self.check(self.planned | {RECORD_NAME})
        if self.previous is None or not self.planned <= self.recorded:  # else the record already names them all
            self._write_record(self.recorded | self.planned, complete=False)

    def _replace(self, relative: str, data: bytes) -> None:
        parent, name = posixpath.split(relative)
        fd = self._folder(parent, create=True)
        temporary = posixpath.basename(temporary_name(relative, os.getpid()))
        out = os.open(temporary, _NEW_FILE, 0o666, dir_fd=fd)
        try:
            with os.fdopen(out, "wb") as handle:
                handle.write(data)
            os.replace(temporary, name, src_dir_fd=fd, dst_dir_fd=fd)
        except BaseException:
            _unlink_quietly(temporary, fd)
            raise

    def write(self, relative: str, data: bytes) -> bool:
        """Write `data` to `relative` atomically, unless it already holds exactly that; True when written."""
        parent, name = posixpath.split(relative)
        handle = self._open_file(relative, self._folder(parent, create=True), name)
        if handle is not None:
            with handle:
                if handle.read(len(data) + 1) == data:
                    return False
        self._replace(relative, data)
        return True

    @contextmanager
    def external(self, relative: str) -> Iterator[str]:
        """A path for another program to write `relative`'s new content to (a temporary file beside it,
        every folder on the way checked to be a real folder); renamed into place when the block ends
        without error, removed otherwise."""
        parent, name = posixpath.split(relative)
        fd = self._folder(parent, create=True)
        temporary = posixpath.basename(temporary_name(relative, os.getpid()))
        _unlink_quietly(temporary, fd)
        try:
            yield str(self.root / parent / temporary)
            info = os.stat(temporary, dir_fd=fd, follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode):
                raise OutputRefused(f"{self._shown(posixpath.join(parent, temporary))} is not the file written")
            os.replace(temporary, name, src_dir_fd=fd, dst_dir_fd=fd)
        finally:
            _unlink_quietly(temporary, fd)

    # --- the end ---------------------------------------------------------------------------------------

    def finish(self, current: Iterable[str]) -> list[str]:
        """Remove the recorded files not in `current` (and folders they leave empty) and leftover temporary
        files of ours; record `current` as the folder's output. The removed paths."""
        current = set(current)
        removed = []
        for relative in stale_files(self.recorded, current):
            if self._remove(relative):
                removed.append(relative)
        self._remove_temporaries(self.recorded | self.planned | current)
        self._write_record(current, complete=True)
        return removed

    def _remove(self, relative: str) -> bool:
        """Remove a recorded file; one that is a link now, or lies beyond one, or is no longer a file, is left
        (with a note): it is not what newsetl wrote, and a link is never followed."""
        try:
            info = self._entry(relative)
        except OutputRefused:
            self.notes.append(f"left {relative}: a folder on the way is a symbolic link now; it is not followed")
            return False
        if info is None:
            return False
        if not stat.S_ISREG(info.st_mode):
            self.notes.append(f"left {relative}: it is no longer the file newsetl wrote"
                              + (" (a symbolic link now; not followed)" if stat.S_ISLNK(info.st_mode) else ""))
            return False
        parent, name = posixpath.split(relative)
        os.unlink(name, dir_fd=self._fds[parent])
        while parent:  # drop the folders this leaves empty
            grandparent, folder = posixpath.split(parent)
            try:
                os.rmdir(folder, dir_fd=self._fds[grandparent])
            except OSError:
                break
            os.close(self._fds.pop(parent))
            parent = grandparent
        return True

    def _remove_temporaries(self, ours: set[str]) -> None:
        """Temporary files a killed run of this command left beside files it recorded (our name pattern
        only; a user's `*.tmp` is not touched)."""
        names, usable = [], {""}
        for folder in parent_folders(ours | {RECORD_NAME}):
            parent, name = posixpath.split(folder)
            if folder:
                if parent not in usable:
                    continue
                try:
                    info = os.stat(name, dir_fd=self._fds[parent], follow_symlinks=False)
                except FileNotFoundError:
                    continue
                if not stat.S_ISDIR(info.st_mode):
                    continue
                usable.add(folder)
            fd = self._folder(folder, create=False)
            names += [posixpath.join(folder, entry.name) for entry in os.scandir(fd)
                      if temporary_of(entry.name) and entry.is_file(follow_symlinks=False)]
        for relative in own_temporaries(names, ours):
            parent, name = posixpath.split(relative)
            _unlink_quietly(name, self._fds[parent])


def database_path(con) -> str | None:
    """The file of the database a DuckDB connection has open (None in memory): the warehouse a record names."""
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return row[0] if row and row[0] else None


def _unlink_quietly(name: str, dir_fd: int) -> None:
    try:
        os.unlink(name, dir_fd=dir_fd)
    except FileNotFoundError:
        pass
