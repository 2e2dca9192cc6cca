"""What check-ins knows of the directory and of people's training, from enrolment's events. The only
place that knows these keys.

pk                      sk                                    what
PEOPLE                  <person>                              the person as the directory last told it
                                                              (gsi1 while present: UNIT#<unit> / <person>)
UNITS                   <unit>                                a unit and its parent
PERSON#<person>         LEARNING#PROGRAMME#<programme>        their enrolment: version, stages done, completed
PERSON#<person>         LEARNING#CREDENTIAL#<programme>#<n>   a credential of theirs, and what became of it
PROGRAMME#<programme>   V#<version>                           a published version's name and its stages' names
PROGRAMME#<programme>   LATEST                                the newest version published

Everyone is in one partition, so a bulk start for everyone reads the tenant's people in a few pages of
one query; one for some units reads only theirs, from the index by unit.
Training facts are written with SET and ADD only, so they land right in whatever order they arrive.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from services.checkins.domain.people import Person, Unit
from services.checkins.domain.training import CredentialFacts, ProgrammeFacts, ProgrammeNames
from services.shared.store import Put, TenantTable, Update

LEARNING = "LEARNING#"


@lru_cache(maxsize=512)
def _names_cache(table_name: str, tenant_id: str, programme_id: str, version: int) -> ProgrammeNames | None:
    # A published version never changes, so a warm function reads each once.
    table = TenantTable(table_name, tenant_id)
    item = table.get(table.key("PROGRAMME", programme_id), f"V#{version:04d}", consistent=False)
    return ProgrammeNames.model_validate(item["model"]) if item else None


class DirectoryStore:
    def __init__(self, table: TenantTable) -> None:
        self.table = table

    # People and units
    def person(self, person_id: str) -> Person | None:
        item = self.table.get(self.table.key("PEOPLE"), person_id)
        return Person.model_validate(item["model"]) if item else None

    def people_by_id(self, person_ids: list[str]) -> dict[str, Person]:
        found = self.table.get_many([(self.table.key("PEOPLE"), p) for p in person_ids])
        return {i["model"]["person_id"]: Person.model_validate(i["model"]) for i in found.values()}

    def save_person(self, person: Person, before: Person | None) -> Put:
        """The record, only over the revision it was read at."""
        stored = person.model_copy(update={"revision": person.revision + (0 if before is None else 1)})
        item = {
            "pk": self.table.key("PEOPLE"),
            "sk": person.person_id,
            "model": stored.model_dump(mode="json"),
            "revision": stored.revision,
        }
        if stored.unit_id and stored.present:
            item |= {"gsi1pk": self.table.key("UNIT", stored.unit_id), "gsi1sk": stored.person_id}
        if before is None:
            return Put(item, condition="attribute_not_exists(pk)")
        return Put(item, condition="revision = :revision", values={":revision": before.revision})

    def everyone(self) -> list[Person]:
        """Every person of the tenant: a bulk start chooses among them."""
        page = self.table.query(self.table.key("PEOPLE"))
        return [Person.model_validate(i["model"]) for i in page.items]

    def people_in(self, unit_ids: set[str]) -> list[Person]:
        """The present people of these units, from the index by unit: a bulk start for a part of the
        organisation reads that part only."""
        found: list[Person] = []
        for unit_id in sorted(unit_ids):
            page = self.table.query(self.table.key("UNIT", unit_id), index="gsi1")
            found += [Person.model_validate(i["model"]) for i in page.items]
        return found

    def save_unit(self, unit: Unit) -> Put:
        return Put({"pk": self.table.key("UNITS"), "sk": unit.unit_id, "model": unit.model_dump(mode="json")})

    def units(self) -> list[Unit]:
        page = self.table.query(self.table.key("UNITS"))
        return [Unit.model_validate(i["model"]) for i in page.items]

    # Training
    def _learning(self, person_id: str, *parts: str) -> tuple[str, str]:
        return self.table.key("PERSON", person_id), LEARNING + "#".join(parts)

    def programme_fact(
        self,
        person_id: str,
        programme_id: str,
        sets: dict[str, Any] | None = None,
        adds: dict[str, set[str]] | None = None,
    ) -> Update:
        """Record facts about the person in a programme: values set, and keys added to sets."""
        pk, sk = self._learning(person_id, "PROGRAMME", programme_id)
        return _fact(pk, sk, {"programme_id": programme_id, **(sets or {})}, adds or {})

    def credential_fact(self, person_id: str, programme_id: str, number: int, sets: dict[str, Any]) -> Update:
        pk, sk = self._learning(person_id, "CREDENTIAL", programme_id, f"{number:06d}")
        return _fact(pk, sk, {"programme_id": programme_id, "number": number, **sets}, {})

    def training(self, person_id: str) -> tuple[list[ProgrammeFacts], list[CredentialFacts]]:
        page = self.table.query(self.table.key("PERSON", person_id), LEARNING)
        programmes, credentials = [], []
        for item in page.items:
            if item["sk"].startswith(LEARNING + "PROGRAMME#"):
                programmes.append(ProgrammeFacts.model_validate(item))
            else:
                credentials.append(CredentialFacts.model_validate(item))
        return programmes, credentials

    def save_names(self, names: ProgrammeNames, newest: bool) -> list[Put]:
        pk = self.table.key("PROGRAMME", names.programme_id)
        puts = [Put({"pk": pk, "sk": f"V#{names.version:04d}", "model": names.model_dump(mode="json")})]
        if newest:
            puts.append(Put({"pk": pk, "sk": "LATEST", "version": names.version}))
        return puts

    def latest_version(self, programme_id: str) -> int | None:
        item = self.table.get(self.table.key("PROGRAMME", programme_id), "LATEST")
        return int(item["version"]) if item else None

    def names(self, facts: list[ProgrammeFacts]) -> dict[tuple[str, int], ProgrammeNames]:
        """The names of the version each person follows (the newest known, before their enrolment is)."""
        found = {}
        for programme in facts:
            version = programme.version or self.latest_version(programme.programme_id)
            if version is None:
                continue
            names = _names_cache(self.table.table_name, self.table.tenant_id, programme.programme_id, version)
            if names is not None:
                found[(programme.programme_id, programme.version or 0)] = names
        return found


def _fact(pk: str, sk: str, sets: dict[str, Any], adds: dict[str, set[str]]) -> Update:
    """An update that sets some attributes and adds to others, creating the item if need be."""
    names, values, assignments, additions = {}, {}, [], []
    for n, (name, value) in enumerate((k, v) for k, v in sets.items() if v is not None):
        names[f"#s{n}"], values[f":s{n}"] = name, value
        assignments.append(f"#s{n} = :s{n}")
    for n, (name, members) in enumerate(adds.items()):
        names[f"#a{n}"], values[f":a{n}"] = name, members
        additions.append(f"#a{n} :a{n}")
    expression = "SET " + ", ".join(assignments) + (" ADD " + ", ".join(additions) if additions else "")
    return Update(pk, sk, expression, names=names, values=values)
