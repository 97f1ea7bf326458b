"""Vectorised readers give what the value-by-value readers they stand in front of give (property tests).

Each fast path (Arrow compute over a whole piece) decides only the values it can read exactly and
leaves the rest to the older reader; on generated inputs the answers must be the older reader's.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from investigate.loaders import _times

ZONES = ("Europe/London", "UTC", "America/New_York", "Australia/Lord_Howe")
LAYOUTS = (*_times._PLAIN_LAYOUTS, "%Y-%m-%dT%H:%M:%S.%f", "%-d/%-m/%Y %H:%M", "%d/%m/%y", "%Y-%m-%dT%H:%MZ",
           "%Y-%m-%d %H:%M:%S %z", "%d %B %Y")
#: near the clock changes of the zones above (a local time that happened twice or never), and anywhere
_CHANGES = [datetime(2025, 3, 30, 0, 30), datetime(2025, 10, 26, 0, 30), datetime(2025, 3, 9, 1, 30),
            datetime(2025, 11, 2, 0, 30), datetime(2025, 4, 6, 1, 0), datetime(2025, 10, 5, 1, 30)]

moments = st.one_of(
    st.builds(lambda base, minutes: base + timedelta(minutes=minutes), st.sampled_from(_CHANGES),
              st.integers(0, 150)),
    st.datetimes(min_value=datetime(1600, 1, 1), max_value=datetime(2400, 12, 31)),
)
written = st.builds(lambda moment, layout: moment.strftime(layout), moments, st.sampled_from(LAYOUTS))
#: texts near a layout but not in it: a day past the month's end, hour 24, second 60, stray spaces...
damaged = st.one_of(
    st.builds("{}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}".format, st.integers(1990, 2030), st.integers(0, 13),
              st.integers(0, 32), st.integers(0, 25), st.integers(0, 61), st.integers(0, 61)),
    st.builds("{:02d}/{:02d}/{} {:02d}:{:02d}".format, st.integers(0, 32), st.integers(0, 13),
              st.integers(1990, 2030), st.integers(0, 25), st.integers(0, 61)),
    st.builds("{:02d}-{:02d}-{}".format, st.integers(0, 32), st.integers(0, 13), st.integers(1990, 2030)),
    st.text(alphabet="0123456789-/:T Z+.", max_size=22),
    st.sampled_from(["", " ", "1700000000", "1700000000123", "not a date", "2025-04-01 08:00 ", " 27/11/2025"]),
)
cells = st.one_of(written, damaged, st.none())


@settings(max_examples=200, deadline=None)
@given(st.lists(cells, min_size=1, max_size=40), st.sampled_from(ZONES))
def test_parse_times_is_the_value_by_value_reader(values: list[str | None], zone: str) -> None:
    series = pd.Series(values, dtype="string", index=pd.RangeIndex(7, 7 + len(values)))
    times, reasons = _times.parse_times(series, zone)
    old_times, old_reasons = _times._parse_distinct(series, zone)
    pd.testing.assert_series_equal(times, old_times)
    pd.testing.assert_series_equal(reasons, old_reasons)


def test_the_plain_layouts_read_a_clock_change_as_the_value_by_value_reader_does() -> None:
    values = pd.Series(["2025-03-30T01:30:00", "2025-10-26 01:30", "30/03/2025 00:59", "2025-02-29", "29/02/2024"],
                       dtype="string")
    times, reasons, read = _times._plain_layouts(values.str.strip(), "Europe/London")
    assert read.tolist() == [True, True, True, False, True]  # 29 February 2025 is left to the other reader
    assert reasons.tolist()[:2] == [_times.CLOCK_CHANGE.format(zone="Europe/London")] * 2
    assert [str(t) for t in times[2:]] == ["2025-03-30 00:59:00+00:00", "NaT", "2024-02-29 00:00:00+00:00"]
    assert _times.parse_times(values, "Europe/London")[1][3] == _times.UNREADABLE


def test_a_local_time_after_2037_is_read_with_the_zone_rules_carried_on() -> None:
    times, _ = _times.parse_times(pd.Series(["2040-07-01T12:00:00"], dtype="string"), "Europe/London")
    assert str(times[0]) == "2040-07-01 11:00:00+00:00"  # summer time (BST), as in every year before


def test_a_year_outside_what_a_time_holds_is_unreadable_not_a_crash() -> None:
    times, reasons = _times.parse_times(pd.Series(["2300-01-01", "1600-05-01T10:00Z", "01/01/2300 10:00",
                                                   "1 Jan 2300"], dtype="string"), "Europe/London")
    assert times.isna().all() and (reasons == _times.UNREADABLE).all()


def test_a_day_first_date_with_dashes_is_read_not_taken_for_a_zone() -> None:
    times, reasons = _times.parse_times(pd.Series(["03-02-2025", "03-02-2025 13:05"], dtype="string"), "UTC")
    assert [str(t) for t in times] == ["2025-02-03 00:00:00+00:00", "2025-02-03 13:05:00+00:00"]
    assert reasons.isna().all()


# ----------------------------------------------------------------------------- Instagram lists in columns
def _entry(value: object = "fan", when: object = 1_700_000_000, href: object = None, title: object = "",
           extra: dict | None = None) -> dict:
    item: dict = {} if value is None else {"value": value}
    if href is not None:
        item["href"] = href
    if when is not None:
        item["timestamp"] = when
    return {"title": title, "media_list_data": [], "string_list_data": [item], **(extra or {})}


handles = st.one_of(
    st.from_regex(r"[a-z0-9._]{1,30}", fullmatch=True),
    st.sampled_from(["@Zephyrine.Quill", " padded.name ", "Zo\u00c3\u00ab.fan", "ok\u00e9", "bad\u00a0space", "@",
                     "<img src=x>", "two words", "ctrl\u001bx", "q\"uote", "back\\slash", "x" * 51, "", " ",
                     "caf\u00c3\u00a9 \u00f0\u009f\u0091\u008f", "\u0130stanbul"]),
)
times = st.one_of(st.none(), st.sampled_from([0, -5, 10**16, 1_700_000_000_123, 99_999_999_999, 100_000_000_001]),
                  st.integers(1, 2_000_000_000))
links = st.one_of(st.none(), st.sampled_from(["https://www.instagram.com/_u/From.Link/?igsh=1",
                                              "https://example.com/nothing", " https://www.instagram.com/a.b "]))
entries = st.builds(_entry, st.one_of(handles, st.none()), times, links,
                    st.sampled_from(["", "title.only", " ", "T\u00c3\u00a9"]))


def _load_both(tmp_path, monkeypatch, body: bytes):
    from investigate.loaders import LoadOptions, _json_lists, load

    path = tmp_path / "followers_1.json"
    path.write_bytes(body)
    options = LoadOptions(account="fake.head", observed_at=pd.Timestamp("2025-11-20", tz="UTC"))
    monkeypatch.setenv("INVESTIGATE_STREAM_BYTES", "1")
    monkeypatch.setattr(_json_lists, "PIECE_BYTES", 4096)  # many pieces, and entries cut between them
    with open(path, "rb") as handle:
        columns = _json_lists.read(handle.read(3) and handle if body.startswith(b"\xef\xbb\xbf") else handle)
    streamed = load(path, format="instagram", options=options)
    monkeypatch.setattr(_json_lists, "read", lambda handle: None)  # entry by entry, as before
    one_by_one = load(path, format="instagram", options=options)
    return columns, streamed, one_by_one


def _same(streamed, one_by_one) -> None:
    assert streamed.problems == one_by_one.problems
    assert streamed.frames.keys() == one_by_one.frames.keys()
    for name, frame in one_by_one.frames.items():
        pd.testing.assert_frame_equal(streamed.frames[name], frame)
        assert streamed.frames[name].equals(frame), name


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(listed=st.lists(entries, min_size=1, max_size=60), pretty=st.booleans(), bom=st.booleans())
def test_a_followers_list_read_in_columns_is_the_entry_by_entry_read(tmp_path_factory, listed, pretty, bom) -> None:
    import json

    tmp_path = tmp_path_factory.mktemp("columns")
    body = json.dumps(listed, indent=2 if pretty else None, ensure_ascii=True).encode()
    with pytest.MonkeyPatch.context() as monkeypatch:
        columns, streamed, one_by_one = _load_both(tmp_path, monkeypatch, (b"\xef\xbb\xbf" if bom else b"") + body)
    assert columns is not None  # read in columns, not handed back
    _same(streamed, one_by_one)


@pytest.mark.parametrize("body", [
    b'[{"title": "", "string_list_data": [{"value": "a", "timestamp": 1}]}, 3]',  # a number in the list
    b'[{"title": "", "string_list_data": [{"value": "a"}]}, null]',
    b'[{"title": "", "string_list_data": [{"value": "a"}]},]',  # a comma too many
    b'[{"title": "", "string_list_data": [{"value": "a"}]} {"title": "b"}]',  # no comma
    b'[{"title": "", "string_list_data": [{"Value": "a"}]}]',  # another key (read case-blind, entry by entry)
    b'[{"title": "", "string_list_data": [{"value": "a", "timestamp": "1700000000"}]}]',  # a time as text
    b'[{"title": "", "string_list_data": [{"value": "a", "timestamp": 1.5e9}]}]',
    b'[{"title": "", "string_list_data": [{"value": "a"}], "title": "b"}]',  # a key twice
    b'[{"title": "", "string_list_data": [{"value": "a\\u00e9"}]}] trailing',
    b'[{"title": "", "string_list_data": [{"value": "a"}]}',  # cut short
    b'["fan"]', b'[]', b'[{"title": "a\x01b"}]', b'[{"title": "\xff"}]',
])
def test_what_the_column_reader_cannot_read_exactly_is_read_entry_by_entry(tmp_path, monkeypatch, body) -> None:
    from investigate.errors import InvestigateError

    try:
        columns, streamed, one_by_one = _load_both(tmp_path, monkeypatch, body)
    except InvestigateError as exc:  # the entry-by-entry reader's message: the same with or without columns
        from investigate.loaders import LoadOptions, load

        monkeypatch.undo()
        monkeypatch.setenv("INVESTIGATE_STREAM_BYTES", "1")
        with pytest.raises(type(exc), match=re.escape(str(exc))):
            load(tmp_path / "followers_1.json", format="instagram",
                 options=LoadOptions(account="fake.head", observed_at=pd.Timestamp("2025-11-20", tz="UTC")))
        return
    assert columns is None
    _same(streamed, one_by_one)


def test_the_list_as_lines_is_the_same_whatever_the_pieces(tmp_path) -> None:
    import io
    import json

    from investigate.loaders._json_lists import _Lines

    listed = [_entry(f"fan.{n}", extra={"media_list_data": [], "title": 'say "hi", [ok] {x}\\'}) for n in range(40)]
    body = json.dumps(listed, indent=1).encode()

    def lines(size: int) -> bytes:
        reader, out = _Lines(io.BytesIO(body)), b""
        buffer = bytearray(size)
        while count := reader.readinto(memoryview(buffer)):
            out += bytes(buffer[:count])
        return out

    whole = lines(len(body) + 1)
    assert whole.count(b"\n") == 39 and b"\n" not in whole.strip().split(b"\n")[0]
    assert [json.loads(line) for line in whole.split(b"\n")] == listed
    for size in (1, 2, 3, 7, 64, 1000):
        assert lines(size) == whole, size
