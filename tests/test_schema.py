import pandas as pd
import pytest

from investigate.errors import SchemaError
from investigate.schema import TABLES, handle_key, handle_keys, validate


@pytest.mark.parametrize("shown, key", [
    ("@Fake.Head_Teacher", "fake.head_teacher"),
    ("  fake.head  ", "fake.head"),
    ("https://www.instagram.com/Fake.Head/", "fake.head"),
    ("https://www.instagram.com/_u/Fake.Head/?igsh=MWQ1ZGUx", "fake.head"),
    ("instagram.com/fake.head", "fake.head"),
    ("https://www.tiktok.com/@Prank.Page?lang=en", "prank.page"),
    ("https://x.com/PrankPage", "prankpage"),
    ("＠ｆａｋｅ", "fake"),  # full-width forms fold under NFKC
])
def test_handle_key_forms(shown, key):
    assert handle_key(shown) == key
    assert handle_keys(pd.Series([shown])).iloc[0] == key


def test_handle_key_keeps_homoglyphs_distinct():
    # a Cyrillic "о" is a different account: lookalike detection is the analysis layer's job
    assert handle_key("grimblewооd") != handle_key("grimblewood")


def test_validate_names_missing_columns():
    with pytest.raises(SchemaError) as err:
        validate(pd.DataFrame({"platform": ["tiktok"]}), "relationships")
    assert "follower" in str(err.value) and "followed" in str(err.value)


def test_validate_names_wrong_types_and_empty_required():
    frame = pd.DataFrame({"platform": ["tiktok"], "account": ["a"], "posted_at": ["not a date"]})
    with pytest.raises(SchemaError, match="posted_at"):
        validate(frame, "posts")
    with pytest.raises(SchemaError, match="must not be empty"):
        validate(pd.DataFrame({"platform": ["x"], "follower": [""], "followed": ["b"]}), "relationships")


def test_validate_returns_canonical_dtypes():
    frame = validate(pd.DataFrame({"platform": ["tiktok"], "account": ["a"],
                                   "posted_at": ["2025-11-03T19:02:00+01:00"], "likes": ["12"]}), "posts")
    assert list(frame.columns) == list(TABLES["posts"])
    assert str(frame["posted_at"].dtype) == "datetime64[ns, UTC]"
    assert frame["posted_at"].iloc[0] == pd.Timestamp("2025-11-03T18:02:00Z")
    assert frame["likes"].iloc[0] == 12
