"""Write a command's output to a path, leaving what the path is alone.

``-o OUT`` may name a new file, an existing file, a symbolic link, or a device or FIFO
(``/dev/null``, ``/dev/stdout``, a pipe made with ``mkfifo``).  Each gets what a user
expects of ``> OUT`` in a shell, without the risk of a half-written file:

- a regular file (new, or existing, or the target of a link) is written atomically: a
  temporary file in the same folder, renamed over it.  An existing file keeps its mode,
  owner and group; a new one gets the usual mode (``0666`` less the umask).  A file a
  new one could not stand in for (more than one hard link, another user's file we may
  write to, a folder we may not write to) is rewritten in place instead, so its links,
  owner and group stay.
- a symbolic link is followed: the file it points to is written, the link stays a link.
- a character device or a FIFO is opened and written, never replaced or truncated.
- a folder, a block device (a disk) or a socket is refused with a clear message.

A temporary file is removed when anything goes wrong.
"""

from __future__ import annotations

import contextlib
import os
import stat

from catalog.errors import InputError


def check_target(out: str, example: str = "catalog-info.yaml") -> None:
    """Refuse, before any work is done, a path that ``write_file`` would refuse.

    ``example`` is the file name suggested when ``out`` is a folder.
    """
    _target(out, example)


def _target(out: str, example: str = "catalog-info.yaml") -> tuple[str, os.stat_result | None]:
    """The path that will be written (links followed) and its status, if it exists."""
    real = os.path.realpath(out)  # follows every link, dangling ones included
    try:
        st: os.stat_result | None = os.stat(real)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise InputError(f"{out}: cannot be written ({exc.strerror})") from None
    if st is None:
        folder = os.path.dirname(real)
        if not os.path.isdir(folder):
            raise InputError(f"{out}: the folder {folder} does not exist")
    elif stat.S_ISDIR(st.st_mode):
        name = os.path.join(out, example)
        raise InputError(f"{out}: is a folder; give a file name (e.g. {name})")
    elif stat.S_ISREG(st.st_mode):
        if not os.access(real, os.W_OK):
            raise InputError(f"{out}: permission denied (the file is read-only)")
    elif not (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
        what = "a block device (a disk)" if stat.S_ISBLK(st.st_mode) else "not a file"
        raise InputError(f"{out}: is {what}; refusing to write to it")
    return real, st


def write_file(out: str, data: bytes) -> None:
    """Write ``data`` to the path ``out`` as described above; InputError when it cannot."""
    real, st = _target(out)
    try:
        if st is None:
            _replace(real, data, None)
        elif stat.S_ISREG(st.st_mode):
            if st.st_nlink == 1 and _may_replace(real, st):
                _replace(real, data, st)
            else:
                _write_in_place(real, data, truncate=True)
        else:  # a character device or a FIFO
            _write_in_place(real, data, truncate=False)
    except PermissionError:
        raise InputError(f"{out}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{out}: cannot be written ({exc.strerror})") from None


def _may_replace(path: str, st: os.stat_result) -> bool:
    """Whether a new file renamed over ``path`` can be what the old one was: the same
    owner and group (we are root, or own it and are in its group), in a folder we may
    write to."""
    uid = os.geteuid()
    if uid != 0 and (
        st.st_uid != uid or (st.st_gid != os.getegid() and st.st_gid not in os.getgroups())
    ):
        return False
    return os.access(os.path.dirname(path), os.W_OK | os.X_OK)


def _write_in_place(path: str, data: bytes, *, truncate: bool) -> None:
    # No O_CREAT: the path exists and is what it is.  No O_TRUNC on a device or FIFO.
    flags = os.O_WRONLY | (os.O_TRUNC if truncate else 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _replace(path: str, data: bytes, st: os.stat_result | None) -> None:
    """Write a temporary file next to ``path`` and rename it over ``path``."""
    fd, tmp = _temporary(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            if st is not None:
                os.fchmod(fh.fileno(), stat.S_IMODE(st.st_mode))
                if (st.st_uid, st.st_gid) != _owner(fh.fileno()):
                    # Only root may give a file away; the mode is kept all the same.
                    with contextlib.suppress(PermissionError):
                        os.fchown(fh.fileno(), st.st_uid, st.st_gid)
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _owner(fd: int) -> tuple[int, int]:
    st = os.fstat(fd)
    return st.st_uid, st.st_gid


def _temporary(path: str) -> tuple[int, str]:
    """A new file beside ``path``, created with mode 0666 so the umask applies as usual."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        folder, name = os.path.split(path)
        tmp = os.path.join(folder, f".{name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise InputError(f"{path}: cannot create a temporary file beside it")
