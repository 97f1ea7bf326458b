"""``python -m benchmarks --leads-quality``: does the ranking find the creator on cases it was not tuned on?

For each difficulty, training cases of N seeds are generated, built through the real importers
(:func:`investigate.training.build_case`) and ranked; the creator's rank is the best rank of any
handle the answer key gives the creator(s). Printed: top-1 and top-3 hit rates and the median
rank, for the seeds the weights were tuned on and, apart, for held-out seeds they never were.
"""

from __future__ import annotations

import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path

TUNING_SEEDS = tuple(range(1, 41))  # the weights were adjusted while looking at these
HELD_OUT_SEEDS = tuple(range(9001, 9041))  # never looked at while tuning: the honest figure
DIFFICULTIES = ("easy", "realistic", "hard")
TARGETS = {"easy": ("top-1", 1.0), "realistic": ("top-3", 0.9)}  # hard: reported, no target


@dataclass(frozen=True)
class Outcome:
    seed: int
    difficulty: str
    rank: int | None  # None: the creator is not among the leads at all
    leads: int


def creator_rank(seed: int, difficulty: str, work: Path) -> Outcome:
    """Generate, build and rank one training case; where does its creator come?"""
    from investigate.leads import rank_leads
    from investigate.training import build_case, generate, load_answer_key
    from investigate.training._answer import creator_handles

    folder = generate(work / f"{difficulty}-{seed}", seed=seed, difficulty=difficulty)  # type: ignore[arg-type]
    case = build_case(work / f"{difficulty}-{seed}-case", source=folder)
    key = load_answer_key(folder)
    leads = rank_leads(case.table("relationships"), case.table("interactions"), case.table("posts"),
                       case.table("accounts"), case.table("people"), subject=key["subject"]["handle"])
    makers = creator_handles(key)
    ranks = [int(r) for r, h in zip(leads["rank"], leads["handle_key"], strict=True) if h in makers]
    return Outcome(seed, difficulty, min(ranks) if ranks else None, len(leads))


def summarise(outcomes: list[Outcome]) -> dict[str, float]:
    """Hit rates (a creator missing from the leads is a miss) and the median rank (missing = last + 1)."""
    n = len(outcomes)
    ranks = [o.rank if o.rank is not None else o.leads + 1 for o in outcomes]
    return {"n": n, "top-1": sum(r == 1 for r in ranks) / n, "top-3": sum(r <= 3 for r in ranks) / n,
            "median": float(statistics.median(ranks)), "worst": float(max(ranks))}


def describe_weights() -> list[str]:
    from investigate import leads

    lines = ["weights (points per reason; the score is the sum):"]
    lines += [f"  {name:<22} {value:g}" for name, value in leads.WEIGHTS.items()]
    lines.append(f"  caps: comment reasons together <= {leads.COMMENT_CAP:g}; a lead needs >= {leads.LEAD_FLOOR:g}; "
                 f"positions scored only in lists recorded {' or '.join(leads.SCORED_ORDERS)}")
    lines.append("features: " + ", ".join(leads.FEATURES))
    return lines


def run(seeds_per_difficulty: int, say) -> int:  # type: ignore[no-untyped-def]
    """Print the table; 0 when the targets are met on both seed sets, 1 otherwise."""
    from .__main__ import table

    for line in describe_weights():
        say(line)
    verdicts: list[list[str]] = []
    with tempfile.TemporaryDirectory(prefix="investigate-quality-") as tmp:
        work = Path(tmp)
        for label, pool in (("tuning seeds", TUNING_SEEDS), ("held-out seeds", HELD_OUT_SEEDS)):
            seeds = pool[:seeds_per_difficulty]
            rows = []
            for difficulty in DIFFICULTIES:
                outcomes = [creator_rank(seed, difficulty, work) for seed in seeds]
                stats = summarise(outcomes)
                misses = [f"{o.seed}:{o.rank or '-'}" for o in outcomes if o.rank != 1]
                rows.append([difficulty, f"{stats['n']:.0f}", f"{stats['top-1']:.0%}", f"{stats['top-3']:.0%}",
                             f"{stats['median']:g}", f"{stats['worst']:g}", " ".join(misses[:8]) or "-"])
                if difficulty in TARGETS:
                    name, bar = TARGETS[difficulty]
                    verdicts.append([f"{label}: {difficulty} {name} >= {bar:.0%}", f"{stats[name]:.0%}",
                                     "PASS" if stats[name] >= bar else "MISS"])
                else:
                    verdicts.append([f"{label}: {difficulty} (no target: reported)",
                                     f"top-1 {stats['top-1']:.0%}, top-3 {stats['top-3']:.0%}", "n/a"])
            say()
            say(f"{label} ({seeds[0]}..{seeds[-1]}, {len(seeds)} per difficulty):")
            say(table(["difficulty", "cases", "top-1", "top-3", "median rank", "worst", "not first (seed:rank)"],
                      rows))
    say()
    say(table(["target", "measured", "result"], verdicts))
    return 0 if all(v[2] != "MISS" for v in verdicts) else 1
