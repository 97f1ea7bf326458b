"""Synthetic training cases: a fictional school, a fake account, its copycats, and an answer key.

``generate(out_dir, seed=7, scale="small")`` writes the files an analyst would hold (manual
CSV/XLSX, pasted text, a Zeeschuimer capture, the school's own Instagram and TikTok exports,
screenshots) with ``manifest.json`` saying how each is imported, and the answer key apart.
``build_case(case_dir)`` turns such a folder (by default the bundled ``sample_data/``) into a case.
Same seed, same bytes: nothing depends on the clock.
"""

from __future__ import annotations

import json
import logging
import random
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

from ..case import Case
from ..errors import CaseError, InvestigateError
from ._activity import Story, creator_kind, tell_story
from ._answer import answer_key, answer_markdown
from ._casework import record_casework
from ._difficulty import DIFFICULTIES, Difficulty, Harder, make_harder
from ._files import write_files
from ._shapes import SHAPES
from ._world import World, build_world
from ._writers import stream_followers_csv, write_json

__all__ = ["DIFFICULTIES", "SHAPES", "Difficulty", "Scale", "build_case", "generate", "generate_siblings",
           "load_answer_key", "record_casework", "reveal_answer", "sample_data_dir", "stream_followers_csv"]

log = logging.getLogger("investigate")

Scale = Literal["small", "trust", "large"]
_SHAPES: dict[str, dict[str, Any]] = {
    "small": {"schools": 1, "years": (8, 9, 10), "forms": 4, "per_form": 8, "copycats": 2},
    "trust": {"schools": 3, "years": (7, 8, 9, 10, 11), "forms": 5, "per_form": 10, "copycats": 3},
    "large": {"schools": 3, "years": (7, 8, 9, 10, 11), "forms": 5, "per_form": 10, "copycats": 3},
}


def sample_data_dir() -> Path:
    """The bundled sample case: the repository's ``sample_data/`` (``generate(seed=7, scale="small")``)."""
    return Path(__file__).resolve().parents[2] / "sample_data"


def generate(out_dir: str | Path, *, seed: int = 7, scale: Scale = "small", difficulty: Difficulty = "easy",
             shape: str | None = None) -> Path:
    """Write a training case's files into ``out_dir`` (new or empty) and return its path.

    Writes ``case.json``, ``manifest.json`` (how to import each file, in order), the data files,
    ``screenshots/*.png``, and ``answer_key.json``/``answer_key.md`` (the creator and why).
    ``difficulty``: ``easy`` (the bundled sample's kind), ``realistic`` or ``hard`` (decoys, a
    careful creator, missing files; the answer key says which evidence is there). ``shape`` (hard
    only): one of :data:`SHAPES` (a victim tagged and mocked, two captures with an unfollow, first
    follows of the maker's family, an adult outside the school) or "" for none; by default the
    seed picks one.
    """
    if scale not in _SHAPES:
        raise InvestigateError(f"Unknown scale {scale!r}: use small, trust or large.")
    if difficulty not in DIFFICULTIES:
        raise InvestigateError(f"Unknown difficulty {difficulty!r}: use easy, realistic or hard.")
    if shape and (shape not in SHAPES or difficulty != "hard"):
        raise InvestigateError(f"Unknown shape {shape!r} for a {difficulty} case: a hard case takes one of "
                               f"{', '.join(SHAPES)}.")
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InvestigateError(f"{out} already exists and is not empty: choose a new folder for the training case.")
    out.mkdir(parents=True, exist_ok=True)
    size = _SHAPES[scale]
    rng = random.Random(seed)
    world, _ = build_world(rng, schools=size["schools"], years=size["years"], forms=size["forms"],
                           per_form=size["per_form"])
    story = tell_story(world, rng, seed=seed, copycats=size["copycats"], reach=1.0 if scale == "small" else 2.0)
    harder = make_harder(world, story, seed=seed, difficulty=difficulty, shape=shape)
    reference = f"TRAIN-{seed:04d}" + ("" if scale == "small" else f"-{scale.upper()}") + (
        "" if difficulty == "easy" else f"-{difficulty.upper()}")
    _write_case(out, world, story, rng, harder, seed=seed, scale=scale, reference=reference,
                schools=[s.name for s in world.schools])
    return out


def _write_case(out: Path, world: World, story: Story, rng: random.Random, harder: Harder, *, seed: int,
                scale: Scale, reference: str, schools: list[str]) -> None:
    """The files of one told story: data files, screenshots, case.json, manifest, README and answer key."""
    log.info("training case: %s, fake account @%s, %d posts", world.schools[0].name, story.subject.handle,
             len(story.posts))
    manifest, screenshots = write_files(out, world, story, rng, scale=scale, seed=seed, harder=harder)
    target = world.people[story.impersonated].name if story.impersonated >= 0 else world.schools[0].name
    case = {
        "title": f"Fake TikTok account impersonating {target} (training)",
        "reference": reference,
        "school": schools,
        "trust": world.trust,
        "analyst": story.analyst,
        "timezone": "Europe/London",
        "classification": "TRAINING - FICTIONAL DATA",
        "seed": seed,
        "scale": scale,
        "subject": {"platform": "tiktok", "handle": story.subject.handle},
        "screenshots": screenshots,
    }
    write_json(out / "case.json", case)
    write_json(out / "manifest.json", manifest)
    (out / "README.md").write_bytes(_readme(case, manifest).encode("utf-8"))
    key = answer_key(world, story, seed=seed, scale=scale, harder=harder)
    write_json(out / "answer_key.json", key)
    (out / "answer_key.md").write_bytes(answer_markdown(key).encode("utf-8"))
    log.info("training case written to %s (%d files to import, %d screenshots)", out, len(manifest), len(screenshots))


def generate_siblings(out_dir: str | Path, *, seed: int = 7, schools: int = 3,
                      maker: tuple[int, int] = (0, 2)) -> list[Path]:
    """Training cases of sibling schools of one trust, one folder each (``school1``, ``school2``, ...).

    One world holds every school (so no two learners share a handle); each school has its own fake
    account, told as in :func:`generate` (small scale, easy) with no follower from another school,
    except that whoever made the fake account at school ``maker[0]`` also makes the first copycat at
    school ``maker[1]`` (followed first by that maker, then by their friends). ``siblings.json``
    in ``out_dir`` says so: it is the answer key of the link between the cases.
    """
    shape = _SHAPES["small"]
    if schools < 2 or not (0 <= maker[0] < schools and 0 <= maker[1] < schools) or maker[0] == maker[1]:
        raise InvestigateError(f"Sibling cases need two or more schools and a maker between two of them "
                               f"(got {schools} schools, maker {maker}).")
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InvestigateError(f"{out} already exists and is not empty: choose a new folder for the training cases.")
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    world, _ = build_world(rng, schools=schools, years=shape["years"], forms=shape["forms"],
                           per_form=shape["per_form"])
    seeds = []
    for i in range(schools):  # a parent as the creator would be a parent at the first school: learners only
        s = seed * 10 + i
        while creator_kind(s) == "parent":
            s += 10
        seeds.append(s)
    folders: dict[int, Path] = {}
    made_by: int | None = None
    told: dict[int, Story] = {}
    for i in [maker[0]] + [i for i in range(schools) if i != maker[0]]:
        view = _centred(world, i)
        story_rng = random.Random(seeds[i])
        makers = [made_by] if i == maker[1] and made_by is not None else None
        story = tell_story(view, story_rng, seed=seeds[i], copycats=shape["copycats"], reach=0.0, copy_makers=makers)
        if i == maker[0]:
            made_by = story.creators[0]
        told[i] = story
        folders[i] = out / f"school{i + 1}"
        folders[i].mkdir()
        _write_case(folders[i], view, story, story_rng, make_harder(view, story, seed=seeds[i], difficulty="easy"),
                    seed=seeds[i], scale="small", reference=f"TRUST-{seed:04d}-{chr(ord('A') + i)}",
                    schools=[view.schools[0].name])
    assert made_by is not None  # the maker's school is told first
    link = {"trust": world.trust, "maker": world.people[made_by].name, "maker_handle": world.people[made_by].handle,
            "subject_at": {"folder": folders[maker[0]].name, "handle": told[maker[0]].subject.handle},
            "copycat_at": {"folder": folders[maker[1]].name, "handle": told[maker[1]].copycats[0].handle},
            "cases": {folders[i].name: f"TRUST-{seed:04d}-{chr(ord('A') + i)}" for i in range(schools)}}
    write_json(out / "siblings.json", link)
    return [folders[i] for i in range(schools)]


def _centred(world: World, school: int) -> World:
    """The world as seen from ``school``: it comes first, the people's school numbers follow."""
    n = len(world.schools)
    return World(trust=world.trust, schools=world.schools[school:] + world.schools[:school],
                 people=[replace(p, school=(p.school - school) % n) for p in world.people], groups=world.groups)


def _readme(case: dict[str, Any], manifest: list[dict[str, Any]]) -> str:
    """How a trainer uses the folder: what each file is and the commands that import it."""
    lines = [f"# {case['title']}", "", "Fictional training data: every school, person and account is invented.",
             "", f"School: {', '.join(case['school'])}. Analyst: {case['analyst']}. Seed {case['seed']}, "
             f"scale {case['scale']}.", "",
             "Build the case in one step: `python -c \"from investigate.training import build_case; "
             "build_case('my-case', source='.')\"`, or by hand:", "", "```",
             f"investigate new CASE --title \"{case['title']}\" --school \"{case['school'][0]}\"",
             "investigate evidence add CASE screenshots/*.png"]
    for entry in manifest:
        options = [f"--format {entry['format']}"]
        options += [f"--platform {entry['platform']}"] if entry["platform"] else []
        options += [f"--account {entry['account']}"] if entry["account"] else []
        options += [f"--list {entry['list']}"] if entry["list"] else []
        options += [f"--order {entry['order']}"] if entry.get("order") else []
        options += [f"--observed-at {entry['observed_at']}"]
        lines.append(f"investigate import CASE {entry['file']} {' '.join(options)}")
    lines += ["```", "", "## Files", ""]
    lines += [f"- `{entry['file']}`: {entry['description']}" for entry in manifest]
    lines += ["- `screenshots/`: captures of the profile and posts, with the URL, date and username visible.", "",
              "`answer_key.json` and `answer_key.md` name the creator: keep them from trainees until the end.", ""]
    return "\n".join(lines)


def _folder(folder: str | Path | Case | None) -> Path:
    if isinstance(folder, Case):
        source = folder.config.get("training_source")
        if not source:
            raise InvestigateError(f"The case in {folder.path} was not built from a training case, so it has no "
                                   "answer key.")
        folder = Path(source)
    path = sample_data_dir() if folder is None else Path(folder)
    if not (path / "manifest.json").is_file() or not (path / "case.json").is_file():
        raise InvestigateError(
            f"{path} is not a training case folder (it has no case.json and manifest.json). "
            "Make one with: investigate training generate OUT_DIR"
        )
    return path


def load_answer_key(folder: str | Path | Case | None = None) -> dict[str, Any]:
    """The answer key of a generated folder (default: the bundled sample case) as a dict.

    ``folder`` may also be a case made by :func:`build_case`: its training folder is used.
    """
    path = _folder(folder) / "answer_key.json"
    if not path.is_file():
        raise InvestigateError(f"{path.parent} has no answer_key.json: the trainer may have removed it.")
    result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return result


def reveal_answer(folder: str | Path | Case | None = None) -> str:
    """The answer key as markdown, for the last cell of a training session.

    ``folder``: a generated folder (default: the bundled sample case), or a case made by
    :func:`build_case` (the folder it was built from is recorded in its ``case.toml``).
    """
    path = _folder(folder) / "answer_key.md"
    if not path.is_file():
        raise InvestigateError(f"{path.parent} has no answer_key.md: the trainer may have removed it.")
    return path.read_text(encoding="utf-8")


def build_case(case_dir: str | Path, *, source: str | Path | None = None, who: str = "trainer") -> Case:
    """Make a case in ``case_dir`` (new, or an empty folder) from a generated folder (default: sample_data).

    Creates the case from ``case.json``, registers the screenshots as evidence, then imports
    each ``manifest.json`` entry in order. Raises :class:`~investigate.errors.CaseError` if
    ``case_dir`` already holds anything, and the import's own error if a file does not load.
    """
    from ..evidence import add_evidence
    from ..importer import import_file

    folder = _folder(source)
    target = Path(case_dir)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise CaseError(f"{target} already exists and is not empty: choose a new folder for the training case.")
    config = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    case = Case.create(target, title=config["title"], school=config.get("school", []), analyst=config.get("analyst"),
                       timezone_name=config.get("timezone", "Europe/London"), reference=config.get("reference"),
                       classification=config.get("classification", "OFFICIAL-SENSITIVE"))
    case.set_config(training_source=str(folder.resolve()), training_seed=int(config.get("seed", -1)))
    log.info("case created in %s", target)
    for shot in config.get("screenshots", []):
        add_evidence(case, [folder / shot["file"]], captured_by=shot.get("captured_by"),
                     captured_at=shot.get("captured_at"), source_url=shot.get("source_url"),
                     description=shot.get("description"), who=who)
        log.info("registered %s", shot["file"])
    for n, entry in enumerate(manifest, start=1):
        result = import_file(case, folder / entry["file"], format=entry.get("format") or "auto",
                             platform=entry.get("platform"), account=entry.get("account"),
                             list_kind=entry.get("list"), observed_at=entry.get("observed_at"),
                             order=entry.get("order"), who=who)
        log.info("%d/%d %s", n, len(manifest), result.summary())
    return case
