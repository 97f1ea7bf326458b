"""Importing a file into a case: read it, register it as evidence, store its rows, all or nothing."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from . import _faults
from .case import BULK_TABLES, PARTS_DIR, STAGING_DIR, Case, PartWriter, insert_frame
from .dates import read_optional
from .errors import CaptureError, CaseError, InputError, InvestigateError, Problem
from .evidence import record, stage
from .loaders import (
    CONTROL,
    FirstAccounts,
    LoadOptions,
    LoadResult,
    StreamRefused,
    bad_handles,
    load,
    order_problems,
    read_pieces,
    streamable,
)
from .plain import format_words
from .schema import LIST_ORDERS, known_platform, validate
from .words import handle_key, name_key, shown_handles

log = logging.getLogger("investigate")


@dataclass
class ImportResult:
    """What an import stored: counts per table, the evidence id, and rows refused."""

    file: str
    format: str
    evidence_id: str
    import_id: int
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # read, but worth checking: repaired lines, skipped files

    def summary(self) -> str:
        """One paragraph: what was stored, how many rows were refused, then each note on its own line."""
        stored = ", ".join(f"{n} {t}" for t, n in self.counts.items() if n) or "nothing"
        text = f"{Path(self.file).name} ({self.format}, evidence {self.evidence_id}): stored {stored}"
        if self.problems:
            text += f"; {len(self.problems)} row(s) could not be read and were NOT imported"
        return "\n".join([text, *(f"  note: {note}" for note in self.notes)])


def import_file(
    case: Case,
    path: str | Path,
    *,
    format: str = "auto",
    platform: str | None = None,
    account: str | None = None,
    list_kind: str | None = None,
    observed_at: str | pd.Timestamp | None = None,
    order: str | None = None,
    skip_bad_rows: bool = False,
    who: str | None = None,
) -> ImportResult:
    """Import one file. Raises :class:`InputError` listing every unreadable row, unless
    ``skip_bad_rows`` is set, in which case good rows are stored and the bad ones are recorded
    in the ``rejects`` table. On any error the case is left exactly as it was.

    ``order`` (one of :data:`~investigate.schema.LIST_ORDERS`) says how a followers/following list
    was sorted when it was taken; it is kept with the import and each of its relationships.
    """
    path = Path(path)
    platform = known_platform(platform) if platform is not None else None
    if account is not None:
        _check_account(account)
    if order is not None and order not in LIST_ORDERS:
        raise InputError(f"The list order {order!r} is not one the kit knows; say {', '.join(LIST_ORDERS)}.")
    observed = read_optional(observed_at, case.timezone, what="--observed-at") or pd.Timestamp.now(tz="UTC")
    options = LoadOptions(platform=platform, account=account, list_kind=list_kind,
                          timezone=case.timezone, observed_at=observed.tz_convert("UTC"), order=order)
    if streamable(path, format=format, options=options):
        try:
            return _import_in_pieces(case, path, options, skip_bad_rows=skip_bad_rows, who=who)
        except StreamRefused as exc:  # nothing was kept: read the file whole, which says what is wrong
            log.info("%s cannot be read in pieces (%s): reading it whole", path.name, exc)
    log.info("reading %s", path.name)
    try:
        result: LoadResult = load(path, format=format, options=options)
    except CaptureError as exc:  # registered with its failure stated; nothing is imported from it
        raise _refused_capture(case, path, exc, who=who) from None
    if result.problems and not skip_bad_rows:
        raise _unreadable(path, result.problems)
    frames = {name: _with_order(validate(df, name, source=path.name), options)
              for name, df in result.frames.items()}
    _refuse_control_characters(frames, path)
    if not any(len(df) for df in frames.values()):
        raise InputError(f"{path.name}: no rows to import were found in this file.", result.problems)
    if "people" in frames:
        _refuse_person_id_clash(case.table("people"), frames["people"], path)
    if result.format == "wacz" and options.order is None and "relationships" in frames:
        options = replace(options, order="app")  # a list from a capture is in the app's order
    details = {"file": path.name, "format": result.format, "sha256": "",
               "rows": {n: len(df) for n, df in frames.items()}, "rejected": len(result.problems),
               **({"notes": result.notes[:100]} if result.notes else {}),
               **({"proof": result.evidence["proof"]} if result.evidence.get("proof") else {})}
    told = result.evidence
    # files are staged outside evidence/ and tables/ and put in place once the transaction commits
    with case.transaction(who=who, what="file imported", details=details) as conn:
        staged = stage(case, conn, path)
        details["sha256"] = staged.sha256
        captured = told.get("captured_at")
        evidence_id, new = record(conn, staged,
                                  captured_at=observed.tz_convert("UTC") if captured is None else captured,
                                  source_url=told.get("source_url"),
                                  description=told.get("description") or f"imported as {format_words(result.format)}",
                                  registered_by=who)
        if not new:
            _refuse_second_import(conn, path, evidence_id, options)
        import_id = _record_import(conn, path, result.format, options, evidence_id, who=who,
                                   rows=result.rows, rejected=len(result.problems))
        details["import_id"] = import_id  # which import wrote these rows (withdrawals.py reads it)
        for name, df in frames.items():
            # a capture's chronology entries are its own records: they point at it too
            if "evidence_id" in df.columns and (name != "events" or result.format == "wacz"):
                df = df.assign(evidence_id=df["evidence_id"].fillna(evidence_id))
            if name in ("captures", "capture_records"):
                df = df.assign(import_id=import_id)
            if name in BULK_TABLES:
                case.write_part(conn, name, import_id, df)
            else:
                insert_frame(conn, name, df)
        _record_rejects(conn, path, import_id, result.problems)
    counts = {name: len(df) for name, df in frames.items()}
    return ImportResult(str(path), result.format, evidence_id, import_id, counts, result.problems,
                        [*result.notes, *_order_notes(options), *same_list_notes(case, import_id)])


def _import_in_pieces(case: Case, path: Path, options: LoadOptions, *, skip_bad_rows: bool,
                      who: str | None) -> ImportResult:
    """A large followers/following CSV imported block by block (see :mod:`.loaders._stream`).

    The same rows, checks and records as a whole-file import, with the rows written to their
    Parquet part as they are read, so memory stays near one block's. Runs inside one case
    transaction: on a refused row (without ``skip_bad_rows``) or any error, the part, the
    evidence copy and every record are undone (the files are staged until the commit). Raises
    :class:`StreamRefused` when the file must be read whole (nothing is kept then either).
    """
    assert options.observed_at is not None
    parts: list[PartWriter] = []
    problems: list[Problem] = []
    accounts: FirstAccounts | None = None
    # the audit entry is written when the transaction ends: its counts are filled in below
    details = {"file": path.name, "format": "csv", "sha256": "", "rows": {}, "rejected": 0}
    try:
        with case.transaction(who=who, what="file imported", details=details) as conn:
            staged = stage(case, conn, path)
            details["sha256"] = staged.sha256
            evidence_id, new = record(conn, staged, captured_at=options.observed_at,
                                      description=f"imported as {format_words('csv')}",
                                      registered_by=who)
            if not new:
                _refuse_second_import(conn, path, evidence_id, options)
            # its imports row is written once, with its counts, at the end (record rows are never updated)
            import_id = int(conn.execute("SELECT COALESCE(MAX(import_id), 0) + 1 FROM imports").fetchone()[0])
            details["import_id"] = import_id
            relationships = case.part_writer("relationships", import_id)
            parts.append(relationships)
            # the accounts wait on disk, in the staging area (removed below, or by the next open after a crash)
            accounts = FirstAccounts(case.path / STAGING_DIR / PARTS_DIR / f".accounts-{import_id:05d}.spill")
            log.info("reading %s in pieces", path.name)
            for piece in read_pieces(path, options):
                problems += piece.problems
                if not problems or skip_bad_rows:  # else nothing will be kept: only list every refused row
                    rel = _with_order(validate(piece.relationships, "relationships", source=path.name), options)
                    relationships.write(rel.assign(evidence_id=rel["evidence_id"].fillna(evidence_id)))
                    accounts.add(validate(piece.accounts, "accounts", source=path.name))
                    del rel
                    _faults.point("piece written")
                del piece  # freed before the next piece is read
            problems = order_problems(problems)
            if problems and not skip_bad_rows:
                raise _unreadable(path, problems)
            owners = case.part_writer("accounts", import_id)
            parts.append(owners)
            for piece_accounts in accounts.pieces():
                found = validate(piece_accounts, "accounts", source=path.name)
                owners.write(found.assign(evidence_id=found["evidence_id"].fillna(evidence_id)))
            for part in parts:
                part.finish(conn)
            counts = {"relationships": relationships.rows, "accounts": owners.rows}
            details["rows"], details["rejected"] = counts, len(problems)
            if _record_import(conn, path, "csv", options, evidence_id, who=who, rows=relationships.rows,
                              rejected=len(problems)) != import_id:
                raise CaseError(f"The import of {path.name} could not keep its number {import_id}; "
                                "nothing was imported.")
            _record_rejects(conn, path, import_id, problems)
    except BaseException:
        for part in parts:
            part.discard()
        if accounts is not None:
            accounts.discard()
        raise
    return ImportResult(str(path), "csv", evidence_id, import_id, counts, problems,
                        [*_order_notes(options), *same_list_notes(case, import_id)])


def _refused_capture(case: Case, path: Path, exc: CaptureError, *, who: str | None) -> CaptureError:
    """Register a capture that failed its checks, with the failure stated (evidence row, ``captures``
    row, audit entry), importing nothing from it; returns the error to raise, naming its evidence id."""
    from .loaders.wacz import refused_frame

    details = {"file": path.name, "format": "wacz", "sha256": "", "proof": exc.proof}
    with case.transaction(who=who, what="capture refused", details=details) as conn:
        staged = stage(case, conn, path)
        details["sha256"] = staged.sha256
        evidence_id, new = record(conn, staged, description=f"NOT IMPORTED: {exc.proof}", registered_by=who)
        if new:
            insert_frame(conn, "captures", validate(refused_frame(exc.proof).assign(evidence_id=evidence_id),
                                                    "captures"))
    return CaptureError(f"{exc}\nThe file is registered as evidence {evidence_id}, with the failure stated.", exc.proof)


def _refuse_person_id_clash(people: pd.DataFrame, incoming: pd.DataFrame, path: Path) -> None:
    """Refuse a people list giving an id the case already uses for someone of another name: the rows would be
    merged into that person. (A list without ids is numbered P0002, P0003... by its rows, as is the next one.)"""
    known = dict(zip(people["person_id"].astype(str), people["name"].astype(str), strict=True))
    clashes = [Problem(str(path), None, "person id", f"{pid} is already {known[pid]} in this case", f"{pid} {name}")
               for pid, name in zip(incoming["person_id"].astype(str), incoming["name"], strict=True)
               if pid in known and name_key(known[pid]) != name_key(name)]
    if clashes:
        raise InputError(f"{path.name}: {len(clashes)} person id(s) in this list are already used in this case for "
                         "someone else, so nothing was imported. Give the list a person id column (e.g. the "
                         "school's UPN or staff code), or add people one by one with investigate person.", clashes)


#: columns whose text goes to the analyst's terminal as it is (``investigate leads`` prints handles and names)
_SHOWN_COLUMNS = ("follower", "followed", "actor", "on_account", "account", "handle", "display_name")


def _refuse_control_characters(frames: dict[str, pd.DataFrame], path: Path) -> None:
    """Refuse handles and names holding terminal control characters (ESC, BEL, backspace, DEL...),
    whichever loader read them: printed, they would clear or retitle the analyst's terminal. The
    loaders refuse them row by row where they can; this is the last check before anything is stored."""

    problems = []
    for name, df in frames.items():
        for column in _SHOWN_COLUMNS:
            if column not in df.columns or not len(df):
                continue
            values = df[column].astype("string")
            found = values.str.contains(CONTROL, regex=True).fillna(False)
            problems += [Problem(str(path), None, column, f"a control character (such as ESC, BEL, backspace or "
                                 f"DEL) in a {column.replace('_', ' ')} of the {name} read from it", str(value))
                         for value in values[found].unique()[:50]]
    if problems:
        raise InputError(f"{path.name}: {len(problems)} handle(s) or name(s) hold control characters, so nothing was "
                         "imported. The file may have been made to attack the computer it is read on; keep it as "
                         "it is and ask for another copy of the data.", problems)


def _check_account(account: str) -> None:
    """Refuse an ``--account`` that is not a username (empty, or with spaces, quotes, < > or a NUL)."""
    shown = shown_handles(pd.Series([account], dtype="string"))
    if shown.iloc[0] == "" or bad_handles(shown).iloc[0]:
        raise InputError(f"The account {account!r} is not a username: a username has no spaces, quotes, < >, "
                         "NUL or control characters. Give the account's handle as the platform shows it "
                         "(e.g. fake.head or @fake.head), or its profile link.")


def _order_notes(options: LoadOptions) -> list[str]:
    """A note when a followers/following list came without its order: its positions will not count."""
    if options.order is None and options.list_kind in ("followers", "following"):
        return ["the list's order was not given (--order oldest-first|newest-first|app), so positions in it "
                "are shown but never count as evidence"]
    return []


def _with_order(df: pd.DataFrame, options: LoadOptions) -> pd.DataFrame:
    """Relationships with the list order given on import, where the loader did not know one."""
    if options.order is None or "list_order" not in df.columns:
        return df
    return df.assign(list_order=df["list_order"].fillna(options.order))


def _unreadable(path: Path, problems: list[Problem]) -> InputError:
    return InputError(
        f"{path.name}: {len(problems)} row(s) could not be read, so nothing was imported. Correct them, or "
        "import the other rows with --skip-bad-rows (the bad rows are then listed in the case).",
        problems,
    )


def _refuse_second_import(conn: sqlite3.Connection, path: Path, evidence_id: str, options: LoadOptions) -> None:
    """Raise when these bytes were already imported as the same list of the same account (the
    account compared as a handle key: ``@Fake.Head`` and ``fake.head`` are one account) and that
    import still counts. The message says whether the options were the same, and how to replace
    the earlier import (withdraw it, then import again). An import that was withdrawn is no bar."""
    earlier = conn.execute(
        "SELECT import_id, account, list_order FROM imports WHERE evidence_id = ? AND COALESCE(list_kind,'') = ? "
        "AND import_id NOT IN (SELECT import_id FROM withdrawals WHERE import_id IS NOT NULL) ORDER BY import_id",
        (evidence_id, options.list_kind or ""),
    ).fetchall()
    for import_id, account, order in earlier:
        if handle_key(account or "") != handle_key(options.account or ""):
            continue
        undo = (f"If import {import_id} was wrong, withdraw it first (investigate withdraw CASE_DIR {import_id} "
                '--reason "..."; in the app: Withdraw, under Imported files), then import the file again.')
        if (order or None) == (options.order or None):
            raise InvestigateError(
                f"{path.name} was already imported into this case as import {import_id} (evidence {evidence_id}) "
                f"with the same options; importing it again would count its rows twice. {undo}")
        was = f"with --order {order}" if order else "without --order"
        now = f"with --order {options.order}" if options.order else "without --order"
        raise InvestigateError(
            f"{path.name} was already imported into this case as import {import_id} (evidence {evidence_id}) "
            f"{was}; importing it again {now} would count its rows twice. {undo}")


def same_list_notes(case: Case, import_id: int) -> list[str]:
    """A warning when import ``import_id`` holds exactly the accounts of another followers/following list
    of the same account that still counts (say, one followers file imported again as its following):
    everyone would then be 'on both lists'. Empty when there is nothing to warn about."""
    imports = case.table("imports")
    withdrawn = set(case.table("withdrawals")["import_id"].dropna().astype(int))
    mine = imports[imports["import_id"] == import_id]
    if mine.empty or pd.isna(mine["account"].iloc[0]):
        return []
    owner = handle_key(str(mine["account"].iloc[0]))
    same = imports[(imports["import_id"] != import_id) & ~imports["import_id"].isin(withdrawn)
                   & imports["list_kind"].isin(["followers", "following"])
                   & (imports["account"].fillna("").map(handle_key) == owner)]
    if same.empty:
        return []
    parts = case.parts()
    parts = parts[parts["table_name"] == "relationships"]

    def members(iid: int) -> frozenset[str]:
        found: set[str] = set()
        for file in parts.loc[parts["import_id"] == iid, "file"]:
            rel = pd.read_parquet(case.locate(PARTS_DIR, str(file)), columns=["follower", "followed"])
            found |= set(rel["follower"].where(rel["followed"] == owner, rel["followed"]).dropna().astype(str))
        found.discard(owner)
        return frozenset(found)

    listed = members(import_id)
    if not listed:
        return []
    notes = []
    for row in same.itertuples(index=False):
        if members(int(row.import_id)) == listed:
            notes.append(
                f"WARNING: this list holds exactly the same {len(listed):,} account(s) as import {row.import_id} "
                f"({row.file}, {row.list_kind} of @{owner}). If one file was imported as two lists, every account "
                f"in it now looks as if it is on both: withdraw the wrong import (investigate withdraw CASE_DIR "
                f"{import_id} --reason \"...\"; in the app: Withdraw, under Imported files).")
    return notes


def _record_import(conn: sqlite3.Connection, path: Path, format: str, options: LoadOptions, evidence_id: str, *,
                   who: str | None, rows: int, rejected: int) -> int:
    """One row of the ``imports`` table; returns its import_id."""
    cur = conn.execute(
        "INSERT INTO imports (at, who, file, format, list_kind, account, list_order, evidence_id, rows, rejected) "
        "VALUES (?,?,?,?,?,?,?,?,?,?)",
        (pd.Timestamp.now(tz="UTC").isoformat(), who, path.name, format, options.list_kind, options.account,
         options.order, evidence_id, rows, rejected),
    )
    return int(cur.lastrowid or 0)


def _record_rejects(conn: sqlite3.Connection, path: Path, import_id: int, problems: list[Problem]) -> None:
    """The rows that could not be read (imported with skip_bad_rows), in the ``rejects`` table; ``file``
    names the file inside an export where the row was (``following.json``), else the imported file."""
    if problems:
        insert_frame(conn, "rejects", validate(pd.DataFrame([
            {"import_id": import_id, "file": Path(p.file).name or path.name, "row": p.row, "column": p.column,
             "value": p.value,
             "reason": p.reason} for p in problems]), "rejects"))
