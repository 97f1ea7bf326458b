"""Where each imported row of a web-archive capture came from: the WARC record it was read from.

A capture's import keeps, per record read (``capture_records``), the positions of its rows in the
import's Parquet parts; :func:`capture_provenance` puts the record beside each row.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .case import PARTS_DIR, Case
from .errors import InvestigateError

if TYPE_CHECKING:
    import pandas as pd

#: the tables whose rows a capture's records point at
CAPTURED_TABLES = ("relationships", "posts", "interactions")
#: the columns each row gets from its record
PROVENANCE_COLUMNS = ("evidence_id", "record_id", "target_uri", "captured_at", "payload_digest")


def capture_provenance(case: Case, table: str) -> pd.DataFrame:
    """The rows of ``table`` read from web-archive captures, each with the record it was read from
    (``record_id``: WARC-Record-ID, ``target_uri``, ``captured_at``: WARC-Date, ``payload_digest``, and
    the capture's ``evidence_id``), in import order. Rows from other imports are not included."""
    import pandas as pd

    if table not in CAPTURED_TABLES:
        raise InvestigateError(f"Capture records point at rows of {', '.join(CAPTURED_TABLES)}, not of {table}.")
    records = case.table("capture_records")
    records = records[records["rows"].notna()]
    parts = case.parts()
    frames = []
    for import_id, mine in records.groupby("import_id", sort=True):
        files = parts[(parts["import_id"] == import_id) & (parts["table_name"] == table)]["file"].tolist()
        if not files:
            continue
        rows = pd.read_parquet(case.locate(PARTS_DIR, files[0]))
        columns = {c: pd.Series(pd.NA, index=rows.index, dtype=records[c].dtype) for c in PROVENANCE_COLUMNS}
        for _, record in mine.iterrows():
            first, count = json.loads(str(record["rows"])).get(table, (0, 0))
            for column in PROVENANCE_COLUMNS:
                columns[column].iloc[first:first + count] = record[column]
        found = rows.drop(columns=["evidence_id"], errors="ignore").assign(**columns)
        frames.append(found[found["record_id"].notna()])
    if not frames:
        return pd.DataFrame(columns=[*case.table(table).columns.drop("evidence_id"), *PROVENANCE_COLUMNS])
    return pd.concat(frames, ignore_index=True)
