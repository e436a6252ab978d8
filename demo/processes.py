"""The demo process register: processes, their relations and governing documents, written
through the process services."""

import datetime

from processes.models import GoverningDocument, Process
from processes.services.documents import document_add
from processes.services.register import process_create, process_update
from qms.models import OrganisationalUnit, User

# category, code, name, unit, purpose, inputs, outputs
PROCESSES = [
    (
        "PZ",
        "PZ.1",
        "Zarządzanie strategiczne",
        "GP",
        "Wyznaczanie kierunków rozwoju miasta i urzędu oraz monitorowanie realizacji strategii.",
        "Strategia Rozwoju Lublina, uchwały Rady Miasta",
        "Plany działań, sprawozdania z realizacji",
    ),
    (
        "PZ",
        "PZ.2",
        "Zarządzanie Systemem Zarządzania Jakością",
        "WOU",
        "Utrzymanie i doskonalenie SZJ zgodnie z normą PN-EN ISO 9001:2015.",
        "Wymagania normy, polityka jakości, wyniki auditów",
        "Księga Jakości, cele jakościowe",
    ),
    (
        "PZ",
        "PZ.3",
        "Przegląd zarządzania",
        "WOU",
        "Ocena przydatności, adekwatności i skuteczności SZJ przez najwyższe kierownictwo.",
        "Dane wejściowe a–j według §29 Księgi Jakości",
        "Protokół z przeglądu, decyzje",
    ),
    (
        "PZ",
        "PZ.4",
        "Audity jakości",
        "WOU",
        "Planowanie i przeprowadzanie auditów jakości oraz ocena ich wyników.",
        "Roczny plan auditów, zarządzenie o powołaniu auditorów",
        "Raporty z auditów, karty niezgodności",
    ),
    (
        "PZ",
        "PZ.5",
        "Zarządzanie ryzykiem i kontrola zarządcza",
        "WOU",
        "Identyfikacja, ocena i monitorowanie ryzyk oraz szans.",
        "Rejestr ryzyk, cele jakościowe",
        "Mechanizmy kontrolne, oświadczenie o stanie kontroli zarządczej",
    ),
    (
        "PZ",
        "PZ.6",
        "Nadzór nad informacją udokumentowaną",
        "WOU",
        "Zapewnienie aktualności i dostępności dokumentów i zapisów SZJ.",
        "Projekty procedur, zmiany przepisów",
        "Obowiązujące procedury, zapisy",
    ),
    (
        "PG",
        "PG.1",
        "Obsługa mieszkańców i przyjmowanie spraw",
        "BOM",
        "Sprawne przyjmowanie wniosków i udzielanie informacji mieszkańcom.",
        "Wnioski, zapytania mieszkańców",
        "Sprawy zarejestrowane w EZD, udzielone informacje",
    ),
    (
        "PG",
        "PG.2",
        "Rejestracja pojazdów i uprawnienia do kierowania",
        "WKM",
        "Rejestracja pojazdów oraz wydawanie praw jazdy zgodnie z przepisami.",
        "Wnioski o rejestrację, wnioski o prawo jazdy",
        "Decyzje, dowody rejestracyjne, prawa jazdy",
    ),
    (
        "PG",
        "PG.3",
        "Sprawy obywatelskie i ewidencja ludności",
        "WSO",
        "Prowadzenie ewidencji ludności i wydawanie dowodów osobistych.",
        "Zgłoszenia meldunkowe, wnioski o dowód osobisty",
        "Wpisy w rejestrze PESEL, dowody osobiste",
    ),
    (
        "PG",
        "PG.4",
        "Rejestracja stanu cywilnego",
        "USC",
        "Sporządzanie aktów stanu cywilnego i wydawanie odpisów.",
        "Zgłoszenia urodzeń, małżeństw i zgonów",
        "Akty stanu cywilnego, odpisy",
    ),
    (
        "PG",
        "PG.5",
        "Wymiar i pobór podatków i opłat lokalnych",
        "WPO",
        "Ustalanie i pobór podatków lokalnych oraz windykacja należności.",
        "Deklaracje i informacje podatkowe",
        "Decyzje wymiarowe, tytuły wykonawcze",
    ),
    (
        "PG",
        "PG.6",
        "Gospodarowanie nieruchomościami gminy",
        "WGM",
        "Zbywanie, nabywanie i oddawanie w użytkowanie nieruchomości gminy.",
        "Wnioski, uchwały Rady Miasta",
        "Umowy, decyzje, rejestr nieruchomości",
    ),
    (
        "PG",
        "PG.7",
        "Architektura i budownictwo",
        "WAB",
        "Wydawanie pozwoleń na budowę i decyzji o warunkach zabudowy.",
        "Wnioski inwestorów, plany miejscowe",
        "Pozwolenia na budowę, decyzje WZ",
    ),
    (
        "PG",
        "PG.8",
        "Ochrona środowiska",
        "WOŚ",
        "Wydawanie decyzji środowiskowych i nadzór nad gospodarką odpadami.",
        "Wnioski, zgłoszenia instalacji",
        "Decyzje środowiskowe, zezwolenia",
    ),
    (
        "PG",
        "PG.9",
        "Edukacja i wychowanie",
        "WOW",
        "Organizacja sieci szkół i przedszkoli oraz dotacje oświatowe.",
        "Dane demograficzne, wnioski placówek",
        "Arkusze organizacyjne, dotacje",
    ),
    (
        "PG",
        "PG.10",
        "Działalność gospodarcza i zezwolenia",
        "WSO",
        "Obsługa CEIDG i wydawanie zezwoleń na sprzedaż napojów alkoholowych.",
        "Wnioski przedsiębiorców",
        "Wpisy do CEIDG, zezwolenia",
    ),
    (
        "PG",
        "PG.11",
        "Skargi, wnioski i petycje",
        "WOU",
        "Terminowe rozpatrywanie skarg, wniosków i petycji.",
        "Skargi, wnioski i petycje wpływające do urzędu",
        "Odpowiedzi, rejestr skarg i wniosków",
    ),
    (
        "PW",
        "PW.1",
        "Zarządzanie zasobami ludzkimi",
        "WKP",
        "Zapewnienie kompetentnych pracowników, szkolenia i ocena okresowa.",
        "Potrzeby kadrowe wydziałów",
        "Zatrudnienia, plany szkoleń, oceny okresowe",
    ),
    (
        "PW",
        "PW.2",
        "Budżet i finanse",
        "WBK",
        "Planowanie i wykonanie budżetu miasta oraz rachunkowość.",
        "Projekty planów finansowych",
        "Budżet, sprawozdania finansowe",
    ),
    (
        "PW",
        "PW.3",
        "Zamówienia publiczne",
        "BZP",
        "Udzielanie zamówień publicznych zgodnie z ustawą Prawo zamówień publicznych.",
        "Wnioski o wszczęcie postępowania",
        "Umowy, rejestr zamówień",
    ),
    (
        "PW",
        "PW.4",
        "Infrastruktura informatyczna",
        "WIT",
        "Utrzymanie systemów informatycznych i bezpieczeństwo informacji.",
        "Zgłoszenia serwisowe, potrzeby wydziałów",
        "Działające systemy, kopie zapasowe",
    ),
    (
        "PW",
        "PW.5",
        "Obsługa kancelaryjna i archiwizacja",
        "WOU",
        "Obieg dokumentów w EZD i prowadzenie archiwum zakładowego.",
        "Korespondencja wpływająca, akta spraw",
        "Zarejestrowane przesyłki, zarchiwizowane akta",
    ),
    (
        "PW",
        "PW.6",
        "Administrowanie budynkami i zaopatrzenie",
        "WOU",
        "Zapewnienie infrastruktury i materiałów potrzebnych do pracy urzędu.",
        "Zapotrzebowania wydziałów",
        "Sprawne budynki, dostawy",
    ),
    (
        "PW",
        "PW.7",
        "Obsługa prawna",
        "BRP",
        "Opiniowanie projektów aktów i reprezentacja urzędu przed sądami.",
        "Projekty aktów, sprawy sądowe",
        "Opinie prawne, pisma procesowe",
    ),
    (
        "PW",
        "PW.8",
        "Komunikacja społeczna i informacja publiczna",
        "GP",
        "Informowanie mieszkańców i udostępnianie informacji publicznej.",
        "Wnioski o informację publiczną",
        "Publikacje w BIP, odpowiedzi",
    ),
]

OWNERS = {"PZ.2": "pelnomocnik", "PZ.3": "pelnomocnik", "PG.1": "wlasciciel", "PG.10": "wlasciciel"}

RELATED = {
    "PZ.1": ["PZ.3", "PW.2"],
    "PZ.2": ["PZ.3", "PZ.4", "PZ.6"],
    "PZ.3": ["PZ.4", "PZ.5"],
    "PZ.4": ["PZ.6"],
    "PZ.5": ["PW.2"],
    "PG.1": ["PG.2", "PG.3", "PG.11", "PW.5"],
    "PG.3": ["PG.4", "PG.10"],
    "PG.5": ["PW.2"],
    "PG.6": ["PG.7", "PW.7"],
    "PG.7": ["PG.8"],
    "PG.11": ["PZ.3"],
    "PW.1": ["PZ.2"],
    "PW.3": ["PW.7", "PW.2"],
    "PW.4": ["PW.5"],
}

DOCUMENTS = [
    (
        "PZ.4",
        "PZ.4.4.5",
        "Przeprowadzanie auditu jakości",
        "wydanie szóste",
        datetime.date(2024, 3, 1),
    ),
    ("PZ.6", "PZ.4.2.3", "Nadzór nad dokumentami", "wydanie piąte", datetime.date(2023, 9, 15)),
    ("PZ.2", "KJ", "Księga Jakości Urzędu Miasta", "wydanie jedenaste", datetime.date(2025, 1, 2)),
    (
        "PG.11",
        "PG.11.1",
        "Rozpatrywanie skarg, wniosków i petycji",
        "wydanie trzecie",
        datetime.date(2024, 6, 1),
    ),
    (
        "PG.3",
        "PG.3.1",
        "Wydawanie dowodów osobistych",
        "wydanie czwarte",
        datetime.date(2024, 11, 12),
    ),
]


def seed_processes(units: dict[str, OrganisationalUnit], people: dict[str, User]) -> int:
    """The register of ``PROCESSES`` with their relations and documents; idempotent.

    Returns how many records were created.
    """
    created = 0
    keeper = people["koordynator"]
    processes: dict[str, Process] = {p.code: p for p in Process.objects.all()}
    for category, code, name, unit_code, purpose, inputs, outputs in PROCESSES:
        if code in processes:
            continue
        unit = units[unit_code]
        owner = people.get(OWNERS.get(code, "")) or unit.director
        processes[code] = process_create(
            by=keeper,
            category=category,
            code=code,
            name=name,
            owner_unit=unit,
            owner=owner,
            purpose=purpose,
            inputs=inputs,
            outputs=outputs,
        )
        created += 1
    for code, others in RELATED.items():
        process = processes[code]
        wanted = {processes[c] for c in others} | set(process.related.all())
        if wanted != set(process.related.all()):
            process_update(
                process=process, by=keeper, expected_version=process.version, related=wanted
            )
    for code, doc_code, title, edition, effective in DOCUMENTS:
        process = processes[code]
        if not GoverningDocument.objects.filter(process=process, code=doc_code).exists():
            document_add(
                process=process,
                by=keeper,
                code=doc_code,
                title=title,
                edition=edition,
                effective_date=effective,
                link=f"https://bip.lublin.eu/szj/procedury/{doc_code.lower()}.pdf",
            )
            created += 1
    return created
