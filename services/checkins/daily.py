"""The daily job: what falls due today, from the calendar and nothing else.

- a check-in due within its reminder window: both are reminded (CheckInDueSoon; FollowUpDue for a
  newcomer's follow-up);
- a check-in past its last day, not held: missed (CheckInMissed), the manager is told;
- an action item past its due date and not done: its owner is told (ActionItemOverdue);
- a mentoring pair past its last day: ended (MentoringEnded).

Each calendar entry is removed in the transaction that does its work, so a second run (at the same
time, or later the same day) finds nothing left to do.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from services.checkins import announce, mentoring
from services.checkins.adapters.batches import Change, commit_each
from services.checkins.adapters.directory import DirectoryStore
from services.checkins.adapters.repository import Alarm, CheckInStore
from services.checkins.contracts.events import ActionItemOverdue, CheckInMissed
from services.checkins.domain.models import ActionItemStatus
from services.shared.envelope import EventContext
from services.shared.errors import Conflict, NotFound


def run(store: CheckInStore, directory: DirectoryStore, today: date, context: EventContext) -> Counter[str]:
    """Do what is due by today; how much of each kind was done."""
    alarms = store.due(today)
    checkins = store.checkins_by_key({(a.person_id, a.target_id) for a in alarms if a.kind in ("remind", "miss")})
    items = store.action_items_by_key(
        {(a.person_id, a.thread_id or "", a.target_id) for a in alarms if a.kind == "overdue"}
    )
    work: list[tuple[str, Change]] = []
    for alarm in alarms:
        if alarm.kind == "remind":
            checkin = checkins.get(alarm.target_id)
            events = [announce.due_soon(checkin, context)] if checkin and checkin.is_open else []
            work.append(("reminded", Change([store.done(alarm)], events)))
        elif alarm.kind == "miss":
            checkin = checkins.get(alarm.target_id)
            if checkin and checkin.is_open and checkin.last_day and today > checkin.last_day:
                missed = checkin.miss(today)
                # the check-in's own revision guards this: its calendar entries go with it
                work.append(
                    (
                        "missed",
                        Change(
                            store.save_checkins([(missed, checkin)]), [announce.about(CheckInMissed, missed, context)]
                        ),
                    )
                )
            else:
                work.append(("", Change([store.done(alarm)])))
        elif alarm.kind == "overdue":
            item = items.get(alarm.target_id)
            events = (
                [announce.action_item(ActionItemOverdue, item, context)]
                if item and item.status is ActionItemStatus.OPEN
                else []
            )
            work.append(("overdue", Change([store.done(alarm)], events)))
        else:
            work.append(("ended", _pair_end(store, directory, alarm, context)))
    done = commit_each(store.table, [change for _, change in work])
    return Counter(
        kind for (kind, change), committed in zip(work, done, strict=True) if committed and kind and change.events
    )


def _pair_end(store: CheckInStore, directory: DirectoryStore, alarm: Alarm, context: EventContext) -> Change:
    try:
        pair, _ = store.pair(alarm.target_id)
        assert pair.ends_on is not None
        return mentoring.ending(store, directory, pair, pair.ends_on, context)
    except (NotFound, Conflict):
        return Change([store.done(alarm)])  # gone, or ended by hand already
