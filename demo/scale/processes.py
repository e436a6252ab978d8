"""The process register: processes, their relations, owners' permissions and documents."""

from __future__ import annotations

from django.contrib.auth.models import Permission

from demo.processes import OWNERS, PROCESSES
from demo.scale.base import DESCRIPTION_CODENAME, Day, SeederBase, at, stamp
from demo.scale.content import PROCESS_NAMES
from processes.models import GoverningDocument, Process, ProcessUserObjectPermission


class ProcessSeeder(SeederBase):
    """The process register: processes, their relations, owners' permissions and documents."""

    def seed_processes(self) -> None:
        rng, n = self.rng, self.volumes.processes
        by_code = {u.code: u for u in self.units}
        demo = {"PZ": [], "PG": [], "PW": []}
        for category, code, name, unit_code, purpose, inputs, outputs in PROCESSES:
            demo[category].append((name, unit_code, purpose, inputs, outputs, code))
        counts = {"PZ": max(1, round(n * 0.15)), "PW": max(1, round(n * 0.3))}
        counts["PG"] = max(1, n - counts["PZ"] - counts["PW"])
        keeper = self.people["koordynator"]
        created = at(Day(self.years[0] - 1, 1, 10))
        spare_units = list(self.units)
        rng.shuffle(spare_units)
        processes: list[Process] = []
        for category in ("PZ", "PG", "PW"):
            names = demo[category] + [
                (name, None, "", "", "", None) for name in PROCESS_NAMES[category]
            ]
            for i in range(counts[category]):
                name, unit_code, purpose, inputs, outputs, _code = names[i % len(names)]
                if i >= len(names):
                    name = f"{name} — obszar {i // len(names) + 1}"
                code = f"{category}.{i + 1}"
                unit = (
                    by_code.get(unit_code or "") or spare_units[len(processes) % len(spare_units)]
                )
                owner = self.people.get(OWNERS.get(code, "")) or unit.director
                withdrawn = rng.random() < 0.03
                process = Process(
                    category=category,
                    code=code,
                    name=name,
                    purpose=purpose or f"Realizacja zadań w obszarze: {name.lower()}.",
                    inputs=inputs or "Wnioski, przepisy prawa",
                    outputs=outputs or "Decyzje, informacje, sprawozdania",
                    owner_unit=unit,
                    owner=owner,
                    status=Process.Status.WITHDRAWN if withdrawn else Process.Status.ACTIVE,
                    withdrawal_reason="Zadanie przeniesione gdzie indziej" if withdrawn else "",
                    sort_key=Process.sort_key_for(category, code),
                )
                processes.append(stamp(process, created, keeper))
        self.processes = self._insert(Process, processes)
        self.active = [p for p in self.processes if p.is_active]

        related = []
        for i, process in enumerate(self.processes[1:], start=1):
            if rng.random() < 0.7:
                other = self.processes[rng.randrange(i)]
                related += [
                    {"from_process_id": process.pk, "to_process_id": other.pk},
                    {"from_process_id": other.pk, "to_process_id": process.pk},
                ]
        self._through(Process.related, related)

        perm = Permission.objects.get(
            content_type__app_label="processes", codename=DESCRIPTION_CODENAME
        )
        self._insert(
            ProcessUserObjectPermission,
            [
                ProcessUserObjectPermission(
                    permission=perm, user_id=p.owner_id, content_object_id=p.pk
                )
                for p in self.active
                if p.owner_id
            ],
            history=False,
        )
        documents = []
        for process in self.processes:
            effective = self._date(Day(self.years[0] - 3, 1, 1), Day(self.years[-1], 1, 1))
            documents.append(
                stamp(
                    GoverningDocument(
                        process=process,
                        code=f"{process.code}.1",
                        title=f"Procedura: {process.name}",
                        edition=f"wydanie {rng.randint(1, 9)}",
                        effective_date=effective,
                        in_force=True,
                    ),
                    created,
                    keeper,
                )
            )
        self._insert(GoverningDocument, documents)
