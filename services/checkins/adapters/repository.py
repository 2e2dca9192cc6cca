"""Check-ins' table: wheels, cycles, check-ins and what is said in them, newcomers, mentoring, and the
calendar the daily job works from. The only place that knows these keys (the directory's: directory.py).

pk                    sk                                     what
WHEEL#<wheel>         META                                   the wheel's current version (gsi1: WHEELS / <wheel>)
WHEEL#<wheel>         V#<version>                            every version, never changed
PERSON#<person>       CYCLE#<year>#<wheel>                   a cycle: its plan, and where each of its check-ins stands
                                                             (gsi1: CYCLES#<year> / <person>#<wheel>)
PERSON#<person>       CHECKIN#<id>                           a check-in, revision-locked; ids sort by due date
                                                             (gsi1 while open: HOLDER#<holder> / <due_on>#<id>)
PERSON#<person>       THREAD#<thread>#TP#<id>                a talking point
PERSON#<person>       THREAD#<thread>#ACTION#<id>            an action item (gsi1 while open: OWNER#<owner> / <due_on>#<id>)
PERSON#<person>       THREAD#<thread>#NOTE#<checkin>#<id>    a note, private to its author or shared
PERSON#<person>       INTRODUCTION                           a newcomer's follow-ups and checklist, revision-locked
                                                             (gsi1: NEWCOMERS / <employment start>#<person>)
SETTINGS              NEWCOMERS                              the tenant's newcomer settings
UNIT#<unit>           CHECKLIST                              a unit's own introduction items
PAIR#<pair>           META                                   a mentoring pair (gsi1: PAIRS / <starts_on>#<pair>)
PAIR#<pair>           MEETING#<held_on>#<id>                 a meeting of the pair, with its note
DUE                   <date>#<what>#<person>#<id>            the calendar: what the daily job does on a day (remind,
                                                             miss, overdue, pair-end), removed once done

The daily job reads `DUE` up to today and nothing else: its work grows with what falls due, never with
the tenant. Everything said in a conversation lives in the person's partition, in its thread, so one
query brings a check-in's talking points, action items and notes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Literal

from services.checkins.domain.mentoring import Meeting, Pair
from services.checkins.domain.models import ActionItem, ActionItemStatus, CheckIn, CheckInState, Note, TalkingPoint
from services.checkins.domain.newcomers import Introduction, NewcomerSettings, UnitChecklist
from services.checkins.domain.wheel import Cycle, Wheel
from services.shared.envelope import EventEnvelope
from services.shared.errors import Conflict, NotFound
from services.shared.store import Check, ConditionFailed, Delete, Put, TenantTable, Update, Write

AlarmKind = Literal["remind", "miss", "overdue", "pair-end"]
CALENDAR = "DUE"


@dataclass(frozen=True)
class Alarm:
    """An entry of the calendar: what to do, for whom, on what."""

    sk: str
    day: date
    kind: AlarmKind
    person_id: str
    target_id: str
    thread_id: str | None = None


@lru_cache(maxsize=256)
def _wheel_version(table_name: str, tenant_id: str, wheel_id: str, version: int) -> Wheel | None:
    # Versions never change, so a warm function reads each once.
    table = TenantTable(table_name, tenant_id)
    item = table.get(table.key("WHEEL", wheel_id), f"V#{version:04d}", consistent=False)
    return Wheel.model_validate(item["model"]) if item else None


class CheckInStore:
    def __init__(self, table: TenantTable) -> None:
        self.table = table

    def _person(self, person_id: str) -> str:
        return self.table.key("PERSON", person_id)

    def commit(self, writes: list[Write], events: list[EventEnvelope]) -> None:
        """Writes and the events that announce them, together; a lost race is a 409."""
        try:
            self.table.write(writes, events)
        except ConditionFailed as failure:
            raise Conflict("It changed at the same time; read it again and retry.") from failure

    # Wheels
    def publish_wheel(self, wheel: Wheel, events: list[EventEnvelope]) -> None:
        """Make `wheel` the current version; a new one only over the version it replaces."""
        pk = self.table.key("WHEEL", wheel.wheel_id)
        model = wheel.model_dump(mode="json")
        first = wheel.version == 1
        current = Put(
            {"pk": pk, "sk": "META", "model": model, "version": wheel.version}
            | {"gsi1pk": self.table.key("WHEELS"), "gsi1sk": wheel.wheel_id},
            condition="attribute_not_exists(pk)" if first else "version = :previous",
            values={} if first else {":previous": wheel.version - 1},
        )
        version = Put({"pk": pk, "sk": f"V#{wheel.version:04d}", "model": model}, condition="attribute_not_exists(pk)")
        try:
            self.table.write([current, version], events)
        except ConditionFailed as failure:
            if first:
                raise Conflict(f"Wheel {wheel.wheel_id} exists already; PUT a new version.") from failure
            raise Conflict(f"Wheel {wheel.wheel_id} changed at the same time; try again.") from failure

    def wheel(self, wheel_id: str) -> Wheel:
        item = self.table.get(self.table.key("WHEEL", wheel_id), "META")
        if item is None:
            raise NotFound(f"No wheel {wheel_id}.")
        return Wheel.model_validate(item["model"])

    def wheel_version(self, wheel_id: str, version: int) -> Wheel:
        wheel = _wheel_version(self.table.table_name, self.table.tenant_id, wheel_id, version)
        if wheel is None:
            raise NotFound(f"No version {version} of wheel {wheel_id}.")
        return wheel

    def wheels(self) -> list[Wheel]:
        page = self.table.query(self.table.key("WHEELS"), index="gsi1")
        return [Wheel.model_validate(i["model"]) for i in page.items]

    # Cycles
    def _cycle_sk(self, year: int, wheel_id: str) -> str:
        return f"CYCLE#{year}#{wheel_id}"

    def cycles_started(self, person_ids: list[str], year: int, wheel_id: str) -> set[str]:
        """Which of the people have this cycle already (a hundred per round trip)."""
        found = self.table.get_many([(self._person(p), self._cycle_sk(year, wheel_id)) for p in person_ids])
        return {i["model"]["person_id"] for i in found.values()}

    def cycle(self, person_id: str, year: int, wheel_id: str) -> tuple[Cycle, dict[str, CheckInState]] | None:
        item = self.table.get(self._person(person_id), self._cycle_sk(year, wheel_id))
        return self._cycle_of(item) if item else None

    @staticmethod
    def _cycle_of(item: dict[str, Any]) -> tuple[Cycle, dict[str, CheckInState]]:
        states = {key: CheckInState.model_validate(value) for key, value in item["states"].items()}
        return Cycle.model_validate(item["model"]), states

    def start_cycle(self, cycle: Cycle, checkins: list[CheckIn]) -> list[Write]:
        """The cycle and its check-ins; the cycle's key makes a second start of the same year fail."""
        item = {
            "pk": self._person(cycle.person_id),
            "sk": self._cycle_sk(cycle.year, cycle.wheel_id),
            "model": cycle.model_dump(mode="json"),
            "states": {c.checkin_id: CheckInState.of(c).model_dump(mode="json", exclude_none=True) for c in checkins},
            "gsi1pk": self.table.key(f"CYCLES#{cycle.year}"),
            "gsi1sk": f"{cycle.person_id}#{cycle.wheel_id}",
        }
        return [Put(item, condition="attribute_not_exists(pk)"), *self.save_checkins([(c, None) for c in checkins])]

    def cycles_of(self, person_id: str) -> list[tuple[Cycle, dict[str, CheckInState]]]:
        """A person's cycles, latest year first."""
        page = self.table.query(self._person(person_id), "CYCLE#", newest_first=True)
        return [self._cycle_of(item) for item in page.items]

    def cycles_of_year(
        self, year: int, limit: int | None = None, cursor: str | None = None
    ) -> tuple[list[tuple[Cycle, dict[str, CheckInState]]], str | None]:
        page = self.table.query(self.table.key(f"CYCLES#{year}"), index="gsi1", limit=limit, cursor=cursor)
        return [self._cycle_of(item) for item in page.items], page.cursor

    # Check-ins
    def _checkin_key(self, person_id: str, checkin_id: str) -> tuple[str, str]:
        return self._person(person_id), f"CHECKIN#{checkin_id}"

    def checkin(self, person_id: str, checkin_id: str) -> CheckIn:
        found = self.checkin_or_none(person_id, checkin_id)
        if found is None:
            raise NotFound(f"No check-in {checkin_id} of {person_id}.")
        return found

    def checkin_or_none(self, person_id: str, checkin_id: str) -> CheckIn | None:
        item = self.table.get(*self._checkin_key(person_id, checkin_id))
        return CheckIn.model_validate(item["model"]) if item else None

    def checkins_by_key(self, keys: Iterable[tuple[str, str]]) -> dict[str, CheckIn]:
        """Check-ins by (person, check-in id), a hundred per round trip."""
        found = self.table.get_many([self._checkin_key(p, c) for p, c in keys])
        return {i["model"]["checkin_id"]: CheckIn.model_validate(i["model"]) for i in found.values()}

    def checkins_of(
        self, person_id: str, limit: int | None = None, cursor: str | None = None
    ) -> tuple[list[CheckIn], str | None]:
        """A person's check-ins, latest due first (a page, or all)."""
        page = self.table.query(self._person(person_id), "CHECKIN#", limit=limit, cursor=cursor, newest_first=True)
        return [CheckIn.model_validate(i["model"]) for i in page.items], page.cursor

    def agenda(self, holder_id: str, limit: int, cursor: str | None) -> tuple[list[CheckIn], str | None]:
        """The open check-ins someone holds, first due first."""
        page = self.table.query(self.table.key("HOLDER", holder_id), index="gsi1", limit=limit, cursor=cursor)
        return [CheckIn.model_validate(i["model"]) for i in page.items], page.cursor

    def save_checkins(self, changes: Sequence[tuple[CheckIn, CheckIn | None]]) -> list[Write]:
        """Check-ins new (None before) or changed (each only over the revision it was read at), their
        calendar entries, and where each stands in its cycle: one write per cycle, however many change."""
        writes: list[Write] = []
        states: dict[tuple[str, str], dict[str, CheckInState]] = defaultdict(dict)
        holders: dict[tuple[str, str], str] = {}
        for checkin, before in changes:
            writes.append(self._checkin_put(checkin, before))
            writes += self._calendar_changes(checkin, before)
            if checkin.cycle_year and checkin.wheel_id and before is not None:
                key = (checkin.person_id, self._cycle_sk(checkin.cycle_year, checkin.wheel_id))
                states[key][checkin.checkin_id] = CheckInState.of(checkin)
                if checkin.manager_id != before.manager_id and checkin.is_open:
                    holders[key] = checkin.manager_id
        for (person_id, cycle_sk), changed in states.items():
            writes.append(self._cycle_states(person_id, cycle_sk, changed, holders.get((person_id, cycle_sk))))
        return writes

    def _checkin_put(self, checkin: CheckIn, before: CheckIn | None) -> Put:
        stored = checkin.model_copy(update={"revision": checkin.revision + (0 if before is None else 1)})
        pk, sk = self._checkin_key(checkin.person_id, checkin.checkin_id)
        item: dict[str, Any] = {
            "pk": pk,
            "sk": sk,
            "model": stored.model_dump(mode="json", exclude_none=True),
            "revision": stored.revision,
        }
        if checkin.is_open:
            item |= {
                "open": True,
                "gsi1pk": self.table.key("HOLDER", checkin.manager_id),
                "gsi1sk": f"{checkin.due_on.isoformat()}#{checkin.checkin_id}",
            }
        if before is None:
            return Put(item, condition="attribute_not_exists(pk)")
        return Put(item, condition="revision = :revision", values={":revision": before.revision})

    def _cycle_states(
        self, person_id: str, cycle_sk: str, changed: dict[str, CheckInState], holder: str | None
    ) -> Update:
        names: dict[str, str] = {"#states": "states"}
        values: dict[str, Any] = {}
        assignments: list[str] = []
        for n, (checkin_id, state) in enumerate(changed.items()):
            names[f"#c{n}"], values[f":c{n}"] = checkin_id, state.model_dump(mode="json", exclude_none=True)
            assignments.append(f"#states.#c{n} = :c{n}")
        if holder:
            names["#model"], values[":holder"] = "model", holder
            assignments.append("#model.manager_id = :holder")
        return Update(
            self._person(person_id),
            cycle_sk,
            "SET " + ", ".join(assignments),
            condition="attribute_exists(pk)",
            names=names,
            values=values,
        )

    def _calendar_changes(self, checkin: CheckIn, before: CheckIn | None) -> list[Write]:
        """Calendar entries follow the check-in: both when it is made, a new last day when it is booked
        late, none once it is closed. A reminder already sent is never entered again."""
        new, old = self._alarms_of(checkin), self._alarms_of(before) if before else {}
        calendar = self.table.key(CALENDAR)
        writes: list[Write] = [Delete(calendar, sk) for sk in sorted(old.keys() - new.keys())]
        entered = [sk for sk, kind in new.items() if sk not in old and (before is None or kind == "miss")]
        return writes + [Put({"pk": calendar, "sk": sk}) for sk in sorted(entered)]

    def _alarms_of(self, checkin: CheckIn) -> dict[str, AlarmKind]:
        if not checkin.is_open or checkin.missed_on:
            return {}
        alarms: dict[str, AlarmKind] = {}
        if checkin.remind_on:
            alarms[self._alarm_sk(checkin.remind_on, "remind", checkin.person_id, checkin.checkin_id)] = "remind"
        if checkin.last_day:
            # the day after its last day, it is missed
            missed = checkin.last_day + timedelta(days=1)
            alarms[self._alarm_sk(missed, "miss", checkin.person_id, checkin.checkin_id)] = "miss"
        return alarms

    # Talking points, action items, notes: the thread
    def _thread(self, thread_id: str, *parts: str) -> str:
        return "#".join(["THREAD", thread_id, *parts])

    def thread(self, person_id: str, thread_id: str) -> tuple[list[TalkingPoint], list[ActionItem], list[Note]]:
        """Everything said in a thread's check-ins, in one query."""
        page = self.table.query(self._person(person_id), self._thread(thread_id) + "#")
        points, items, notes = [], [], []
        for item in page.items:
            kind = item["sk"].split("#")[2]
            if kind == "TP":
                points.append(TalkingPoint.model_validate(item["model"]))
            elif kind == "ACTION":
                items.append(ActionItem.model_validate(item["model"]))
            else:
                notes.append(Note.model_validate(item["model"]))
        return points, items, notes

    def while_open(self, checkin: CheckIn) -> Check:
        """A condition for what may be added only while the check-in is open."""
        return Check(
            *self._checkin_key(checkin.person_id, checkin.checkin_id),
            condition="attribute_exists(#open)",
            names={"#open": "open"},
        )

    def talking_point_put(self, person_id: str, point: TalkingPoint, new: bool) -> Put:
        sk = self._thread(point.thread_id, "TP", point.talking_point_id)
        item = {"pk": self._person(person_id), "sk": sk, "model": point.model_dump(mode="json")}
        return Put(item, condition="attribute_not_exists(pk)" if new else "attribute_exists(pk)")

    def action_item_writes(self, item: ActionItem, before: ActionItem | None) -> list[Write]:
        """The item, in its owner's list while open, and its day in the calendar once it is overdue."""
        sk = self._thread(item.thread_id, "ACTION", item.action_item_id)
        stored: dict[str, Any] = {"pk": self._person(item.person_id), "sk": sk, "model": item.model_dump(mode="json")}
        is_open = item.status is ActionItemStatus.OPEN
        if is_open:
            due = item.due_on.isoformat() if item.due_on else "9999-12-31"
            stored |= {"gsi1pk": self.table.key("OWNER", item.owner_id), "gsi1sk": f"{due}#{item.action_item_id}"}
        condition = "attribute_not_exists(pk)" if before is None else "#model.#status = :open"
        values = {} if before is None else {":open": ActionItemStatus.OPEN.value}
        names = {} if before is None else {"#model": "model", "#status": "status"}
        writes: list[Write] = [Put(stored, condition=condition, names=names, values=values)]
        if item.due_on:
            overdue_on = item.due_on + timedelta(days=1)
            if before is None:
                writes.append(
                    self._alarm_put(overdue_on, "overdue", item.person_id, item.action_item_id, item.thread_id)
                )
            elif not is_open:
                writes.append(
                    Delete(
                        self.table.key(CALENDAR),
                        self._alarm_sk(overdue_on, "overdue", item.person_id, item.action_item_id),
                    )
                )
        return writes

    def action_items_of_owner(
        self, owner_id: str, limit: int, cursor: str | None
    ) -> tuple[list[ActionItem], str | None]:
        page = self.table.query(self.table.key("OWNER", owner_id), index="gsi1", limit=limit, cursor=cursor)
        return [ActionItem.model_validate(i["model"]) for i in page.items], page.cursor

    def note_put(self, person_id: str, thread_id: str, note: Note, new: bool) -> Put:
        sk = self._thread(thread_id, "NOTE", note.checkin_id, note.note_id)
        item = {"pk": self._person(person_id), "sk": sk, "model": note.model_dump(mode="json")}
        return Put(item, condition="attribute_not_exists(pk)" if new else "attribute_exists(pk)")

    # The calendar
    def _alarm_sk(self, day: date, kind: AlarmKind, person_id: str, target_id: str) -> str:
        return f"{day.isoformat()}#{kind}#{person_id}#{target_id}"

    def _alarm_put(
        self, day: date, kind: AlarmKind, person_id: str, target_id: str, thread_id: str | None = None
    ) -> Put:
        item = {"pk": self.table.key(CALENDAR), "sk": self._alarm_sk(day, kind, person_id, target_id)}
        return Put(item | ({"thread_id": thread_id} if thread_id else {}))

    def due(self, today: date) -> list[Alarm]:
        """Every calendar entry up to and including today: what the daily job has to do."""
        page = self.table.query(self.table.key(CALENDAR), sk_until=today.isoformat() + "~")
        alarms = []
        for item in page.items:
            day, kind, person_id, target_id = item["sk"].split("#")
            alarms.append(Alarm(item["sk"], date.fromisoformat(day), kind, person_id, target_id, item.get("thread_id")))
        return alarms

    def done(self, alarm: Alarm) -> Delete:
        """Remove an entry only if it is still there: a second run at the same time does nothing."""
        return Delete(self.table.key(CALENDAR), alarm.sk, condition="attribute_exists(pk)")

    def action_items_by_key(self, keys: Iterable[tuple[str, str, str]]) -> dict[str, ActionItem]:
        """Action items by (person, thread, item id), a hundred per round trip."""
        found = self.table.get_many([(self._person(p), self._thread(t, "ACTION", a)) for p, t, a in keys])
        return {i["model"]["action_item_id"]: ActionItem.model_validate(i["model"]) for i in found.values()}

    # Newcomers
    def newcomer_settings(self) -> NewcomerSettings:
        item = self.table.get(self.table.key("SETTINGS"), "NEWCOMERS")
        return NewcomerSettings.model_validate(item["model"]) if item else NewcomerSettings()

    def save_newcomer_settings(self, settings: NewcomerSettings) -> None:
        self.table.write(
            [Put({"pk": self.table.key("SETTINGS"), "sk": "NEWCOMERS", "model": settings.model_dump(mode="json")})]
        )

    def unit_checklist(self, unit_id: str) -> UnitChecklist | None:
        item = self.table.get(self.table.key("UNIT", unit_id), "CHECKLIST")
        return UnitChecklist.model_validate(item["model"]) if item else None

    def save_unit_checklist(self, unit_id: str, checklist: UnitChecklist) -> None:
        item = {"pk": self.table.key("UNIT", unit_id), "sk": "CHECKLIST", "model": checklist.model_dump(mode="json")}
        self.table.write([Put(item)])

    def introduction(self, person_id: str) -> Introduction | None:
        item = self.table.get(self._person(person_id), "INTRODUCTION")
        return Introduction.model_validate(item["model"]) if item else None

    def introduction_put(self, introduction: Introduction, before: Introduction | None) -> Put:
        stored = introduction.model_copy(update={"revision": introduction.revision + (0 if before is None else 1)})
        item = {
            "pk": self._person(introduction.person_id),
            "sk": "INTRODUCTION",
            "model": stored.model_dump(mode="json"),
            "revision": stored.revision,
            "gsi1pk": self.table.key("NEWCOMERS"),
            "gsi1sk": f"{introduction.employment_start.isoformat()}#{introduction.person_id}",
        }
        if before is None:
            return Put(item, condition="attribute_not_exists(pk)")
        return Put(item, condition="revision = :revision", values={":revision": before.revision})

    def newcomers(self, limit: int, cursor: str | None) -> tuple[list[Introduction], str | None]:
        """Introductions, latest start first."""
        page = self.table.query(
            self.table.key("NEWCOMERS"), index="gsi1", limit=limit, cursor=cursor, newest_first=True
        )
        return [Introduction.model_validate(i["model"]) for i in page.items], page.cursor

    # Mentoring
    def pair(self, pair_id: str) -> tuple[Pair, list[Meeting]]:
        """The pair and its meetings, in one query."""
        page = self.table.query(self.table.key("PAIR", pair_id))
        pair = next((Pair.model_validate(i["model"]) for i in page.items if i["sk"] == "META"), None)
        if pair is None:
            raise NotFound(f"No mentoring pair {pair_id}.")
        return pair, [Meeting.model_validate(i["model"]) for i in page.items if i["sk"] != "META"]

    def pairs(self) -> list[Pair]:
        page = self.table.query(self.table.key("PAIRS"), index="gsi1")
        return [Pair.model_validate(i["model"]) for i in page.items]

    def pair_writes(self, pair: Pair, before: Pair | None) -> list[Write]:
        """The pair, over the state it was read in; the day after it ends, the calendar ends it."""
        item = {
            "pk": self.table.key("PAIR", pair.pair_id),
            "sk": "META",
            "model": pair.model_dump(mode="json"),
            "gsi1pk": self.table.key("PAIRS"),
            "gsi1sk": f"{pair.starts_on.isoformat()}#{pair.pair_id}",
            "ended": True if pair.ended_on else None,
        }
        if before is None:
            writes: list[Write] = [Put(item, condition="attribute_not_exists(pk)")]
            if pair.ends_on:
                writes.append(
                    self._alarm_put(pair.ends_on + timedelta(days=1), "pair-end", pair.mentee_id, pair.pair_id)
                )
            return writes
        guard = "#model.meetings = :meetings AND attribute_not_exists(ended)"
        writes = [Put(item, condition=guard, names={"#model": "model"}, values={":meetings": before.meetings})]
        if pair.ended_on and before.ends_on:
            writes.append(
                Delete(
                    self.table.key(CALENDAR),
                    self._alarm_sk(before.ends_on + timedelta(days=1), "pair-end", pair.mentee_id, pair.pair_id),
                )
            )
        return writes

    def meeting_put(self, pair_id: str, meeting: Meeting) -> Put:
        item = {
            "pk": self.table.key("PAIR", pair_id),
            "sk": f"MEETING#{meeting.held_on.isoformat()}#{meeting.meeting_id}",
            "model": meeting.model_dump(mode="json"),
        }
        return Put(item, condition="attribute_not_exists(pk)")

    def tenant_entry(self) -> Put:
        """So the daily and yearly jobs visit this tenant."""
        return self.table.tenant_entry()
