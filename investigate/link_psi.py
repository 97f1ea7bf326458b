"""Optional: two schools' token files compared by private set intersection, with no one in between.

Where the trust has nobody to run ``investigate link match`` on both files, school B *asks*
(:func:`ask`: its tokens, encrypted under a one-off PSI key that stays with B), school A *answers*
(:func:`answer`: its own tokens, encrypted under another one-off key, and B's request re-encrypted),
and B *finishes* (:func:`finish`): B learns which of its own tokens (and lookalike tokens) are in A's
file, and nothing else of A's file; A learns only how many tokens B asked about. B knows its own
roles, not A's: the two DSLs then talk, and each reveals its own accounts. The same cap applies: an
ask of more than two items per token of a full file (:data:`investigate.link.MAX_TOKENS`) is refused.

Uses `openmined-psi <https://github.com/OpenMined/PSI>`_ (a compiled library; wheels for Linux
x86-64 here), imported only when asked for.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any, Final

from . import link
from .link import LinkError

ASK_FORMAT: Final = "investigate-link-psi-ask"
ANSWER_FORMAT: Final = "investigate-link-psi-answer"
MAX_ITEMS: Final = 2 * link.MAX_TOKENS  # a token and its lookalike token, per account of a full file


def _psi() -> Any:
    try:
        import private_set_intersection.python as psi
    except ImportError:
        raise LinkError("Private set intersection needs the openmined-psi package (Linux x86-64): "
                        "pip install 'investigate[psi]'. Without it, compare the files with investigate link match."
                        ) from None
    return psi


def psi_items(content: Mapping[str, Any]) -> list[str]:
    """The items a token file puts in the intersection: ``t:<token>`` and ``l:<lookalike token>``, each once."""
    items = [f"t:{e['token']}" for e in content["tokens"]]
    items += [f"l:{e['look']}" for e in content["tokens"] if e["look"]]
    return list(dict.fromkeys(items))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _message(data: Mapping[str, Any], field: str, kind: Any, *, name: str) -> Any:
    try:
        raw = base64.b64decode(str(data.get(field, "")), validate=True)
        message = kind()
        message.ParseFromString(raw)
    except Exception as err:  # base64's binascii.Error, protobuf's own DecodeError
        raise LinkError(f"{name}: field {field!r} is not a readable PSI message ({type(err).__name__}).") from None
    return message


def _check(data: object, fmt: str, *, name: str) -> Mapping[str, Any]:
    if not isinstance(data, dict) or data.get("format") != fmt or data.get("version") != link.VERSION:
        raise LinkError(f"{name} is not a {fmt} file of version {link.VERSION} (field 'format' or 'version').")
    for field in ("school", "case", "key_id"):
        if not isinstance(data.get(field), str) or not data[field]:
            raise LinkError(f"{name}: field {field!r} is missing or empty.")
    return data


def ask(content: Mapping[str, Any]) -> tuple[dict[str, Any], bytes]:
    """School B's ask (a dict to write as JSON) and its one-off PSI key (to keep, never to send)."""
    psi = _psi()
    client = psi.client.CreateWithNewKey(True)
    items = psi_items(content)
    request = client.CreateRequest(items)
    return ({"format": ASK_FORMAT, "version": link.VERSION, "school": content["school"], "case": content["case"],
             "key_id": content["key_id"], "items": len(items), "request": _b64(request.SerializeToString())},
            bytes(client.GetPrivateKeyBytes()))


def answer(content: Mapping[str, Any], asked: object, *, ask_sha256: str, name: str = "the ask") -> dict[str, Any]:
    """School A's answer to B's ask (a dict to write as JSON): refuses another key's ask, or one over the cap."""
    psi = _psi()
    data = _check(asked, ASK_FORMAT, name=name)
    if data["key_id"] != content["key_id"]:
        raise LinkError(f"{name} was made with another trust key (key id {data['key_id']}, this file's is "
                        f"{content['key_id']}): it cannot be answered.")
    if data["case"] == content["case"] and data["school"] == content["school"]:
        raise LinkError(f"{name} comes from this same case ({content['case']}).")
    request = _message(data, "request", psi.Request, name=name)
    asked_items = len(request.encrypted_elements)
    if asked_items > MAX_ITEMS:
        raise LinkError(f"{name} asks about {asked_items:,} items, more than the {MAX_ITEMS:,} a full token file "
                        "gives (it could be a dictionary of guessed handles): it is refused.")
    server = psi.server.CreateWithNewKey(True)
    setup = server.CreateSetupMessage(1e-9, max(asked_items, 1), psi_items(content), psi.DataStructure.RAW)
    response = server.ProcessRequest(request)
    return {"format": ANSWER_FORMAT, "version": link.VERSION, "school": content["school"], "case": content["case"],
            "key_id": content["key_id"], "ask_sha256": ask_sha256, "asked_items": asked_items,
            "setup": _b64(setup.SerializeToString()), "response": _b64(response.SerializeToString())}


def finish(content: Mapping[str, Any], answered: object, secret: bytes, *, ask_sha256: str,
           all_links: bool = False, name: str = "the answer") -> dict[str, Any]:
    """Which of B's tokens are in A's file (same account, or only a lookalike), ranked by B's roles.

    Out: like :func:`investigate.link.match_files`: ``links`` (side a is B's, with its roles; side b is
    A's case, whose roles B does not learn), ``weak`` and ``ranking``.
    """
    psi = _psi()
    data = _check(answered, ANSWER_FORMAT, name=name)
    if data.get("ask_sha256") != ask_sha256:
        raise LinkError(f"{name} answers another ask (field 'ask_sha256'): give the ask it answers.")
    if data["key_id"] != content["key_id"]:
        raise LinkError(f"{name} was made with another trust key (key id {data['key_id']}).")
    client = psi.client.CreateFromKey(secret, True)
    setup = _message(data, "setup", psi.ServerSetup, name=name)
    response = _message(data, "response", psi.Response, name=name)
    items = psi_items(content)
    try:
        found = {items[i] for i in client.GetIntersection(setup, response)}
    except (RuntimeError, IndexError) as err:
        raise LinkError(f"{name} does not fit this ask and its secret ({err}).") from None
    links: list[dict[str, Any]] = []
    weak = 0
    for entry in content["tokens"]:
        same = f"t:{entry['token']}" in found
        if not same and not (entry["look"] and f"l:{entry['look']}" in found):
            continue
        kind = "same" if same else "lookalike"
        side: dict[str, Any] = {"school": content["school"], "case": content["case"], "token": entry["token"],
                "roles": list(entry["roles"])}
        if all(r["role"] in link.WEAK_ROLES for r in side["roles"]) and not all_links:
            weak += 1
            continue
        best = link.ROLES[link.best_role(side["roles"])["role"]].weight
        links.append({"kind": kind, "a": side, "b": {"school": data["school"], "case": data["case"], "token": None,
                                                      "roles": []},
                      "score": round(best * (link.LOOKALIKE_FACTOR if kind == "lookalike" else 1.0), 2)})
    links.sort(key=lambda lk: (-lk["score"], lk["kind"] != "same", lk["a"]["token"]))
    for rank, lk in enumerate(links, start=1):
        lk["rank"] = rank
        lk["words"] = _words(lk)
    return {"links": links, "weak": weak, "ranking": link.MATCH_RANKING.split(" The best role")[0]
            + " Only this school's roles are known: the other school's stay with it."}


def _words(lk: Mapping[str, Any]) -> str:
    a, b = lk["a"], lk["b"]
    role = link.role_words(link.best_role(a["roles"]))
    here, there = f"case {a['case']} ({a['school']})", f"case {b['case']} ({b['school']})"
    if lk["kind"] == "lookalike":
        return f"A lookalike of {role} in {here} is in the token file of {there}."
    return f"{role[0].upper()}{role[1:]} in {here} is also in the token file of {there}."
