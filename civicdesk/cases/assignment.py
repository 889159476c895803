"""Rotation assignment (輪分) of new cases to a branch's subdivisions (股).

Rules, in order:
1. Only active subdivisions that are not paused (leave, vacancy) take new cases.
2. A category with restrictions goes only to the subdivisions named for it.
3. A new case of an obligor already held by an eligible subdivision goes to that subdivision.
4. Otherwise the next eligible subdivision after the one that took the last rotated case, in the
   branch's order of subdivisions — so over time every eligible subdivision takes the same number.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection

from civicdesk.cases.bulk import in_list, quoted_table
from civicdesk.cases.models import Case, CategoryRestriction, RotationState, SubdivisionSetting
from civicdesk.organization.models import Branch, Unit

ROTATION = "rotation"
SAME_OBLIGOR = "same_obligor"


@dataclass
class RotationPlanner:
    """Loaded once per batch inside the writing transaction; :meth:`save` stores the rotation position."""

    branch: Branch
    order: list[int] = field(default_factory=list)  # unit ids of eligible subdivisions, in branch order
    codes: dict[int, str] = field(default_factory=dict)
    restricted: dict[int, set[int]] = field(default_factory=dict)  # category id → unit ids
    holder: dict[str, int] = field(default_factory=dict)  # obligor id → unit id
    last_unit_id: int | None = None
    state: RotationState | None = None
    _eligible: dict[int, frozenset[int]] = field(default_factory=dict)
    _following: dict[tuple[frozenset[int], int | None], int] = field(default_factory=dict)  # memo of the ring

    @classmethod
    def load(cls, branch: Branch, obligor_ids: Iterable[str] = ()) -> RotationPlanner:
        units = list(
            Unit.objects.filter(branch=branch, kind=Unit.Kind.SUBDIVISION, is_active=True).order_by("ordering", "code")
        )
        paused = set(
            SubdivisionSetting.objects.filter(unit__branch=branch, paused=True).values_list("unit_id", flat=True)
        )
        planner = cls(branch=branch)
        planner.order = [u.pk for u in units if u.pk not in paused]
        planner.codes = {u.pk: u.code for u in units}
        restricted: dict[int, set[int]] = defaultdict(set)
        for category_id, unit_id in CategoryRestriction.objects.filter(unit__branch=branch).values_list(
            "category_id", "unit_id"
        ):
            restricted[category_id].add(unit_id)
        planner.restricted = dict(restricted)
        planner.state = RotationState.objects.select_for_update().filter(branch=branch).first()
        if planner.state is None:
            planner.state = RotationState.objects.create(branch=branch)
        planner.last_unit_id = planner.state.last_unit_id
        planner.remember_obligors(obligor_ids)
        return planner

    def remember_obligors(self, obligor_ids: Iterable[str]) -> None:
        wanted = sorted(set(obligor_ids) - set(self.holder))
        table = quoted_table(Case)
        with connection.cursor() as cursor:
            for start in range(0, len(wanted), 5000):
                chunk = wanted[start : start + 5000]
                condition, params = in_list("obligor_id", chunk)
                # Raw SQL: the ORM's per-parameter work on a long IN list costs more than the indexed query.
                cursor.execute(
                    f"SELECT obligor_id, subdivision_id FROM {table} WHERE branch_id = %s "  # noqa: S608
                    f"AND {condition} AND subdivision_id IS NOT NULL ORDER BY id",
                    [self.branch.pk, *params],
                )
                for obligor_id, unit_id in cursor.fetchall():
                    self.holder[obligor_id] = unit_id  # the latest case wins

    def eligible(self, category_id: int) -> frozenset[int]:
        cached = self._eligible.get(category_id)
        if cached is None:
            allowed = self.restricted.get(category_id)
            cached = frozenset(u for u in self.order if allowed is None or u in allowed)
            self._eligible[category_id] = cached
        return cached

    def choose(self, *, category_id: int, obligor_id: str) -> tuple[int, str] | None:
        """The subdivision for a new case and how it was chosen; None when no subdivision may take it."""
        eligible = self.eligible(category_id)
        if not eligible:
            return None
        held = self.holder.get(obligor_id)
        if held is not None and held in eligible:
            return held, SAME_OBLIGOR
        unit_id = self._following.get((eligible, self.last_unit_id))
        if unit_id is None:  # once per (eligible set, last unit): the intake chooses for millions of rows
            position = self.order.index(self.last_unit_id) if self.last_unit_id in self.order else -1
            ring = self.order[position + 1 :] + self.order[: position + 1]
            unit_id = next(u for u in ring if u in eligible)
            self._following[(eligible, self.last_unit_id)] = unit_id
        self.last_unit_id = unit_id
        self.holder[obligor_id] = unit_id
        return unit_id, ROTATION

    def note(self, *, obligor_id: str, unit_id: int) -> None:
        """A case of this obligor was placed by other means (legacy data, manual)."""
        self.holder[obligor_id] = unit_id

    def save(self) -> None:
        assert self.state is not None
        if self.state.last_unit_id != self.last_unit_id:
            self.state.last_unit_id = self.last_unit_id
            self.state.save(update_fields=["last_unit"])
