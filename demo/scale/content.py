"""The Polish words the scale data set is made of: names, units, processes, findings, actions."""

# --- Polish content ------------------------------------------------------------------------

FIRST_NAMES_F = [
    "Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Krystyna",
    "Elżbieta", "Zofia", "Joanna", "Magdalena", "Monika", "Beata", "Dorota", "Jolanta",
    "Aleksandra", "Grażyna", "Halina", "Iwona", "Urszula", "Bożena", "Teresa", "Danuta",
]  # fmt: skip
FIRST_NAMES_M = [
    "Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Jan", "Michał", "Marcin",
    "Stanisław", "Jakub", "Adam", "Marek", "Łukasz", "Grzegorz", "Mateusz", "Wojciech",
    "Mariusz", "Dariusz", "Zbigniew", "Jerzy", "Maciej", "Rafał", "Kamil", "Sławomir",
]  # fmt: skip
# (masculine, feminine)
LAST_NAMES = [
    ("Nowak", "Nowak"), ("Kowalski", "Kowalska"), ("Wiśniewski", "Wiśniewska"),
    ("Wójcik", "Wójcik"), ("Kowalczyk", "Kowalczyk"), ("Kamiński", "Kamińska"),
    ("Lewandowski", "Lewandowska"), ("Zieliński", "Zielińska"), ("Szymański", "Szymańska"),
    ("Woźniak", "Woźniak"), ("Dąbrowski", "Dąbrowska"), ("Kozłowski", "Kozłowska"),
    ("Jankowski", "Jankowska"), ("Mazur", "Mazur"), ("Kwiatkowski", "Kwiatkowska"),
    ("Krawczyk", "Krawczyk"), ("Piotrowski", "Piotrowska"), ("Grabowski", "Grabowska"),
    ("Pawłowski", "Pawłowska"), ("Michalski", "Michalska"), ("Król", "Król"),
    ("Wieczorek", "Wieczorek"), ("Jabłoński", "Jabłońska"), ("Wróbel", "Wróbel"),
    ("Majewski", "Majewska"), ("Olszewski", "Olszewska"), ("Stępień", "Stępień"),
    ("Jaworski", "Jaworska"), ("Malinowski", "Malinowska"), ("Górski", "Górska"),
    ("Sikora", "Sikora"), ("Ostrowski", "Ostrowska"), ("Zając", "Zając"),
    ("Szczepański", "Szczepańska"), ("Sokołowski", "Sokołowska"), ("Żak", "Żak"),
    ("Chmielewski", "Chmielewska"), ("Włodarczyk", "Włodarczyk"), ("Pietrzak", "Pietrzak"),
]  # fmt: skip

# Units beyond seed_demo's: (code, name).
MORE_UNITS = [
    ("WSP", "Wydział Sportu"), ("WKU", "Wydział Kultury"), ("WZD", "Wydział Zdrowia"),
    ("WSS", "Wydział Spraw Społecznych"), ("WZK", "Wydział Zarządzania Kryzysowego"),
    ("WIN", "Wydział Inwestycji i Remontów"), ("WPL", "Wydział Planowania"),
    ("WGK", "Wydział Gospodarki Komunalnej"), ("WZU", "Wydział Zieleni i Usług"),
    ("WML", "Wydział Mienia i Lokali"), ("WFE", "Wydział Funduszy Europejskich"),
    ("WPR", "Wydział Promocji i Turystyki"), ("WGO", "Wydział Gospodarki Odpadami"),
    ("WRO", "Wydział Rozwoju Obywatelskiego"), ("WKZ", "Wydział Kontroli"),
    ("BRM", "Biuro Rady Miasta"), ("BZK", "Biuro Zarządzania Kryzysowego"),
    ("BOD", "Biuro Ochrony Danych"), ("BAW", "Biuro Audytu Wewnętrznego"),
    ("BBH", "Biuro BHP"), ("BPR", "Biuro Prasowe"), ("BWN", "Biuro Windykacji"),
]  # fmt: skip

PROCESS_NAMES = {
    "PZ": [
        "Planowanie budżetu zadaniowego", "Zarządzanie zmianą organizacyjną",
        "Komunikacja wewnętrzna", "Zarządzanie projektami strategicznymi",
        "Kontrola wewnętrzna", "Współpraca z jednostkami miejskimi",
    ],
    "PG": [
        "Zajęcie pasa drogowego", "Gospodarka odpadami komunalnymi",
        "Dodatki mieszkaniowe i energetyczne", "Najem lokali komunalnych",
        "Zarządzanie kryzysowe", "Ochrona zabytków", "Planowanie przestrzenne",
        "Transport publiczny", "Sport i rekreacja", "Kultura i dziedzictwo",
        "Współpraca z organizacjami pozarządowymi", "Profilaktyka zdrowotna",
        "Świadczenia społeczne", "Budżet obywatelski", "Inwestycje miejskie",
        "Drogi i mosty", "Zieleń miejska", "Wybory i referenda", "Cmentarze komunalne",
        "Promocja miasta", "Fundusze europejskie", "Rewitalizacja", "Ochrona zwierząt",
        "Strefa płatnego parkowania", "Obsługa Rady Miasta",
    ],
    "PW": [
        "Ochrona danych osobowych", "BHP i ochrona przeciwpożarowa", "Transport i flota",
        "Windykacja należności cywilnoprawnych", "Szkolenia i rozwój kompetencji",
        "Bezpieczeństwo teleinformatyczne", "Zarządzanie umowami", "Obsługa sekretariatów",
    ],
}  # fmt: skip

REQUIREMENTS = [
    "PN-EN ISO 9001:2015 pkt 7.5.3", "PN-EN ISO 9001:2015 pkt 8.5.1",
    "PN-EN ISO 9001:2015 pkt 9.1.2", "PN-EN ISO 9001:2015 pkt 7.2",
    "PN-EN ISO 9001:2015 pkt 8.2.1", "Kodeks postępowania administracyjnego, art. 35",
    "Ustawa o dostępie do informacji publicznej, art. 13", "Instrukcja kancelaryjna, § 6",
    "Procedura wewnętrzna procesu, pkt 4", "Zarządzenie Prezydenta w sprawie obiegu dokumentów",
]  # fmt: skip
FOUND = [
    "Rejestr spraw nie był prowadzony na bieżąco.",
    "Część spraw załatwiono po terminie bez zawiadomienia strony.",
    "Brak potwierdzenia zapoznania się pracowników z aktualną procedurą.",
    "Nieaktualny wzór formularza na stronie BIP.",
    "Nie udokumentowano analizy ryzyka dla zmiany w procesie.",
    "Brak zapisów z przeglądu uprawnień do systemu dziedzinowego.",
    "Akta spraw niekompletne — brak dowodów doręczenia.",
    "Terminy odpowiedzi nie są monitorowane.",
    "Warto zbierać opinie klientów przy stanowiskach obsługi.",
    "Plan wdrożenia nowych pracowników z mentorem.",
]
EVIDENCE = [
    "Próba 20 spraw z EZD.", "Rejestr w wersji papierowej i elektronicznej.",
    "Rozmowa z kierownikiem referatu.", "Obserwacja stanowiska obsługi.",
    "Karty szkoleń pracowników.", "Strona BIP, stan na dzień auditu.",
]  # fmt: skip
ACTIONS = [
    "Aktualizacja procedury i wzorów dokumentów",
    "Szkolenie pracowników z nowej wersji procedury",
    "Wprowadzenie kontroli terminów w EZD",
    "Uzupełnienie rejestru i przegląd kompletności akt",
    "Przegląd uprawnień w systemie dziedzinowym",
    "Publikacja aktualnych formularzy w BIP",
    "Wyznaczenie osoby zastępującej na stanowisku",
]
OBJECTIVES = [
    ("Terminowość załatwiania spraw", "Odsetek spraw załatwionych w terminie", "%", "98", 1),
    ("Czas obsługi klienta", "Średni czas obsługi przy stanowisku", "min", "15", -1),
    ("Satysfakcja klientów", "Średnia ocena w ankiecie satysfakcji", "pkt", "4.2", 1),
    ("Skargi zasadne", "Liczba skarg uznanych za zasadne", "szt.", "2", -1),
    ("Działania korygujące w terminie", "Odsetek działań zamkniętych w terminie", "%", "85", 1),
    ("Sprawy elektroniczne", "Odsetek spraw wszczętych elektronicznie", "%", "40", 1),
    ("Przeszkoleni pracownicy", "Odsetek pracowników przeszkolonych z SZJ", "%", "90", 1),
    ("Dostępność systemów", "Dostępność systemów dziedzinowych", "%", "99.5", 1),
]
RISKS = [
    "Przekroczenie terminów w okresach szczytu", "Odejście doświadczonych pracowników",
    "Awaria systemu dziedzinowego", "Zmiana przepisów bez okresu przejściowego",
    "Niewystarczający budżet na zadanie", "Błąd w decyzji administracyjnej",
    "Wyciek danych osobowych", "Opóźnienia wykonawców",
    "Elektroniczne usługi dla mieszkańców", "Współpraca z uczelniami",
    "Dofinansowanie ze środków UE", "Automatyzacja obiegu dokumentów",
]  # fmt: skip
CONTEXT = [
    ("external", "Zmiany przepisów prawa i orzecznictwa"),
    ("external", "Sytuacja demograficzna miasta"),
    ("external", "Oczekiwania mieszkańców wobec usług elektronicznych"),
    ("external", "Sytuacja finansowa samorządów"),
    ("external", "Rynek pracy w administracji"),
    ("internal", "Kompetencje i rotacja pracowników"),
    ("internal", "Infrastruktura informatyczna Urzędu"),
    ("internal", "Kultura organizacyjna i komunikacja"),
    ("internal", "Warunki lokalowe"),
]
PARTIES = [
    "Mieszkańcy miasta", "Przedsiębiorcy", "Rada Miasta", "Wojewoda", "Organizacje pozarządowe",
    "Pracownicy Urzędu", "Związki zawodowe", "Media lokalne", "Jednostki organizacyjne miasta",
    "Inwestorzy", "Turyści", "Uczelnie", "Dostawcy i wykonawcy", "Regionalna Izba Obrachunkowa",
    "Najwyższa Izba Kontroli",
]  # fmt: skip
PROPOSALS = [
    "Formularze online dla najczęstszych spraw", "System kolejkowy z powiadomieniami SMS",
    "Wspólny kalendarz auditów", "Karta usług w języku angielskim",
    "Ankieta satysfakcji przy stanowiskach", "Szablony pism w EZD",
]  # fmt: skip
FEEDBACK_SUBJECTS = {
    "complaint": ["Skarga na czas oczekiwania", "Skarga na sposób obsługi",
                  "Skarga na przewlekłość postępowania", "Skarga na brak odpowiedzi"],
    "request": ["Wniosek o dodatkowe godziny otwarcia", "Wniosek o płatności kartą",
                "Wniosek o parking dla klientów", "Wniosek o formularz online"],
    "petition": ["Petycja w sprawie zieleni osiedlowej",
                 "Petycja w sprawie przejścia dla pieszych"],
    "survey": ["Badanie satysfakcji klientów"],
}  # fmt: skip
