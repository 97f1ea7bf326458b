"""The ``investigate`` command: thin commands over the package (see ../shared/design.md)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import InvestigateError

if TYPE_CHECKING:
    from .case import Case


#: the help line of every command's case folder argument
CASE_DIR = "the case folder (made by investigate new)"


def _case(path: str) -> Case:
    from .case import Case

    return Case.open(path)


def _signer(case: Case, who: str | None) -> str:
    """Who signs a note, a tracker entry or a pack: ``--who``, else the case's analyst (case.toml), never
    the computer's login name as the author (the audit entry records the login beside it)."""
    from .case import current_user

    return (who or "").strip() or str(case.config.get("analyst") or "").strip() or current_user()


def cmd_new(args: argparse.Namespace) -> int:
    from .case import Case

    case = Case.create(args.case_dir, title=args.title, school=args.school or [], analyst=args.analyst,
                       timezone_name=args.timezone, reference=args.reference, group=args.group)
    print(f"New case '{case.title}' ({case.config['reference']}) in {case.path}")
    if args.group:
        print(f"It belongs to the group {args.group}: its analysts can open it, nobody else on this computer.")
    return 0


def cmd_evidence_add(args: argparse.Namespace) -> int:
    from .evidence import NUDE_IMAGE_RULE, add_evidence

    print(NUDE_IMAGE_RULE, file=sys.stderr)
    case = _case(args.case_dir)
    results = add_evidence(case, args.files, captured_by=args.captured_by, captured_at=args.captured_at,
                           source_url=args.url, description=args.description, who=args.who)
    for name, evidence_id, new in results:
        print(f"{evidence_id}  {name}" + ("" if new else "  (already registered: same bytes)"))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .importer import import_file

    case = _case(args.case_dir)
    result = import_file(case, args.file, format=args.format, platform=args.platform, account=args.account,
                         list_kind=args.list, observed_at=args.observed_at, order=args.order,
                         skip_bad_rows=args.skip_bad_rows,
                         who=args.who)
    print(result.summary())
    for problem in result.problems:
        print(f"  not imported: {problem}", file=sys.stderr)
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from .case import Case
    from .evidence import identify, verify
    from .seal import parse_seal

    seals = [Path(s).read_text(encoding="utf-8") if Path(s).is_file() else s for s in args.seal or []]
    for text in seals:
        parse_seal(text)  # a mistyped seal is an error of the command, not a finding about the case
    case = Case.open(args.case_dir, read_only=True)  # verify never writes (a write-protected copy can be checked)
    result = verify(case, seals=seals)
    copies = [identify(case, file) for file in args.file or []]
    if result.ok:
        print(f"OK: {result.checked} evidence file(s) match their SHA-256, and every table, imported part, output "
              "and case.toml matches the intact audit log.")
        for text in seals:
            print(f"OK: the case still extends seal {parse_seal(text)}.")
    else:
        for problem in result.problems:
            print(f"FAILED: {problem}")
        print(f"{len(result.problems)} problem(s) found checking {result.checked} evidence file(s), the tables "
              "and the audit log.")
    for same, words in copies:
        print(f"{'OK' if same else 'FAILED'}: {words}")
    return 0 if result.ok and all(same for same, _ in copies) else 1


def cmd_account(args: argparse.Namespace) -> int:
    from .accounts import copycat_suggestions, mark_account

    case = _case(args.case_dir)
    row = mark_account(case, args.handle, args.role, platform=args.platform, who=args.who)
    print(f"@{row['handle']} ({row['platform']}) is now marked: {args.role}.")
    if args.role == "subject":
        suggestions = copycat_suggestions(case.table("accounts"))
        if len(suggestions):
            print("These accounts look like a subject's: check them, and mark those that are copies with "
                  "--role copycat:")
            for s in suggestions.itertuples(index=False):
                print(f"  @{s.handle} ({s.platform}): {s.how} @{s.subject}")
    return 0


def cmd_person(args: argparse.Namespace) -> int:
    from .people import add_person

    row = add_person(_case(args.case_dir), args.name, args.role, handles=args.handles or [], person_id=args.id,
                     year_group=args.year_group, tutor_group=args.tutor_group, who=args.who)
    handles = f", accounts {', '.join('@' + h for h in row['handles'].split(','))}" if row["handles"] else ""
    print(f"{row['person_id']} {row['name']} ({row['role']}{handles}) added to the case's people table.")
    return 0


def cmd_seal(args: argparse.Namespace) -> int:
    from .seal import make_seal

    seal, path = make_seal(_case(args.case_dir), who=args.who)
    print(seal)
    print(f"Seal written to {path}. Keep a copy outside the case (an email, a CPOMS/MyConcern note): "
          f"`investigate verify {args.case_dir} --seal {seal}` later shows the case still extends it.")
    return 0


def cmd_leads(args: argparse.Namespace) -> int:
    from .casework import case_accounts_around, case_leads
    from .lead_rows import lead_tables
    from .leads import LEADS_STATEMENT
    from .words import handle_key

    case = _case(args.case_dir)
    tables = lead_tables(case, args.account)  # read once, for the leads and the accounts around
    table = case_leads(case, account=args.account, top=args.top, tables=tables)
    around = case_accounts_around(case, account=args.account, tables=tables)
    subject = handle_key(args.account)
    accounts = tables["accounts"]  # (the subject's own rows are among them)
    roles = set(accounts.loc[accounts["handle_key"] == subject, "role"].dropna())
    if not roles & {"subject", "copycat"}:  # a typo, or a follower's handle given for the fake account's
        print(f"Warning: @{subject} is not marked as a subject or copycat in this case"
              + (f" (it is marked {', '.join(sorted(roles))})" if roles else "")
              + ": are these the leads you meant? Mark the fake account with investigate account CASE_DIR "
              "HANDLE --role subject.", file=sys.stderr)
    if args.json:
        print(json.dumps({"account": subject, "note": LEADS_STATEMENT,
                          "leads": json.loads(table.to_json(orient="records", date_format="iso")),
                          "around": json.loads(around.to_json(orient="records"))},
                         indent=2, ensure_ascii=False))
        return 0
    print(f"Leads for @{subject}: accounts worth looking at first.")
    print(LEADS_STATEMENT)
    if table.empty:
        print("No leads: nothing in the case links another account to this one yet.")
    for row in table.itertuples(index=False):
        print(f"{row.rank:>3}. @{row.handle}  score {row.score:g}")
        for reason in row.reasons:
            print(f"       - {reason}")
    groups = sorted({g for gs in table.get("groups", []) for g in gs})
    if groups:
        print("Groups among these leads (shown as groups, no points):")
        for label in groups:
            members = table.loc[table["groups"].map(lambda gs, label=label: label in gs), "handle"]
            print(f"  - {label}: {', '.join('@' + h for h in members)}")
    if len(around):
        print(f"Accounts around @{subject} (known roles: context, not leads):")
        for row in around.itertuples(index=False):
            print(f"  - @{row.handle}: {row.role_words} ({row.links})")
    return 0


def cmd_note(args: argparse.Namespace) -> int:
    case = _case(args.case_dir)
    args.who = _signer(case, args.who)
    if args.amends is not None:
        finding_id = case.amend_finding(args.amends, text=args.text, reasons=args.reasons or "", who=args.who,
                                        section=args.section)
        print(f"Findings entry {finding_id} recorded ({args.section or 'same section'}); it corrects entry "
              f"{args.amends}, which is kept as it was.")
    elif args.section is None:
        raise InvestigateError("Say which part of the findings record this is: --section concern, done, "
                               "assessment, decision, outcome or next_steps.")
    else:
        finding_id = case.add_finding(section=args.section, text=args.text, reasons=args.reasons or "",
                                      who=args.who)
        print(f"Findings entry {finding_id} recorded ({args.section}).")
    return 0


def cmd_withdraw(args: argparse.Namespace) -> int:
    from .withdrawals import withdraw_finding, withdraw_import

    case = _case(args.case_dir)
    args.who = _signer(case, args.who)
    if (args.import_id is None) == (args.finding is None):
        raise InvestigateError("Say what to withdraw: an import's number (investigate withdraw CASE_DIR 3 "
                               "--reason ...) or a findings entry (--finding 2 --reason ...), not both.")
    if args.finding is not None:
        row = withdraw_finding(case, args.finding, reason=args.reason, who=args.who)
        print(f"Withdrawn: {row['what']}. It is kept in the record, marked withdrawn: {row['reason']}")
        return 0
    row = withdraw_import(case, args.import_id, reason=args.reason, who=args.who)
    print(f"Withdrawn: {row['what']}. Its rows no longer count in the tables, the leads "
          f"or the report; the file stays registered as evidence, and the record says why: {row['reason']}")
    print("You can now import the file again with the right options (investigate import).")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .report import write_report

    def progress(stage: str, fraction: float) -> None:
        print(f"  [{fraction:4.0%}] {stage}", file=sys.stderr, flush=True)

    suffix = Path(args.output).suffix.casefold()
    if suffix == ".pdf":
        raise InvestigateError("PDF is not written; print the HTML report to PDF from the browser "
                               "(write it with -o report.html), or write Word with -o report.docx.")
    if suffix[1:].isalnum() and suffix not in (".html", ".htm", ".docx"):  # "report 12.5 draft" gets .html
        raise InvestigateError(f"{Path(args.output).name}: a report is written as .html or .docx; "
                               "end the file name with one.")
    case = _case(args.case_dir)
    path = write_report(case, args.output, redact=args.redact, progress=progress)
    kind = "redacted (people and accounts replaced by pseudonyms)" if args.redact else "NOT redacted: it names people"
    print(f"Report written: {path} ({path.stat().st_size:,} bytes), {kind}; a copy is in {case.exports_dir}")
    return 0


def cmd_pack(args: argparse.Namespace) -> int:
    from .packs import write_packs

    case = _case(args.case_dir)
    args.who = _signer(case, args.who)
    files = write_packs(case, args.kind, people=args.person or [], platform=args.platform, school=args.school,
                        redact=args.redact, output=args.output, who=args.who)
    kind = "redacted (people replaced by pseudonyms)" if args.redact else "INTERNAL: it names people"
    for path in files:
        print(f"Pack written: {path}")
    print(f"{len(files)} file(s), {kind}. Fill every [TO FILL: ...] gap and check each fact before sending; "
          "the draft is in the tracker (investigate track).")
    return 0


#: the routes a report can be made by: a platform's (packs/kinds.ROUTES), the police's numbers, the LADO's
OTHER_ROUTES = ("101", "999", "allegation", "other")


def _check_route(route: str | None) -> str | None:
    """A --route the kit knows (case and spaces ignored), or a refusal offering the known ones."""
    if route is None:
        return None
    import difflib

    from .packs.kinds import ROUTES

    known = [r[0] for r in ROUTES] + list(OTHER_ROUTES)
    said = " ".join(route.casefold().split())
    if said in known:
        return said
    close = difflib.get_close_matches(said, known, n=1, cutoff=0.6)
    raise InvestigateError(f"--route {route!r} is not a route the kit knows" + (f": did you mean {close[0]}?" if close
                                                                               else ".")
                           + f" Say one of: {', '.join(known)}.")


def _said_midnight(when: str | None, option: str) -> None:
    """Say so when a typed time has a day but no time of day: it is taken as midnight."""
    import re

    if when and not re.search(r"\d[:.h]\d\d|\d\s*[ap]\.?m\b|T\d|\bnow\b|\bnoon\b", when, re.IGNORECASE):
        print(f"Note: '{when}' gives no time of day, so 00:00 (midnight) that day was recorded. If you know the "
              f"time, record it again with it, e.g. {option} \"15/10/2025 10:30\".", file=sys.stderr)


def cmd_track(args: argparse.Namespace) -> int:
    import pandas as pd

    from . import tracker

    args.route = _check_route(args.route)
    case = _case(args.case_dir)
    args.who = _signer(case, args.who)
    action_id = args.action_id
    if args.new:
        affected = "school" if args.school else None
        if args.person:
            from .packs import find_person

            affected = str(find_person(case.table("people"), args.person)["person_id"])
        from .actions import action_kind
        from .schema import known_platform

        platform = known_platform(args.platform) if args.platform else None
        # done when it was sent (a mistyped --sent is refused here, before anything is stored)
        action_id = case.add_action(kind=args.new, what=args.what or action_kind(args.new).label, who=args.who or "",
                                    at=args.sent or None, recorded_by=args.who,
                                    tracker={"platform": platform, "affected": affected})
        print(f"Action {action_id} added to the tracker.")
    if action_id is not None and args.sent:
        tracker.record_sent(case, action_id, at=args.sent, reference=args.reference, route=args.route, who=args.who)
        _said_midnight(args.sent, "--sent")
    if action_id is not None and args.answered:
        tracker.record_answered(case, action_id, at=args.answered, outcome=args.outcome, who=args.who)
        _said_midnight(args.answered, "--answered")
    if action_id is not None and not (args.new or args.sent or args.answered):
        print("Say what to record: --sent WHEN (with --reference and --route), or --answered WHEN.", file=sys.stderr)
        return 1
    rows = tracker.track(case.table("actions"), now=pd.Timestamp.now(tz="UTC"), zone=case.timezone)
    if rows.empty:
        print("No reports or referrals are tracked yet: write a pack (investigate pack) or add one with --new.")
    for row in rows.sort_values("overdue", ascending=False, kind="stable").itertuples(index=False):
        where = f" ({row.platform})" if pd.notna(row.platform) else ""
        ref = f", ref {row.reference}" if pd.notna(row.reference) else ""
        flag = "OVERDUE " if row.overdue else ""
        print(f"{row.action_id:>4}. {flag}{row.label}{where}: {row.stage}{ref}. {row.next_step}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .packs.export import write_export

    case = _case(args.case_dir)
    files = write_export(case, args.system, out_dir=args.output, redact=args.redact, who=args.who)
    kind = "redacted (people replaced by pseudonyms)" if args.redact else "INTERNAL: it names people"
    print(f"Export for {args.system} written to {files[0].parent} ({kind}):")
    for path in files:
        print(f"  {path.name}")
    print("Attach the two CSV files to the record, and paste summary.txt into its notes.")
    return 0


# ---- link (trust-wide linking by keyed tokens: no handle leaves a case) ----
def cmd_link_key_new(args: argparse.Namespace) -> int:
    from .link_case import new_key_file

    path, key_id = new_key_file(args.output, officer=args.officer)
    print(f"Trust key {key_id} written to {path} (readable by you only), held by {args.officer}.")
    print("Give a copy by hand to each school's DSL named in the data-sharing agreement; never to whoever "
          "compares token files, never by email beside them.")
    return 0


def cmd_link_export(args: argparse.Namespace) -> int:
    from .link import role_counts
    from .link_case import export_tokens

    path, content = export_tokens(_case(args.case_dir), args.key, output=args.output, top=args.top,
                                  followers=not args.without_followers, school=args.school, who=args.who)
    roles = ", ".join(f"{code.replace('_', ' ')} {n}" for code, n in role_counts(content).items())
    print(f"Token file written: {path} ({content['count']} tokens, key {content['key_id']}; {roles}).")
    print("It holds no handle or name: send it to the trust officer for `investigate link match`.")
    return 0


def cmd_link_match(args: argparse.Namespace) -> int:
    from .link_case import match_tokens

    path, match = match_tokens(args.files, output=args.output, cases=args.case or [], all_links=args.all,
                               who=args.who)
    compared = ", ".join(f"{c['case']} ({c['school']})" for c in match["compared"])
    print(f"Compared {len(match['compared'])} token files: {compared}.")
    if not match["links"]:
        print("No account (or lookalike) of one case is in another's file.")
    _print_links(match)
    print(f"Match file written: {path}. Each DSL can ask which of their accounts a token is: "
          "investigate link reveal CASE TOKEN --key KEYFILE")
    return 0


def cmd_link_reveal(args: argparse.Namespace) -> int:
    from .link_case import reveal_token

    found = reveal_token(_case(args.case_dir), args.token, args.key, who=args.who)
    if found.empty:
        print("No account of this case has this token under this key (is it the trust key the export used, "
              "and the case the token came from?).")
        return 1
    from .link import reveal_lines

    for line in reveal_lines(found):
        print(line)
    return 0


def _print_links(match: dict[str, Any]) -> None:
    for lk in match["links"]:
        tokens = f"token {lk['a']['token']} in {lk['a']['case']}"
        tokens += "" if lk["kind"] == "same" or not lk["b"]["token"] else f", {lk['b']['token']} in {lk['b']['case']}"
        print(f"{lk['rank']:>3}. [{lk['score']:g}] {lk['words']}")
        print(f"       {tokens}")
    if match["weak"]:
        print(f"{match['weak']} more match(es) are accounts that only follow the subjects or copycats: common "
              "(spam accounts, popular learners), not listed; --all lists them.")
    print(match["ranking"])


def cmd_link_psi_ask(args: argparse.Namespace) -> int:
    from .link_case import psi_ask

    path, secret, asked = psi_ask(args.tokens, args.output)
    print(f"Ask written: {path} ({asked['items']} encrypted items). Send it to the other school's DSL.")
    print(f"Its secret is in {secret}: keep it, never send it; `link psi finish` needs it with their answer.")
    return 0


def cmd_link_psi_answer(args: argparse.Namespace) -> int:
    from .link_case import psi_answer

    path, answered = psi_answer(args.tokens, args.ask, args.output)
    print(f"Answer written: {path} (they asked about {answered['asked_items']} items; you learn nothing more). "
          "Send it back to the DSL who asked.")
    return 0


def cmd_link_psi_finish(args: argparse.Namespace) -> int:
    from .link_case import psi_finish

    path, match = psi_finish(args.tokens, args.ask, args.answer, output=args.output, cases=args.case or [],
                             all_links=args.all, who=args.who)
    if not match["links"]:
        print(f"None of your accounts (or lookalikes) is in the token file of case {match['compared'][1]['case']}.")
    _print_links(match)
    print(f"Match file written: {path}. Find your own account with: investigate link reveal CASE TOKEN --key KEYFILE")
    return 0


def cmd_training_generate(args: argparse.Namespace) -> int:
    from .training import generate

    out = generate(args.out_dir, seed=args.seed, scale=args.scale, difficulty=args.difficulty)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    print(f"Training case files written to {out} ({len(manifest)} files to import, listed in manifest.json).")
    print("answer_key.json and answer_key.md hold the answer: keep them from trainees until the end.")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    report = run_demo(args.out_dir, progress=lambda text: print(text, file=sys.stderr, flush=True))
    print(f"Demo report written: {report}")
    print(f"Open it in a web browser (it works offline). Executed notebooks: {report.parent / 'executed'}")
    return 0


def cmd_lab(args: argparse.Namespace) -> int:
    from .launch import lab

    return lab(args.case_dir, port=args.port, open_browser=not args.no_browser)


def cmd_app(args: argparse.Namespace) -> int:
    from .launch import app

    return app(args.case_dir, port=args.port, open_browser=not args.no_browser)


def cmd_hub_config(args: argparse.Namespace) -> int:
    from .hub import hub_config

    text = hub_config(args.store, python=args.python, bind_url=args.bind_url, analysts_group=args.analysts,
                      tljh=args.tljh)
    if not args.output:
        sys.stdout.write(text)
        return 0
    out = Path(args.output)
    if out.exists() and not args.force:
        raise InvestigateError(f"{out} already exists: choose another file, or add --force to replace it.")
    out.write_text(text, encoding="utf-8")
    run = ("Reload TLJH: sudo tljh-config reload hub" if args.tljh else
           f"Run the hub as root from its folder: jupyterhub -f {out.name}")
    print(f"JupyterHub configuration for the case store {Path(args.store).resolve()} written to {out}. "
          f"{run} (see deploy/hub/README.md).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="investigate", description=(
        "Evidence, chronology and leads for fake or impersonating accounts targeting a school. "
        "Results are leads to follow up, never findings."))
    parser.add_argument("--version", action="version", version=f"investigate {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="show progress details")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("new", help="make a new case folder")
    p.add_argument("case_dir", help=CASE_DIR)
    p.add_argument("--title", required=True, help='what the case is about, e.g. "Fake account of the school"')
    p.add_argument("--school", action="append", help="school name (repeat for several)")
    p.add_argument("--analyst", help="who leads the investigation (shown on the report; the default for --who)")
    p.add_argument("--timezone", default="Europe/London",
                   help="the zone times are typed and shown in (default: Europe/London)")
    p.add_argument("--reference", help="the case's reference, e.g. from CPOMS (default: one made from the date)")
    p.add_argument("--group", help=(
        "on a shared server: the Unix group of the analysts on this case (they may open it, nobody else)"))
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("evidence", help="register evidence files")
    esub = p.add_subparsers(dest="evidence_command", required=True, metavar="ACTION")
    e = esub.add_parser("add", help="copy files into the case, named by SHA-256, read-only")
    e.add_argument("case_dir", help=CASE_DIR)
    e.add_argument("files", nargs="+", metavar="FILE", help="the screenshots, recordings or exports to register")
    e.add_argument("--captured-by", help="who took the screenshot or saved the file")
    e.add_argument("--captured-at",
                   help="when it was captured, day first: 27/11/2025 13:05 (or 2025-11-27T13:05), case time zone")
    e.add_argument("--url", help="where it was seen")
    e.add_argument("--description", help="what it shows, in a few words")
    e.add_argument("--who", help="who is registering it (default: your login name)")
    e.set_defaults(func=cmd_evidence_add)

    from .loaders import LIST_KINDS
    from .schema import LIST_ORDERS

    p = sub.add_parser("import", help="import a list, a spreadsheet or a platform export")
    p.add_argument("case_dir", help=CASE_DIR)
    p.add_argument("file", help="the file to import (a list, a spreadsheet, pasted text or a platform export)")
    p.add_argument("--format", default="auto", help="auto (default), csv, xlsx, text or a platform export name")
    p.add_argument("--platform", help="e.g. tiktok, instagram (needed for manual lists)")
    p.add_argument("--account", help="whose list this is (the account's handle)")
    p.add_argument("--list", choices=LIST_KINDS, help="what the file holds (for spreadsheets and pasted text)")
    p.add_argument("--order", choices=LIST_ORDERS, help=(
        "how the list was sorted when you took it: oldest-first or newest-first (the owner's own view, "
        "sorted by date followed), or app (the app's own order, e.g. someone else's followers: "
        "positions are then shown but never scored)"))
    p.add_argument("--observed-at", help="when the list was seen, day first: 27/11/2025 13:05 (default: now)")
    p.add_argument("--skip-bad-rows", action="store_true",
                   help="import the readable rows and record the others as rejected")
    p.add_argument("--who", help="who is importing (default: your login name)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("verify", help="check evidence files, tables and case.toml against the audit log")
    p.add_argument("case_dir", help=CASE_DIR)
    p.add_argument("--seal", action="append", help="a seal (or a seal file) the case must still extend")
    p.add_argument("--file", action="append", metavar="COPY",
                   help="a copy of a report, pack or export someone holds: is it what the case wrote, and when?")
    p.set_defaults(func=cmd_verify)

    from .schema import ROLES

    p = sub.add_parser("account", help=(
        "mark an account's role: subject (the fake account), copycat, school, staff, community"))
    p.add_argument("case_dir", help=CASE_DIR)
    p.add_argument("handle", help="the account's @name as the case holds it")
    p.add_argument("--role", required=True, choices=ROLES, help="what the account is: " + ", ".join(ROLES))
    p.add_argument("--platform", help="needed only when the case holds the handle on several platforms")
    p.add_argument("--who", help="who is marking it (default: your login name)")
    p.set_defaults(func=cmd_account)

    from .schema import PERSON_ROLES

    p = sub.add_parser("person", help="add a person (staff, learner, parent) to the case, for packs and redaction")
    p.add_argument("case_dir", help=CASE_DIR)
    p.add_argument("name", help='their full name, e.g. "Mr Jolyon Brambleshaw"')
    p.add_argument("--role", required=True, choices=PERSON_ROLES, help="who they are: " + ", ".join(PERSON_ROLES))
    p.add_argument("--handles", nargs="+", metavar="HANDLE", help="their own accounts' handles (as shown)")
    p.add_argument("--id", help="their id, e.g. from the school's records (default: the next P number)")
    p.add_argument("--year-group", help="learners: their year, e.g. 9")
    p.add_argument("--tutor-group", help="learners: their tutor group, e.g. 9W")
    p.add_argument("--who", help="who is adding them (default: your login name)")
    p.set_defaults(func=cmd_person)

    p = sub.add_parser("seal", help=(
        "print (and save in exports/) a short seal of the audit log, to keep outside the case"))
    p.add_argument("case_dir", help=CASE_DIR)
    p.add_argument("--who", help="who is sealing (default: your login name)")
    p.set_defaults(func=cmd_seal)

    p = sub.add_parser("leads", help="rank accounts worth looking at for a subject account")
    p.add_argument("case_dir", help=CASE_DIR)
    p.add_argument("--account", required=True, help="the fake account (marked subject or copycat), e.g. fake.head")
    p.add_argument("--top", type=int, default=20, help="how many leads to list (default: 20)")
    p.add_argument("--json", action="store_true", help="print the leads as JSON, for another program")
    p.set_defaults(func=cmd_leads)

    from .schema import FINDING_SECTIONS

    p = sub.add_parser("note", help="add an entry to the findings record (your own words; audited)")
    p.add_argument("case_dir", help=CASE_DIR)
    p.add_argument("--section", choices=FINDING_SECTIONS,
                   help="concern, done (what was done), assessment, decision, outcome or next_steps")
    p.add_argument("--text", required=True, help="the entry, in your own words")
    p.add_argument("--reasons", help="why (for a decision: the reasons for it)")
    p.add_argument("--amends", type=int, metavar="N",
                   help="this entry corrects entry N (which is kept; nothing is edited)")
    p.add_argument("--who", metavar="NAME", help="who is writing it (default: the case's analyst)")
    p.set_defaults(func=cmd_note)

    p = sub.add_parser("withdraw", help=(
        "withdraw an import or a findings entry made by mistake (audited; nothing is deleted)"))
    p.add_argument("case_dir", help="the case folder")
    p.add_argument("import_id", nargs="?", type=int, metavar="IMPORT",
                   help="the import's number (see notebook 01's 'Imported files'); its rows stop counting")
    p.add_argument("--finding", type=int, metavar="N", help="withdraw findings entry N instead")
    p.add_argument("--reason", required=True, help="why, in your words (kept in the record)")
    p.add_argument("--who", metavar="NAME", help="who is withdrawing it (default: the case's analyst)")
    p.set_defaults(func=cmd_withdraw)

    p = sub.add_parser("report", help="write the report (HTML, or Word with -o FILE.docx)")
    p.add_argument("case_dir", help=CASE_DIR)
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="the report file to write: name.html (to read or print) or name.docx (Word)")
    p.add_argument("--redact", action="store_true", help="replace people by pseudonyms")
    p.set_defaults(func=cmd_report)

    from .packs import PACK_KINDS, SYSTEMS
    from .tracker import TRACKED

    p = sub.add_parser("pack", help="write a referral pack (HTML and DOCX) with the gaps to fill marked")
    p.add_argument("case_dir", help=CASE_DIR)
    p.add_argument("kind", choices=PACK_KINDS, help="who the pack is for: " + ", ".join(PACK_KINDS))
    p.add_argument("-o", "--output", help="one file, .html or .docx (default: both, in the case's exports folder)")
    p.add_argument("--redact", action="store_true", help="replace people by pseudonyms")
    p.add_argument("--person", action="append", help="who the pack is about: a person id or full name (repeat)")
    p.add_argument("--platform", help="platform packs: only this platform (default: each platform reported)")
    p.add_argument("--school", action="store_true",
                   help="platform packs: about the school's name and logo; police: about the school")
    p.add_argument("--who", metavar="NAME", help="who is writing it (default: the case's analyst)")
    p.set_defaults(func=cmd_pack)

    p = sub.add_parser("track", help="the report tracker: list it, or record a report made or answered")
    p.add_argument("case_dir", help=CASE_DIR)
    p.add_argument("action_id", nargs="?", type=int, help="the tracked item to update (see the list)")
    p.add_argument("--new", choices=TRACKED, help="add a report or referral to the tracker")
    p.add_argument("--what", help="with --new: what it is")
    p.add_argument("--platform", help="with --new: the platform reported to")
    p.add_argument("--person", help="with --new: who it is about (person id or full name)")
    p.add_argument("--school", action="store_true", help="with --new: about the school's name and logo")
    p.add_argument("--sent", metavar="WHEN", help="when the report was made, e.g. 24/10/2025 10:00 (case zone)")
    p.add_argument("--reference", help="the reference given")
    p.add_argument("--route", help=("the route used: impersonation, privacy, harassment or copyright (platforms); "
                                    "101 or 999 (police); allegation (LADO); or other"))
    p.add_argument("--answered", metavar="WHEN", help="when the reply came")
    p.add_argument("--outcome", help="what the reply said")
    p.add_argument("--who", metavar="NAME", help="who is recording it (default: the case's analyst)")
    p.set_defaults(func=cmd_track)

    p = sub.add_parser("export", help="chronology and actions CSV and a summary for CPOMS or MyConcern")
    p.add_argument("case_dir", help=CASE_DIR)
    p.add_argument("--for", dest="system", choices=SYSTEMS, required=True,
                   help="the school's safeguarding system: " + ", ".join(SYSTEMS))
    p.add_argument("-o", "--output", help="folder to write into (default: a new folder in the case's exports)")
    p.add_argument("--redact", action="store_true", help="replace people by pseudonyms")
    p.add_argument("--who", help="who is exporting (default: your login name)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("link", help="link cases across a trust's schools by keyed tokens (no handle leaves a case)")
    lsub = p.add_subparsers(dest="link_command", required=True, metavar="ACTION")
    k = lsub.add_parser("key", help="the trust key (held by the trust officer)")
    ksub = k.add_subparsers(dest="key_command", required=True, metavar="ACTION")
    k = ksub.add_parser("new", help="make a new random trust key in a private file")
    k.add_argument("-o", "--output", required=True, metavar="KEYFILE",
                   help="the new key file (kept by the trust officer)")
    k.add_argument("--officer", required=True, help="who holds the key (the trust officer)")
    k.set_defaults(func=cmd_link_key_new)
    k = lsub.add_parser("export", help="write the case's token file (tokens and roles, no handles)")
    k.add_argument("case_dir", help=CASE_DIR)
    k.add_argument("--key", required=True, metavar="KEYFILE", help="the trust's key file (from link key new)")
    k.add_argument("-o", "--output", help="the token file (default: a new file in the case's exports folder)")
    k.add_argument("--top", type=int, default=10, help="how many of the subject's leads to include (default 10)")
    k.add_argument("--without-followers", action="store_true",
                   help="leave out plain followers (for lists over the cap of 5000 tokens)")
    k.add_argument("--school", help="the school the file says it comes from (default: the case's school)")
    k.add_argument("--who", help="who is exporting (default: your login name)")
    k.set_defaults(func=cmd_link_export)
    k = lsub.add_parser("match", help="which tokens two or more schools' files share, and in which roles")
    k.add_argument("files", nargs="+", metavar="TOKENS", help="the schools' token files to compare (two or more)")
    k.add_argument("-o", "--output", help="the match file (default: a new file in this folder)")
    k.add_argument("--case", action="append", metavar="CASE_DIR",
                   help="a case you hold among those compared: its audit log records the match (repeat)")
    k.add_argument("--all", action="store_true", help="also list accounts that are only followers in both cases")
    k.add_argument("--who", help="who is comparing (default: your login name)")
    k.set_defaults(func=cmd_link_match)
    k = lsub.add_parser("reveal", help="which of the case's own accounts a matched token is (audited)")
    k.add_argument("case_dir", help=CASE_DIR)
    k.add_argument("token", help="the token a match named (whole, or its first 12 characters)")
    k.add_argument("--key", required=True, metavar="KEYFILE", help="the trust's key file the tokens were made with")
    k.add_argument("--who", help="who is asking (default: your login name)")
    k.set_defaults(func=cmd_link_reveal)

    k = lsub.add_parser("psi", help="compare two schools' token files by private set intersection (optional)")
    psub = k.add_subparsers(dest="psi_command", required=True, metavar="STEP")
    k = psub.add_parser("ask", help="school B: an encrypted ask from your token file (its secret stays with you)")
    k.add_argument("tokens", metavar="TOKENS", help="your school's token file")
    k.add_argument("-o", "--output", required=True, metavar="ASKFILE", help="the question file to send")
    k.set_defaults(func=cmd_link_psi_ask)
    k = psub.add_parser("answer", help="school A: answer an ask with your token file")
    k.add_argument("tokens", metavar="TOKENS", help="your school's token file")
    k.add_argument("ask", metavar="ASKFILE", help="the question file the other school sent")
    k.add_argument("-o", "--output", required=True, metavar="ANSWERFILE", help="the answer file to send back")
    k.set_defaults(func=cmd_link_psi_answer)
    k = psub.add_parser("finish", help="school B: which of your tokens are in school A's file")
    k.add_argument("tokens", metavar="TOKENS", help="your school's token file (the one you asked with)")
    k.add_argument("ask", metavar="ASKFILE", help="the question file you sent")
    k.add_argument("answer", metavar="ANSWERFILE", help="the answer file the other school sent back")
    k.add_argument("-o", "--output", help="the match file (default: a new file in this folder)")
    k.add_argument("--case", action="append", metavar="CASE_DIR", help="your case: its audit log records the match")
    k.add_argument("--all", action="store_true", help="also list accounts that are only followers")
    k.add_argument("--who", help="who is comparing (default: your login name)")
    k.set_defaults(func=cmd_link_psi_finish)

    p = sub.add_parser("training", help="synthetic training cases")
    tsub = p.add_subparsers(dest="training_command", required=True, metavar="ACTION")
    t = tsub.add_parser("generate", help="write a synthetic case's files and answer key")
    t.add_argument("out_dir", help="the folder to write the training files into")
    t.add_argument("--seed", type=int, default=7, help="another number makes another case (default: 7)")
    t.add_argument("--scale", choices=("small", "trust", "large"), default="small",
                   help="small (one school), trust (several schools) or large (long lists)")
    t.add_argument("--difficulty", choices=("easy", "realistic", "hard"), default="easy",
                   help="easy: the sample's kind; realistic/hard: decoys, a careful creator, missing files")
    t.set_defaults(func=cmd_training_generate)

    p = sub.add_parser("demo", help="training case -> notebooks -> HTML report")
    p.add_argument("out_dir", nargs="?", default="demo-case", help="the folder to write into (default: demo-case)")
    p.set_defaults(func=cmd_demo)

    for name, func, text in (("lab", cmd_lab, "open JupyterLab on the notebooks"),
                             ("app", cmd_app, "open the notebooks as an app (Voila), without code")):
        p = sub.add_parser(name, help=text)
        p.add_argument("case_dir", nargs="?", help=f"{CASE_DIR} (default: the training case)")
        p.add_argument("--port", type=int, help="the port on 127.0.0.1 (default: a free one)")
        p.add_argument("--no-browser", action="store_true", help="only print the address to open")
        p.set_defaults(func=func)

    from .hub import ANALYSTS_GROUP, BIND_URL

    p = sub.add_parser("hub-config", help="write the JupyterHub configuration for a trust's case store")
    p.add_argument("--store", required=True, help="the folder holding the trust's cases (one folder each)")
    p.add_argument("-o", "--output", help="the file to write (default: print it)")
    p.add_argument("--force", action="store_true", help="replace the file if it exists")
    p.add_argument("--python", help="the kit's Python, which every analyst must be able to run (default: this one)")
    p.add_argument("--bind-url", default=BIND_URL, help=f"where the hub listens (default: {BIND_URL})")
    p.add_argument("--analysts", default=ANALYSTS_GROUP,
                   help=f"the Unix group whose members may log in (default: {ANALYSTS_GROUP})")
    p.add_argument("--tljh", action="store_true", help=(
        "only the kit's part, for The Littlest JupyterHub (/opt/tljh/config/jupyterhub_config.d/investigate.py)"))
    p.set_defaults(func=cmd_hub_config)
    return parser


def _did_you_mean(parser: argparse.ArgumentParser, argv: Sequence[str]) -> str | None:
    """For a mistyped command (``evidnce``): the message naming the closest command, else None."""
    import difflib

    words = [a for a in argv if a not in ("-v", "--verbose")]
    commands = next((a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
    if not words or not commands or words[0] in commands or words[0].startswith("-"):
        return None
    close = difflib.get_close_matches(words[0], list(commands), n=1, cutoff=0.6)
    guess = f" Did you mean: investigate {close[0]}?" if close else ""
    return f"investigate: '{words[0]}' is not a command.{guess} The commands are: {', '.join(commands)}."


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    mistyped = _did_you_mean(parser, argv)
    if mistyped:
        print(mistyped, file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(message)s", stream=sys.stderr)
    try:
        return int(args.func(args))
    except InvestigateError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"Error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
