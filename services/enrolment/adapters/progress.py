"""Enrolments, programme versions and credentials. The only place that knows their keys.

pk                        sk                 what
PROGRAMME#<programme>     V#<version>        an immutable published version of the programme
PERSON#<person>           ENROL#<programme>  the person's enrolment and what they have done (revision-locked)
                                             (gsi1: PROGRAMME#<programme>#ENROLLED / <person>)
CREDENTIALS               COUNTER            the tenant's last diploma number
CREDENTIAL#<code>         META               an issued credential (gsi1: PERSON#<person>#CREDENTIALS / issued)
EXPIRIES                  <valid_until>#<code>  the expiry calendar, with the notices already sent
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from services.enrolment.domain.credentials import Credential
from services.enrolment.domain.models import Programme
from services.enrolment.domain.progress import Enrolment
from services.shared.envelope import EventEnvelope
from services.shared.errors import Conflict, NotFound
from services.shared.store import ConditionFailed, Put, TenantTable, Update, Write, flag_once


@lru_cache(maxsize=256)
def _version_cache(table_name: str, tenant_id: str, programme_id: str, version: int) -> Programme | None:
    # Published versions never change, so a warm function reads each one once.
    table = TenantTable(table_name, tenant_id)
    item = table.get(table.key("PROGRAMME", programme_id), f"V#{version:04d}", consistent=False)
    return Programme.model_validate(item["model"]) if item else None


class ProgressStore:
    def __init__(self, table: TenantTable) -> None:
        self.table = table

    def version_item(self, programme: Programme) -> Put:
        return Put(
            {
                "pk": self.table.key("PROGRAMME", programme.programme_id),
                "sk": f"V#{programme.version:04d}",
                "model": programme.model_dump(mode="json"),
            },
            condition="attribute_not_exists(pk)",
        )

    def programme_version(self, programme_id: str, version: int) -> Programme:
        programme = _version_cache(self.table.table_name, self.table.tenant_id, programme_id, version)
        if programme is None:
            raise NotFound(f"No version {version} of programme {programme_id}.")
        return programme

    def enrolment(self, person_id: str, programme_id: str) -> Enrolment | None:
        item = self.table.get(self.table.key("PERSON", person_id), f"ENROL#{programme_id}")
        return Enrolment.model_validate(item["model"]) if item else None

    def enrolments_of(self, person_id: str) -> list[Enrolment]:
        page = self.table.query(self.table.key("PERSON", person_id), "ENROL#")
        return [Enrolment.model_validate(i["model"]) for i in page.items]

    def enrolment_item(self, enrolment: Enrolment, expected_revision: int | None) -> Put:
        """The enrolment at its next revision; written only over the revision it was read at."""
        stored = enrolment.model_copy(update={"revision": enrolment.revision + (0 if expected_revision is None else 1)})
        item = {
            "pk": self.table.key("PERSON", enrolment.person_id),
            "sk": f"ENROL#{enrolment.programme_id}",
            "revision": stored.revision,
            "model": stored.model_dump(mode="json"),
            "gsi1pk": self.table.key("PROGRAMME", enrolment.programme_id, "ENROLLED"),
            "gsi1sk": enrolment.person_id,
        }
        if expected_revision is None:
            return Put(item, condition="attribute_not_exists(pk)")
        return Put(item, condition="revision = :revision", values={":revision": expected_revision})

    def save(self, writes: list[Write], events: list[EventEnvelope]) -> None:
        try:
            self.table.write(writes, events)
        except ConditionFailed as failure:
            raise Conflict("The enrolment changed at the same time; try again.") from failure

    def enrolled(
        self, programme_id: str, limit: int | None = None, cursor: str | None = None
    ) -> tuple[list[Enrolment], str | None]:
        """A page of the programme's enrolments; without a limit, all of them."""
        page = self.table.query(
            self.table.key("PROGRAMME", programme_id, "ENROLLED"), index="gsi1", limit=limit, cursor=cursor
        )
        return [Enrolment.model_validate(i["model"]) for i in page.items], page.cursor

    def next_credential_number(self) -> int:
        return self.table.increment(self.table.key("CREDENTIALS"), "COUNTER", "last", item_must_exist=False)

    def credential_items(self, credential: Credential) -> list[Write]:
        """The credential, and for one that expires its place in the expiry calendar."""
        items: list[Write] = [self._credential_put(credential, "attribute_not_exists(pk)")]
        if credential.valid_until:
            items.append(
                Put(
                    {
                        "pk": self.table.key("EXPIRIES"),
                        "sk": f"{credential.valid_until.isoformat()}#{credential.verification_code}",
                        "code": credential.verification_code,
                    }
                )
            )
            items.append(self.table.tenant_entry())  # so the expiry schedule visits this tenant
        return items

    def _credential_put(self, credential: Credential, condition: str) -> Put:
        return Put(
            {
                "pk": self.table.key("CREDENTIAL", credential.verification_code),
                "sk": "META",
                "model": credential.model_dump(mode="json"),
                "gsi1pk": self.table.key("PERSON", credential.person_id, "CREDENTIALS"),
                "gsi1sk": credential.issued_at.isoformat(),
                "revoked": True if credential.revoked_reason else None,
            },
            condition=condition,
        )

    def revoke(self, credential: Credential, event: EventEnvelope) -> None:
        self.save([self._credential_put(credential, "attribute_exists(pk) AND attribute_not_exists(revoked)")], [event])

    def expiring(self, until: datetime) -> list[tuple[dict[str, object], Credential]]:
        """Expiry calendar entries up to `until`, with their credentials."""
        page = self.table.query(self.table.key("EXPIRIES"), sk_until=until.isoformat() + "~")
        codes = {entry["code"]: entry for entry in page.items}
        found = self.table.get_many([(self.table.key("CREDENTIAL", code), "META") for code in codes])
        credentials = {i["model"]["verification_code"]: Credential.model_validate(i["model"]) for i in found.values()}
        return [(codes[code], credentials[code]) for code in codes if code in credentials]

    def notice_sent(self, entry: dict[str, object], notice: str) -> Update:
        return flag_once(entry, notice)

    def credential(self, code: str) -> Credential | None:
        item = self.table.get(self.table.key("CREDENTIAL", code), "META")
        return Credential.model_validate(item["model"]) if item else None

    def credentials_of(self, person_id: str) -> list[Credential]:
        page = self.table.query(self.table.key("PERSON", person_id, "CREDENTIALS"), index="gsi1")
        return [Credential.model_validate(i["model"]) for i in page.items]
