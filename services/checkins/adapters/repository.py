"""Check-ins' table. The only place that knows its keys.

pk                       sk                           what
PERSON#<person>          CHECKIN#<held_on>#<id>       a held check-in (gsi1: MANAGER#<manager>#CHECKINS / held_on)
"""

from __future__ import annotations

from services.checkins.domain.models import CheckIn
from services.shared.envelope import EventEnvelope
from services.shared.store import Put, TenantTable


class CheckInRepository:
    def __init__(self, table: TenantTable) -> None:
        self.table = table

    def record(self, checkin: CheckIn, event: EventEnvelope) -> None:
        item = {
            "pk": self.table.key("PERSON", checkin.person_id),
            "sk": f"CHECKIN#{checkin.held_on.isoformat()}#{checkin.checkin_id}",
            "gsi1pk": self.table.key("MANAGER", checkin.manager_id, "CHECKINS"),
            "gsi1sk": f"{checkin.held_on.isoformat()}#{checkin.checkin_id}",
            "model": checkin.model_dump(mode="json"),
        }
        self.table.write([Put(item, condition="attribute_not_exists(pk)")], [event])

    def of_person(self, person_id: str, limit: int, cursor: str | None) -> tuple[list[CheckIn], str | None]:
        page = self.table.query(
            self.table.key("PERSON", person_id), "CHECKIN#", limit=limit, cursor=cursor, newest_first=True
        )
        return [CheckIn.model_validate(i["model"]) for i in page.items], page.cursor
