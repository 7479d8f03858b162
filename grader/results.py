"""The one results model: what every output format renders and what ``grader.grade`` returns."""
from dataclasses import asdict, dataclass, field
from typing import Dict, List, Optional

PASSED, FAILED, NOT_ATTEMPTED, ERROR, TIMEOUT = "passed", "failed", "not_attempted", "error", "timeout"
SKIPPED = "skipped"  # a slow exercise in a run without --slow: worth 0 of 0 points
STATUSES = (PASSED, FAILED, NOT_ATTEMPTED, ERROR, TIMEOUT, SKIPPED)


@dataclass
class ExerciseResult:
    """How one exercise ended: status, points earned out of max_points, and feedback."""

    id: str  # noqa: A003  (the results format's field name)
    chapter: str
    status: str
    points: float
    max_points: float
    message: str = ""
    hint: str = ""

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError("unknown status %r; use one of %s" % (self.status, ", ".join(STATUSES)))


@dataclass
class GradeReport:
    """Every graded exercise in check order, the run's wall time, the seed that reproduces it, notes
    on how the submission was read (a notebook graded instead of a module, magics dropped, ...), and the
    isolation the student's code ran under: {layer: {"active": bool, "reason": str}} for the layers
    user, filesystem, network and signals (empty when unknown, as in reports of older versions)."""

    exercises: List[ExerciseResult] = field(default_factory=list)
    duration_s: float = 0.0
    seed: Optional[int] = None
    notes: List[str] = field(default_factory=list)
    isolation: Dict[str, Dict[str, object]] = field(default_factory=dict)

    @property
    def score(self):
        """Points earned over all exercises."""
        return _tidy(sum(result.points for result in self.exercises))

    @property
    def max_score(self):
        """Points available over all exercises."""
        return _tidy(sum(result.max_points for result in self.exercises))

    @property
    def all_passed(self):
        """Whether every graded exercise passed, skipped ones aside (the CLI's exit code 0)."""
        return all(result.status in (PASSED, SKIPPED) for result in self.exercises)

    def isolation_line(self):
        """'Isolated: user, filesystem, network, signals', with each missing layer and why ('' if unknown)."""
        if not self.isolation:
            return ""
        active = [layer for layer, state in self.isolation.items() if state["active"]]
        missing = ["%s (%s)" % (layer, state["reason"]) for layer, state in self.isolation.items()
                   if not state["active"]]
        if not active:
            return "Isolated: no (%s)" % "; ".join(sorted(set(state["reason"] for state in self.isolation.values())))
        return "Isolated: %s%s" % (", ".join(active), "; not isolated: " + ", ".join(missing) if missing else "")

    def chapters(self):
        """(chapter, its results) pairs in check order."""
        grouped = {}
        for result in self.exercises:
            grouped.setdefault(result.chapter, []).append(result)
        return list(grouped.items())

    def to_dict(self):
        """The JSON results format: score, max_score, duration_s, seed, notes, isolation, one dict per exercise."""
        return {"score": self.score, "max_score": self.max_score, "duration_s": round(self.duration_s, 3),
                "seed": self.seed, "notes": list(self.notes), "isolation": {
                    layer: dict(state) for layer, state in self.isolation.items()},
                "exercises": [asdict(result) for result in self.exercises]}

    @classmethod
    def from_dict(cls, data):
        """Inverse of to_dict (score and max_score are recomputed from the exercises)."""
        return cls([ExerciseResult(**item) for item in data["exercises"]], data["duration_s"], data.get("seed"),
                   list(data.get("notes", [])), dict(data.get("isolation", {})))


def _tidy(number):
    """An int when number is whole (12 rather than 12.0), else number rounded to 4 places."""
    number = round(number, 4)
    return int(number) if float(number).is_integer() else number
