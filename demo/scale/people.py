"""Units, their directors and the staff, the demo accounts among them."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from demo.people import DEMO_PASSWORD, PEOPLE, UNITS
from demo.scale.base import BATCH_SIZE, DEMO_ADMIN, Day, SeederBase, ascii_name, at, stamp
from demo.scale.content import FIRST_NAMES_F, FIRST_NAMES_M, LAST_NAMES, MORE_UNITS
from qms import roles
from qms.models import OrganisationalUnit, User


class PeopleSeeder(SeederBase):
    """Units, their directors and the staff, the demo accounts among them."""

    def seed_units_and_people(self) -> None:
        rng, v = self.rng, self.volumes
        first_day = Day(self.years[0] - 1, 1, 2)
        # The demo people's units first, so that a small factor still has them.
        wanted = ["GP", "WOU", "WSO", "BOM", "WBK", "WKM", "WIT", "WPO"]
        demo = {code: (name, parent) for code, name, parent in UNITS}
        specs = [(c, demo[c][0]) for c in wanted]
        specs += [(c, n) for c, n, _p in UNITS if c not in wanted] + MORE_UNITS
        rounds = 1
        while len(specs) < v.units:
            rounds += 1
            specs += [(f"{c}-{rounds}", f"{n} — Oddział {rounds}") for c, n in MORE_UNITS]
        units = [
            stamp(OrganisationalUnit(code=code, name=name), at(first_day), None)
            for code, name in specs[: v.units]
        ]
        self.units = self._insert(OrganisationalUnit, units, history=False)
        by_code = {u.code: u for u in self.units}
        for unit in self.units[1:]:
            parent_code = demo.get(unit.code, (None, "GP"))[1] or "GP"
            unit.parent = by_code.get(parent_code, self.units[0])

        password = make_password(DEMO_PASSWORD)
        joined = at(first_day, 8)
        group_ids = dict(Group.objects.values_list("name", "pk"))
        memberships: list[dict] = []
        directors: dict[int, User] = {}

        def person(username: str, first: str, last: str, unit, position: str, **extra) -> User:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
                unit=unit,
                position=position,
                password=password,
                date_joined=joined,
                **extra,
            )
            self.users.append(user)
            return user

        fallback = self.units[min(2, len(self.units) - 1)]
        for username, first, last, unit_code, position, role_names, directs in PEOPLE:
            user = person(username, first, last, by_code.get(unit_code, fallback), position)
            self.people[username] = user
            user._roles = role_names  # type: ignore[attr-defined]
            if directs in by_code and by_code[directs].pk not in directors:
                directors[by_code[directs].pk] = user
        self.people[DEMO_ADMIN] = person(
            DEMO_ADMIN,
            "Administrator",
            "Systemu",
            by_code.get("WIT", fallback),
            "Administrator systemu",
            is_staff=True,
            is_superuser=True,
        )
        self.people[DEMO_ADMIN]._roles = []  # type: ignore[attr-defined]

        def generated(unit: OrganisationalUnit, position: str, role_names=()) -> User:
            if rng.random() < 0.6:
                first, last = rng.choice(FIRST_NAMES_F), rng.choice(LAST_NAMES)[1]
            else:
                first, last = rng.choice(FIRST_NAMES_M), rng.choice(LAST_NAMES)[0]
            username = f"{ascii_name(first)}.{ascii_name(last)}.{len(self.users) + 1}"
            user = person(username, first, last, unit, position)
            user._roles = list(role_names)  # type: ignore[attr-defined]
            return user

        for unit in self.units:
            if unit.pk not in directors:
                directors[unit.pk] = generated(unit, f"Dyrektor — {unit.name}")
        positions = ["Inspektor", "Podinspektor", "Główny specjalista", "Kierownik referatu"]
        extra_roles = [[roles.NAJWYZSZE_KIEROWNICTWO]] * 3 + [[roles.ZESPOL_ROZWOJU]] * 4
        while len(self.users) < v.users:
            unit = rng.choice(self.units)
            position = "Zastępca Dyrektora" if rng.random() < 0.08 else rng.choice(positions)
            role_names = extra_roles.pop(0) if extra_roles else []
            if role_names == [roles.NAJWYZSZE_KIEROWNICTWO]:
                unit, position = self.units[0], "Zastępca Prezydenta Miasta"
            generated(unit, position, role_names)

        self.users = self._insert(User, self.users, history=False)
        for user in self.users:
            self.members[user.unit_id].append(user)
            for name in user._roles:  # type: ignore[attr-defined]
                memberships.append({"user_id": user.pk, "group_id": group_ids[name]})
        self._through(User.groups, memberships)
        for unit in self.units:
            unit.director = directors[unit.pk]
            unit.director_id = unit.director.pk
        OrganisationalUnit.objects.bulk_update(self.units, ["parent", "director"], BATCH_SIZE)
        # Written after the update, so the history row shows the director and the parent.
        OrganisationalUnit.history.bulk_history_create(self.units, batch_size=BATCH_SIZE)
        self.counts[f"{OrganisationalUnit._meta.label} (history)"] += len(self.units)

    def _member(self, unit_id: int) -> User:
        return self.rng.choice(self.members[unit_id])
