"""Large follower/following CSV files read in pieces, so memory stays near a plain read's.

A manual list above :func:`stream_bytes` is read in blocks with ``pyarrow.csv.open_csv`` (the
same encoding and delimiter sniffing as :mod:`.csv`), and each block goes through the same
per-row reading as a whole file (:func:`._tabular.convert`): the same frames, the same refused
rows with their true row numbers. :mod:`investigate.importer` writes each piece to the case as
it comes. Anything the block reader refuses (rows with too few or too many cells, text that is
not in the sniffed encoding...) raises :class:`StreamRefused`: the file is then read whole, as
before, and that reader says what is wrong.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from ..errors import Problem
from . import LoadOptions, detect
from . import csv as csv_loader
from ._files import env_size
from ._tabular import NO_USERNAME, MixedNumbering, Numbering, convert, layout

#: Files larger than this (bytes) are read in pieces; override with INVESTIGATE_STREAM_BYTES.
DEFAULT_STREAM_BYTES = 32 * 1024 * 1024
#: Size of each piece read (bytes of text); override with INVESTIGATE_STREAM_BLOCK_BYTES.
DEFAULT_BLOCK_BYTES = 4 * 1024 * 1024
LIST_KINDS = ("followers", "following")


class StreamRefused(Exception):  # noqa: N818 - a signal to read the file whole, not an error shown
    """The block reader cannot read this file as it is: read it whole instead."""


def stream_bytes() -> int:
    """Size above which a follower/following CSV is read in pieces."""
    return env_size("INVESTIGATE_STREAM_BYTES", DEFAULT_STREAM_BYTES)


def block_bytes() -> int:
    """Bytes of text per piece."""
    return env_size("INVESTIGATE_STREAM_BLOCK_BYTES", DEFAULT_BLOCK_BYTES)


def streamable(path: Path, *, format: str, options: LoadOptions) -> bool:
    """True for a followers/following CSV file larger than :func:`stream_bytes`."""
    if options.list_kind not in LIST_KINDS or format not in ("auto", csv_loader.NAME):
        return False
    if not path.is_file() or path.stat().st_size <= stream_bytes():
        return False
    return format == csv_loader.NAME or detect(path) == csv_loader.NAME


@dataclass
class Piece:
    """One block of the file as canonical frames: its good rows and its refused ones."""

    relationships: pd.DataFrame
    accounts: pd.DataFrame  # the accounts of this block, the list's owner first (see FirstAccounts)
    problems: list[Problem] = field(default_factory=list)


def read_pieces(path: Path, options: LoadOptions, *, block_size: int | None = None) -> Iterator[Piece]:
    """Read a followers/following CSV block by block. Raises :class:`StreamRefused` (possibly after
    some pieces) when the file must be read whole; format errors as :func:`.csv.load` does."""
    encoding, delimiter = csv_loader.sniff_layout(path)
    if encoding == "mixed":
        raise StreamRefused("stray Windows-1252 bytes in UTF-8 text: repaired by the whole-file reader")
    reader = _open(path, encoding, delimiter, block_size or block_bytes())
    names = reader.schema.names
    if len(set(names)) != len(names):
        raise StreamRefused("the header repeats a column name")
    plan = layout(names, path, options)
    numbering = Numbering()
    first_row = 2  # the header is row 1
    as_text = {pa.string(): pd.StringDtype(), pa.large_string(): pd.StringDtype()}.get
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            if first_row == 2:
                raise StreamRefused("the file has no rows") from None
            return
        except (pa.ArrowException, UnicodeError) as exc:
            raise StreamRefused(str(exc)) from None
        raw = batch.to_pandas(types_mapper=as_text)
        del batch
        problems: list[Problem] = []
        try:
            frames = convert(raw, path, options, plan, problems, first_row=first_row, numbering=numbering)
        except MixedNumbering as exc:
            raise StreamRefused(str(exc)) from None
        first_row += len(raw)
        yield Piece(frames["relationships"], frames["accounts"], problems)
        del raw, frames
        pa.default_memory_pool().release_unused()  # hand the piece's memory back before the next


def _open(path: Path, encoding: str, delimiter: str, block_size: int) -> pa_csv.CSVStreamingReader:
    """The same table as ``pandas.read_csv(dtype="string", na_values=[""], keep_default_na=False)``."""
    try:
        return pa_csv.open_csv(
            path,
            # utf8 natively (a BOM is skipped); other encodings through Python's codecs
            read_options=pa_csv.ReadOptions(encoding="utf8" if encoding.startswith("utf-8") else encoding,
                                            block_size=block_size, use_threads=False),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, newlines_in_values=True,
                                              ignore_empty_lines=True),
            convert_options=pa_csv.ConvertOptions(default_column_type=pa.large_string(), null_values=[""],
                                                  strings_can_be_null=True, quoted_strings_can_be_null=True),
        )
    except (pa.ArrowException, UnicodeError) as exc:
        raise StreamRefused(str(exc)) from None


#: bytes of a key that go into its hash (with its length): a handle key is 50 bytes at most, mostly fewer
_HASHED_BYTES = 64


def key_hashes(keys: pd.Series) -> np.ndarray:
    """A 32-bit hash of each key (equal keys, equal hashes; different keys may share one).

    FNV-1a over the key's UTF-8 bytes (its first 64, then its length), computed a byte position at a
    time over every key at once on the Arrow buffers: no Python string per key.

    >>> hashes = key_hashes(pd.Series(["fan.1", "fan.2", "fan.1", ""], dtype="string"))
    >>> bool(hashes[0] == hashes[2]), bool(hashes[0] != hashes[1]), hashes.dtype
    (True, True, dtype('uint32'))
    """
    column = pa.array(keys.fillna(""), type=pa.large_string())
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    count = len(column)
    offsets = np.frombuffer(column.buffers()[1], dtype=np.int64)[column.offset:column.offset + count + 1]
    data = column.buffers()[2]
    text = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)
    lengths = np.diff(offsets)
    used = np.minimum(lengths, _HASHED_BYTES)
    order = np.argsort(-used, kind="stable")  # the longest first: position j is in the first `longer[j]` keys
    starts, hashes = offsets[:-1][order], np.full(count, 2166136261, dtype=np.uint32)
    longer = count - np.cumsum(np.bincount(used, minlength=_HASHED_BYTES + 1))
    prime = np.uint32(16777619)
    for j in range(int(used.max()) if count else 0):
        top = int(longer[j])
        hashes[:top] = (hashes[:top] ^ text[starts[:top] + j]) * prime
    hashes = (hashes ^ (lengths[order] & 0xFFFFFFFF).astype(np.uint32)) * prime
    out = np.empty(count, dtype=np.uint32)
    out[order] = hashes
    return out


def _among(values: np.ndarray, ordered: np.ndarray) -> np.ndarray:
    """Which of ``values`` are in the sorted array ``ordered``."""
    if not len(ordered):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(ordered, values), len(ordered) - 1)
    return ordered[at] == values


class FirstAccounts:
    """The accounts of a list read in pieces, each kept once (its first row, in file order): the
    accounts of a whole-file read.

    Each piece is written to a temporary Parquet file as it comes; only a 32-bit hash of each
    handle_key stays in memory (4 bytes a row, not the frames), so memory stays flat in rows.
    Rows that share a hash are told apart by their keys, read back from the file: a collision
    never drops an account.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     first = FirstAccounts(Path(tmp) / "spill.parquet")
    ...     first.add(pd.DataFrame({"handle_key": ["owner", "b", "c", "b"]}))
    ...     first.add(pd.DataFrame({"handle_key": ["owner", "c", "d"]}))
    ...     [list(p["handle_key"]) for p in first.pieces()]
    [['owner', 'b', 'c'], ['d']]
    """

    def __init__(self, spill: Path) -> None:
        self.spill = spill
        self._writer: pq.ParquetWriter | None = None
        self._schema: pa.Schema | None = None
        self._hashes: list[np.ndarray] = []

    def add(self, accounts: pd.DataFrame) -> None:
        """Keep a piece's accounts (on disk) for :meth:`pieces`."""
        if self._schema is None:
            self._schema = pa.Schema.from_pandas(accounts, preserve_index=False)
            self._writer = pq.ParquetWriter(self.spill, self._schema, compression="none")  # read back once, soon
        assert self._writer is not None
        self._writer.write_table(pa.Table.from_pandas(accounts, schema=self._schema, preserve_index=False))
        self._hashes.append(key_hashes(accounts["handle_key"]))

    def pieces(self) -> Iterator[pd.DataFrame]:
        """Each piece's accounts not seen before (in it or an earlier piece), piece by piece; then the
        temporary file is removed."""
        if self._writer is None:
            return
        self._writer.close()
        self._writer = None
        first = self._first()
        source = pq.ParquetFile(self.spill)
        start = 0
        for group in range(source.num_row_groups):  # a row group per piece added (or more, for a big one)
            table = source.read_row_group(group)
            keep = first[start:start + table.num_rows]
            start += table.num_rows
            yield table.filter(pa.array(keep)).to_pandas()
        self.discard()

    def _first(self) -> np.ndarray:
        """Which rows are a key's first: every row of a hash seen once; among rows sharing a hash, by key."""
        ordered = np.concatenate(self._hashes)
        ordered.sort()  # in place: 4 bytes a row, where a hash table of them would take 16
        repeated = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])  # hashes of two rows or more (few)
        del ordered
        shared = np.concatenate([_among(h, repeated) for h in self._hashes])  # piece by piece: small temporaries
        self._hashes = []
        first = ~shared
        rows = np.flatnonzero(shared)
        if len(rows):
            keys, start = [], 0
            source = pq.ParquetFile(self.spill)
            for group in range(source.num_row_groups):  # row group by row group (iter_batches reads ahead)
                column = source.read_row_group(group, columns=["handle_key"]).column(0)
                inside = rows[(rows >= start) & (rows < start + len(column))] - start
                keys += column.take(pa.array(inside)).to_pylist()
                start += len(column)
            first[rows] = ~pd.Series(keys, dtype=object).duplicated(keep="first").to_numpy()
        return first

    def discard(self) -> None:
        """Remove the temporary file (also after a failed import)."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        self.spill.unlink(missing_ok=True)


def _stage(problem: Problem) -> int:
    """Where a relationship row's problem comes in a whole file's list: handles, times, positions."""
    field = problem.field or problem.column
    if field == "handle":
        return 0 if problem.reason == NO_USERNAME else 1
    return {"followed_at": 2, "position": 3}.get(field or "", 4)


def order_problems(problems: list[Problem]) -> list[Problem]:
    """The problems of all pieces in the order a whole-file read lists them (by check, then row)."""
    return sorted(problems, key=lambda p: (_stage(p), p.row or 0))
