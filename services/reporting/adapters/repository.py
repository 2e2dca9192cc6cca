"""Reporting's table for reports: goals, guidelines, imports, published versions (keys: adapters/aggregates.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from services.reporting.adapters.aggregates import AggregatesRepository
from services.reporting.domain.goals import Goal
from services.reporting.domain.imports import Kind, StoredSet
from services.reporting.domain.models import PublishedVersion
from services.reporting.domain.span import Guideline
from services.shared.store import Delete, Put, Update, Write


class ReportingRepository(AggregatesRepository):
    """What reports, goals, guidelines, imports and publishing add to the consumer's view."""

    # --- goals and guidelines ---------------------------------------------------------------------

    def save_goal(self, goal: Goal) -> Put:
        return Put({"pk": self.table.key("GOALS"), "sk": goal.indicator, "model": goal.model_dump(mode="json")})

    def goals(self) -> list[Goal]:
        return [Goal.model_validate(i["model"]) for i in self.table.query(self.table.key("GOALS")).items]

    def delete_goal(self, indicator: str) -> Delete:
        return Delete(pk=self.table.key("GOALS"), sk=indicator, condition="attribute_exists(pk)")

    def save_guidelines(self, guidelines: Sequence[Guideline]) -> Update:
        return Update(
            pk=self.table.key("GUIDELINES"),
            sk="SPAN",
            expression="SET " + ", ".join(f"#g{i} = :g{i}" for i in range(len(guidelines))),
            names={f"#g{i}": f"a:{g.area}" for i, g in enumerate(guidelines)},
            values={f":g{i}": g.model_dump(mode="json") for i, g in enumerate(guidelines)},
        )

    def guidelines(self) -> dict[str, Guideline]:
        item = self.table.get(self.table.key("GUIDELINES"), "SPAN") or {}
        return {k[2:]: Guideline.model_validate(v) for k, v in item.items() if k.startswith("a:")}

    # --- published reports ------------------------------------------------------------------------

    def published(self, version: PublishedVersion) -> Put:
        return Put(
            {
                "pk": self.table.key("PUBLISHED", version.period, version.scope),
                "sk": f"{version.published_at.isoformat()}#{version.version_id}",
                "model": version.model_dump(mode="json"),
            },
            condition="attribute_not_exists(pk)",
        )

    def versions(self, period: str, scope: str) -> list[PublishedVersion]:
        items = self.table.query(self.table.key("PUBLISHED", period, scope), newest_first=True).items
        return [PublishedVersion.model_validate(i["model"]) for i in items]

    # --- imported survey results and key figures ----------------------------------------------------

    def imported(self, period: str) -> list[StoredSet]:
        """Every unit's imported figures of a half-year: one Query."""
        return [StoredSet.model_validate(i["model"]) for i in self.table.query(self.table.key("IMPORT", period)).items]

    def imported_sets(self, keys: Sequence[tuple[str, Kind, str]]) -> dict[tuple[str, Kind, str], StoredSet]:
        found = self.table.get_many([(self.table.key("IMPORT", p), f"{k.value}#{u}") for p, k, u in keys])
        sets = [StoredSet.model_validate(item["model"]) for item in found.values()]
        return {(s.period, s.kind, s.unit_id): s for s in sets}

    def save_imported(self, before: StoredSet | None, after: StoredSet) -> list[Write]:
        """The new version in place of the current one (if nobody replaced it meanwhile), and kept in history."""
        model = after.model_dump(mode="json")
        current = {
            "pk": self.table.key("IMPORT", after.period),
            "sk": f"{after.kind.value}#{after.unit_id}",
            "model": model,
        }
        history = {
            "pk": self.table.key("IMPORTED", after.period, after.kind.value, after.unit_id),
            "sk": f"v{after.version:05d}",
            "model": model,
        }
        guard = (
            Put(current, condition="attribute_not_exists(pk)")
            if before is None
            else Put(
                current, condition="#m.#v = :v", names={"#m": "model", "#v": "version"}, values={":v": before.version}
            )
        )
        return [guard, Put(history, condition="attribute_not_exists(pk)")]

    def versions_of(self, period: str, kind: Kind, unit_id: str) -> list[StoredSet]:
        items = self.table.query(self.table.key("IMPORTED", period, kind.value, unit_id)).items
        return [StoredSet.model_validate(i["model"]) for i in items]

    def questions(self) -> dict[str, str]:
        item = self.table.get(self.table.key("QUESTIONS"), "MAP") or {}
        return {k[2:]: str(v) for k, v in item.items() if k.startswith("q:")}

    def save_questions(self, questions: Mapping[str, str]) -> Update:
        return Update(
            pk=self.table.key("QUESTIONS"),
            sk="MAP",
            expression="SET " + ", ".join(f"#q{i} = :q{i}" for i in range(len(questions))),
            names={f"#q{i}": f"q:{q}" for i, q in enumerate(questions)},
            values={f":q{i}": indicator for i, indicator in enumerate(questions.values())},
        )
