"""Trust-wide linking: keyed tokens, the match across sibling schools, reveal, refusals."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from investigate import link
from investigate.case import Case
from investigate.cli import main
from investigate.link_case import export_tokens, match_tokens, new_key_file, reveal_token
from investigate.training import build_case, generate_siblings

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))


def _roles(*rows: tuple[str, str, int | None]) -> pd.DataFrame:
    return pd.DataFrame([("tiktok", h, r, n) for h, r, n in rows],
                        columns=["platform", "handle_key", "role", "n"]).astype({"n": "Int64"})


def _file(roles: pd.DataFrame, case: str, school: str, key: bytes = KEY) -> dict[str, Any]:
    content = link.token_file(roles, key, school=school, case=case, made_at="2026-12-07T23:00:00Z")
    return link.read_token_file(link.token_file_text(content).encode(), name=f"{case}.tokens")


# ------------------------------------------------------------------------------------ pure module
def test_key_id_is_not_the_key_and_a_changed_key_file_is_refused() -> None:
    text = link.key_file_text(KEY, officer="Ms Ottoline Thistlewick", made_at="2026-12-07T23:00:00Z")
    assert link.read_key_file(text, name="trust.key") == (KEY, "Ms Ottoline Thistlewick")
    assert KEY.hex() not in link.key_id(KEY) and link.key_id(KEY) != link.key_id(OTHER_KEY)
    data = json.loads(text)
    data["key"] = OTHER_KEY.hex()
    with pytest.raises(link.LinkError, match="key_id"):
        link.read_key_file(json.dumps(data), name="trust.key")
    with pytest.raises(link.LinkError, match="officer"):
        link.key_file_text(KEY, officer="  ", made_at="x")


def test_tokens_are_keyed_hmacs_of_platform_and_handle_key() -> None:
    import hashlib
    import hmac

    expected = hmac.new(KEY, b"tiktok:mrs.quillfeather", hashlib.sha256).hexdigest()[:32]
    assert link.account_token(KEY, "TikTok", "@Mrs.Quillfeather ") == expected
    assert link.account_token(OTHER_KEY, "tiktok", "mrs.quillfeather") != expected
    # a lookalike (Cyrillic о, 1 for l) has another account token but the same lookalike token
    fake = "mrs.quil1feath\u0435r"
    assert link.account_token(KEY, "tiktok", fake) != expected
    assert link.lookalike_token(KEY, "tiktok", fake) == link.lookalike_token(KEY, "tiktok", "mrs.quillfeather")
    assert link.lookalike_token(KEY, "tiktok", "j.o") is None  # too short to be a lookalike of anything


def test_a_lookalike_across_schools_is_found_and_said_without_a_handle() -> None:
    west = _file(_roles(("mrs.quillfeather", "subject", None), ("barnaby_07", "follower", None)), "W-12",
                 "Grimblewood Academy")
    north = _file(_roles(("mrs.quil1feather", "copycat", None), ("ottoline.pudd", "follower", None)), "N-07",
                  "Puddingstone School")
    result = link.match_files([west, north])
    assert len(result["links"]) == 1
    found = result["links"][0]
    assert found["kind"] == "lookalike"
    assert found["words"] == ("A lookalike of the subject in case W-12 (Grimblewood Academy) is a copycat in "
                              "case N-07 (Puddingstone School).")
    assert "quil" not in json.dumps(result)


def test_match_ranks_by_roles_and_counts_plain_followers_without_listing_them() -> None:
    west = _file(_roles(("mrs.quillfeather", "subject", None), ("crispin.nett", "first_follower", 2),
                        ("crispin.nett", "follower", None), ("f0llow.4.f0llow", "follower", None),
                        ("cosmo_11", "lead", 1)), "W-12", "Grimblewood Academy")
    north = _file(_roles(("the.real.puddingstone", "subject", None), ("crispin.nett", "subject", None),
                         ("f0llow.4.f0llow", "follower", None), ("cosmo_11", "follower", None)),
                  "N-04", "Puddingstone School")
    result = link.match_files([west, north])
    words = [lk["words"] for lk in result["links"]]
    assert words == [
        "The subject in case N-04 (Puddingstone School) is the 2nd follower of the subject in case W-12 "
        "(Grimblewood Academy). (in W-12 also a follower of the subject.)",
        "The 1st lead for the subject in case W-12 (Grimblewood Academy) is a follower of the subject in case "
        "N-04 (Puddingstone School).",
    ]
    assert [lk["score"] for lk in result["links"]] == [15.0, 7.0]
    assert result["weak"] == 1  # the spam account following both subjects
    assert len(link.match_files([west, north], all_links=True)["links"]) == 3


def test_files_made_with_different_keys_are_refused() -> None:
    west = _file(_roles(("mrs.quillfeather", "subject", None)), "W-12", "Grimblewood Academy")
    north = _file(_roles(("mrs.quillfeather", "copycat", None)), "N-04", "Puddingstone School", key=OTHER_KEY)
    with pytest.raises(link.LinkError, match="different trust keys"):
        link.match_files([west, north])
    with pytest.raises(link.LinkError, match="given twice"):
        link.match_files([west, west])


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.pop("key_id"), "key_id"),
    (lambda d: d.update(key_id="not-a-key"), "key_id"),
    (lambda d: d.update(format="something"), "format"),
    (lambda d: d.update(count=7), "count"),
    (lambda d: d["tokens"][0].update(handle="mrs.quillfeather"), "token 1"),
    (lambda d: d["tokens"][0].update(token="zz"), "token 1"),
    (lambda d: d["tokens"][0]["roles"].append({"role": "headteacher"}), "token 1"),
    (lambda d: d.update(tokens=[dict(d["tokens"][0], token=f"{n:032x}") for n in range(link.MAX_TOKENS + 1)],
                        count=link.MAX_TOKENS + 1), "more than the 5,000"),
])
def test_malformed_key_less_and_over_cap_files_are_refused(change: Any, message: str) -> None:
    content = link.token_file(_roles(("mrs.quillfeather", "subject", None)), KEY, school="Grimblewood Academy",
                              case="W-12", made_at="2026-12-07T23:00:00Z")
    change(content)
    with pytest.raises(link.LinkError, match=message):
        link.read_token_file(json.dumps(content).encode(), name="w12.tokens")
    with pytest.raises(link.LinkError, match="not a token file"):
        link.read_token_file(b"\xff\xfe not json", name="w12.tokens")


def test_a_case_over_the_cap_is_refused_at_export() -> None:
    roles = _roles(*[(f"learner_{n}", "follower", None) for n in range(link.MAX_TOKENS + 1)])
    with pytest.raises(link.LinkError, match="--without-followers"):
        link.token_file(roles, KEY, school="Grimblewood Academy", case="W-12", made_at="x")


def test_reveal_finds_the_account_and_its_lookalikes() -> None:
    roles = _roles(("mrs.quillfeather", "subject", None), ("barnaby_07", "follower", None))
    token = link.account_token(KEY, "tiktok", "mrs.quillfeather")
    found = link.reveal(roles, KEY, token[:12])
    assert found[["handle_key", "role", "how"]].values.tolist() == [["mrs.quillfeather", "subject", "this account"]]
    look = link.lookalike_token(KEY, "tiktok", "mrs.quil1feather")
    assert look is not None
    assert link.reveal(roles, KEY, look)["how"].tolist() == ["looks like it"]
    assert link.reveal(roles, OTHER_KEY, token).empty
    with pytest.raises(link.LinkError, match="not a token"):
        link.reveal(roles, KEY, "mrs.quillfeather")


# ------------------------------------------------------------------- three sibling training cases
# (building three cases takes about 40 s: these tests are marked slow)
@pytest.fixture(scope="module")
def trust(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("trust")
    folders = generate_siblings(root / "training", seed=5)
    siblings = json.loads((root / "training" / "siblings.json").read_text(encoding="utf-8"))
    cases = [build_case(root / f"case{n}", source=folder) for n, folder in enumerate(folders, start=1)]
    key_path, _ = new_key_file(root / "trust.key", officer="Mr Peregrine Wobblecombe")
    tokens = [export_tokens(case, key_path, output=root / f"school{n}.tokens.json")[0]
              for n, case in enumerate(cases, start=1)]
    return {"root": root, "folders": folders, "siblings": siblings, "cases": cases, "key": key_path,
            "tokens": tokens}


@pytest.mark.slow
def test_sibling_cases_share_one_trust_and_no_learner_handle(trust: dict[str, Any]) -> None:
    cases: list[Case] = trust["cases"]
    assert len({tuple(c.config["school"]) for c in cases}) == 3
    trusts = {json.loads((f / "case.json").read_text(encoding="utf-8"))["trust"] for f in trust["folders"]}
    assert trusts == {trust["siblings"]["trust"]}


@pytest.mark.slow
def test_the_match_finds_the_maker_between_school_a_and_c_and_nothing_else(trust: dict[str, Any]) -> None:
    root: Path = trust["root"]
    a, b, c = trust["tokens"]
    path, match = match_tokens([a, b, c], output=root / "match.json")
    refs = [case.config["reference"] for case in trust["cases"]]
    assert match["links"], "the maker's link must be found"
    for lk in match["links"]:  # every link is between school A and school C: none touches B
        assert {lk["a"]["case"], lk["b"]["case"]} == {refs[0], refs[2]}
    top = match["links"][0]
    assert top["kind"] == "same"
    maker = link.account_token(link.read_key_file((root / "trust.key").read_text(), name="k")[0], "tiktok",
                               trust["siblings"]["maker_handle"])
    assert top["a"]["token"] == maker
    sides = {top["a"]["case"]: top["a"]["roles"], top["b"]["case"]: top["b"]["roles"]}
    assert {"role": "first_follower", "n": 1} in sides[refs[0]]
    assert {"role": "lead", "n": 1} in sides[refs[0]]
    # the copycat's lists were pasted from the app (no order, no times): the maker is one of its followers
    assert sides[refs[2]] == [{"role": "copycat_follower"}]
    assert top["words"].startswith(f"The 1st lead for the subject in case {refs[0]}")
    assert f"is a follower of a copycat in case {refs[2]}" in top["words"]
    written = json.loads(path.read_text(encoding="utf-8"))
    assert [c["case"] for c in written["compared"]] == refs
    assert all(len(c["sha256"]) == 64 for c in written["compared"]) and written["links"] == match["links"]
    # unrelated cases: nothing listed between A and B; all they share is the generator's two spam accounts,
    # plain followers of both fake accounts, counted and listed only with --all
    _, alone = match_tokens([a, b], output=root / "match-ab.json")
    assert alone["links"] == [] and alone["weak"] == 2
    _, everything = match_tokens([a, b], output=root / "match-ab-all.json", all_links=True)
    key = link.read_key_file((root / "trust.key").read_text(), name="k")[0]
    spam = {link.account_token(key, "tiktok", h) for h in ("f0llow.4.f0llow", "promo_gains_2025")}
    assert {lk["a"]["token"] for lk in everything["links"]} == spam
    assert all(lk["kind"] == "same" and {r["role"] for side in (lk["a"], lk["b"]) for r in side["roles"]}
               <= {"follower", "copycat_follower"} for lk in everything["links"])


@pytest.mark.slow
def test_a_token_file_holds_no_handle_or_name(trust: dict[str, Any]) -> None:
    for case, path in zip(trust["cases"], trust["tokens"], strict=True):
        raw = path.read_bytes().decode("utf-8")
        data = (raw + json.dumps(json.loads(raw), ensure_ascii=False)).casefold()  # escaped letters too
        accounts = case.table("accounts")
        rel = case.table("relationships")
        words = set(accounts["handle"].dropna()) | set(accounts["handle_key"].dropna())
        words |= set(accounts["display_name"].dropna()) | set(rel["follower"].dropna()) | set(rel["followed"].dropna())
        people = case.table("people")
        words |= set(people["name"].dropna()) | {part for name in people["name"].dropna() for part in name.split()
                                                 if len(part) > 3}
        # the file names its school on purpose; a word of hex digits only ("face") can occur inside a token
        school = {str(n).casefold() for n in case.config["school"]}
        words = {str(w).casefold().strip() for w in words if len(str(w).strip()) >= 4}
        words = {w for w in words if w not in school and not re.fullmatch(r"[0-9a-f]+", w)}
        assert len(words) > 100
        leaked = sorted(w for w in words if w in data)
        assert leaked == [], f"{path.name} holds {leaked[:5]}"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.slow
def test_export_and_match_are_audited_in_the_cases(trust: dict[str, Any]) -> None:
    import hashlib

    root: Path = trust["root"]
    cases: list[Case] = trust["cases"]
    a, b, c = trust["tokens"]
    with cases[0].snapshot() as conn:
        row = conn.execute("SELECT details FROM audit WHERE what = 'link tokens exported'").fetchone()
    details = json.loads(row[0])
    assert details["sha256"] == hashlib.sha256(a.read_bytes()).hexdigest()
    assert details["tokens"] == json.loads(a.read_text())["count"] and details["roles"]["subject"] == 1
    path, match = match_tokens([a, b, c], output=root / "match-audited.json",
                               cases=[cases[0].path, cases[1].path])
    for case, expected in ((cases[0], len(match["links"])), (cases[1], 0)):
        with case.snapshot() as conn:
            entry = json.loads(conn.execute("SELECT details FROM audit WHERE what = 'link match'").fetchone()[0])
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert len(entry["links"]) == expected and len(entry["compared"]) == 3
    with pytest.raises(link.LinkError, match="no token file among those compared"):
        match_tokens([a, b], output=root / "never.json", cases=[cases[2].path])
    assert not (root / "never.json").exists()


@pytest.mark.slow
def test_reveal_names_the_case_own_account_and_is_audited(trust: dict[str, Any]) -> None:
    root: Path = trust["root"]
    cases: list[Case] = trust["cases"]
    _, match = match_tokens(trust["tokens"], output=root / "match-reveal.json")
    top = match["links"][0]
    found = reveal_token(cases[0], top["a"]["token"], trust["key"])
    assert found["handle_key"].unique().tolist() == [trust["siblings"]["maker_handle"]]
    assert reveal_token(cases[1], top["a"]["token"], trust["key"]).empty  # school B does not hold it
    with cases[0].snapshot() as conn:
        entry = json.loads(conn.execute("SELECT details FROM audit WHERE what = 'link token revealed'")
                           .fetchone()[0])
    assert entry["accounts"] == [trust["siblings"]["maker_handle"]]


@pytest.mark.slow
def test_cli_key_export_match_reveal(trust: dict[str, Any], tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    key = tmp_path / "trust.key"
    assert main(["link", "key", "new", "-o", str(key), "--officer", "Ms Araminta Fizzlewick"]) == 0
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert "Ms Araminta Fizzlewick" in key.read_text()
    assert main(["link", "key", "new", "-o", str(key), "--officer", "Someone Else"]) == 1  # never overwritten
    case_a, _, case_c = trust["cases"]
    files = []
    for n, case in ((1, case_a), (3, case_c)):
        out = tmp_path / f"s{n}.tokens.json"
        assert main(["link", "export", str(case.path), "--key", str(key), "-o", str(out), "--top", "5"]) == 0
        files.append(str(out))
    capsys.readouterr()
    assert main(["link", "match", *files, "-o", str(tmp_path / "m.json")]) == 0
    printed = capsys.readouterr().out
    maker = trust["siblings"]["maker_handle"]
    assert "  1. [" in printed and maker not in printed
    token = json.loads((tmp_path / "m.json").read_text())["links"][0]["a"]["token"]
    assert main(["link", "reveal", str(case_a.path), token, "--key", str(key)]) == 0
    assert (f"@{maker} (tiktok): this account; the 1st follower of the subject, the 1st lead for the subject"
            in capsys.readouterr().out)
    # a key others can read is refused; a wrong key's file is refused at match
    os.chmod(key, 0o644)
    assert main(["link", "export", str(case_a.path), "--key", str(key)]) == 1
    assert "chmod 600" in capsys.readouterr().err
    assert main(["link", "match", files[0], str(trust["tokens"][1]), "-o", str(tmp_path / "m2.json")]) == 1
    assert "different trust keys" in capsys.readouterr().err


def test_an_account_in_most_schools_files_is_said_so() -> None:
    files = [_file(_roles((f"subject.{n}", "subject", None), ("f0llow.4.f0llow", "first_follower", 3)), case,
                   f"School {case}") for n, case in enumerate(("W-12", "N-04", "S-01"))]
    words = [lk["words"] for lk in link.match_files(files)["links"]]
    assert len(words) == 3  # one per pair of files
    assert all(w.endswith("This account is in 3 of the 3 files compared.") for w in words)
    assert "in 3 of" not in link.match_files(files[:2])["links"][0]["words"]


def test_export_says_its_school_never_the_case_title(tmp_path: Path) -> None:
    """A case's title often names the person impersonated: a case without a school must be told one."""
    key, _ = new_key_file(tmp_path / "trust.key", officer="Ms Ottoline Thistlewick")
    case = Case.create(tmp_path / "case", title="Fake account impersonating Mr Jolyon Brambleshaw")
    with pytest.raises(link.LinkError, match="--school"):
        export_tokens(case, key)
    with pytest.raises(link.LinkError, match="marked as the subject"):
        export_tokens(case, key, school="Grimblewood Academy")
    assert not list(case.exports_dir.glob("link-*"))


# ------------------------------------------------------------- private set intersection (optional)
def test_psi_tells_the_asking_school_which_of_its_tokens_the_other_holds() -> None:
    pytest.importorskip("private_set_intersection.python", reason="openmined-psi is served for Linux x86-64 only")
    from investigate import link_psi

    west = _file(_roles(("mrs.quillfeather", "subject", None), ("crispin.nett", "lead", 1),
                        ("f0llow.4.f0llow", "follower", None), ("barnaby_07", "first_follower", 3)),
                 "W-12", "Grimblewood Academy")
    north = _file(_roles(("mrs.quil1feather", "copycat", None), ("crispin.nett", "follower", None),
                         ("f0llow.4.f0llow", "follower", None), ("ottoline.pudd", "subject", None)),
                  "N-04", "Puddingstone School")
    asked, secret = link_psi.ask(west)
    assert asked["items"] == 8 and "quill" not in json.dumps(asked)
    answered = link_psi.answer(north, asked, ask_sha256="ab" * 32)
    assert answered["asked_items"] == 8
    result = link_psi.finish(west, answered, secret, ask_sha256="ab" * 32)
    assert [lk["words"] for lk in result["links"]] == [
        "A lookalike of the subject in case W-12 (Grimblewood Academy) is in the token file of case N-04 "
        "(Puddingstone School).",
        "The 1st lead for the subject in case W-12 (Grimblewood Academy) is also in the token file of case N-04 "
        "(Puddingstone School).",
    ]
    assert result["weak"] == 1  # the spam account, a plain follower here
    with pytest.raises(link.LinkError, match="another ask"):
        link_psi.finish(west, answered, secret, ask_sha256="cd" * 32)
    other = _file(_roles(("mrs.quillfeather", "subject", None)), "S-01", "Snorkelby School", key=OTHER_KEY)
    with pytest.raises(link.LinkError, match="another trust key"):
        link_psi.answer(other, asked, ask_sha256="ab" * 32)
    with pytest.raises(link.LinkError, match="not a readable PSI message"):
        link_psi.answer(north, dict(asked, request="bm90IGEgcmVxdWVzdA=="), ask_sha256="ab" * 32)

    many = {**west, "tokens": [{"token": f"{n:032x}", "look": f"{n + 10**6:032x}", "roles": [{"role": "follower"}]}
                               for n in range(link_psi.MAX_ITEMS // 2 + 1)]}
    with pytest.raises(link.LinkError, match="more than the 10,000"):
        link_psi.answer(north, link_psi.ask(many)[0], ask_sha256="ab" * 32)


def test_cli_psi_ask_answer_finish(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("private_set_intersection.python", reason="openmined-psi is served for Linux x86-64 only")
    west = link.token_file(_roles(("mrs.quillfeather", "subject", None)), KEY, school="Grimblewood Academy",
                           case="W-12", made_at="2026-12-07T23:00:00Z")
    north = link.token_file(_roles(("mrs.quillfeather", "first_follower", 1)), KEY, school="Puddingstone School",
                            case="N-04", made_at="2026-12-07T23:00:00Z")
    (tmp_path / "w.tokens").write_text(link.token_file_text(west))
    (tmp_path / "n.tokens").write_text(link.token_file_text(north))
    ask, answer = str(tmp_path / "w.ask"), str(tmp_path / "n.answer")
    assert main(["link", "psi", "ask", str(tmp_path / "w.tokens"), "-o", ask]) == 0
    assert stat.S_IMODE((tmp_path / "w.ask.secret").stat().st_mode) == 0o600
    assert main(["link", "psi", "answer", str(tmp_path / "n.tokens"), ask, "-o", answer]) == 0
    capsys.readouterr()
    assert main(["link", "psi", "finish", str(tmp_path / "w.tokens"), ask, answer, "-o", str(tmp_path / "m.json")]) == 0
    out = capsys.readouterr().out
    assert "The subject in case W-12 (Grimblewood Academy) is also in the token file of case N-04" in out
    assert json.loads((tmp_path / "m.json").read_text())["method"] == "psi"
