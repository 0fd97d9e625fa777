"""A labelled corpus of short customer-service notes in six EU languages, for measuring PII
recall and precision per language and entity type.

Formats come from Faker's locale providers (``de_DE``, ``fr_FR``, ``it_IT``, ``es_ES``,
``nl_NL``, ``pl_PL``), a source independent of the recognizers under test. Every note holds
look-alike distractors (a date, an amount, an order or invoice number, a postcode) beside at
most one planted entity:
- ``PHONE_NUMBER``: a phone number, in a sentence with no phone context word in any
  language (so the number must speak for itself);
- ``IBAN_CODE``: an IBAN, printed in groups half the time;
- a national identifier where Faker has one (French NIR, Italian codice fiscale, Spanish
  NIF, Dutch BSN, Polish PESEL), introduced by its usual name, as data do;
- nothing (a note of distractors only).
Each note carries its gold spans, so recall and precision are counted span by span.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from faker import Faker

LANGUAGES: dict[str, str] = {
    "de": "de_DE",
    "fr": "fr_FR",
    "it": "it_IT",
    "es": "es_ES",
    "nl": "nl_NL",
    "pl": "pl_PL",
}

#: the national identifier Faker generates per language, the entity type, and its usual name
NATIONAL_ID: dict[str, tuple[str, str, str]] = {
    "fr": ("ssn", "FR_NIR", "numéro de sécurité sociale"),
    "it": ("ssn", "IT_FISCAL_CODE", "codice fiscale"),
    "es": ("nif", "ES_NIF", "DNI"),
    "nl": ("ssn", "NL_BSN", "BSN"),
    "pl": ("pesel", "PL_PESEL", "PESEL"),
}

#: sentence frames: {x} is the planted value, the rest are distractors. No frame holds a phone
#: context word in any of the seven languages.
FRAMES: dict[str, dict[str, str]] = {
    "de": {
        "phone": "Frau {name} bittet um Rückmeldung unter {x} wegen Auftrag {order} vom {date}.",
        "iban": "Erstattung von {amount} auf {x} nach Rechnung {invoice}, PLZ {postcode}.",
        "id": "Kunde {name}, Bestellnummer {order}, {idname} {x}, Betrag {amount}.",
        "none": "Lieferung {order} an PLZ {postcode} am {date} über {amount}, Rechnung {invoice}.",
    },
    "fr": {
        "phone": "Mme {name} souhaite être rappelée au {x} pour la commande {order} du {date}.",
        "iban": "Remboursement de {amount} sur {x}, facture {invoice}, code postal {postcode}.",
        "id": "Client {name}, commande {order}, {idname} {x}, montant {amount}.",
        "none": "Livraison {order} au {postcode} le {date} pour {amount}, facture {invoice}.",
    },
    "it": {
        "phone": "La signora {name} chiede di essere ricontattata al {x} per l'ordine {order} del {date}.",
        "iban": "Rimborso di {amount} su {x}, fattura {invoice}, CAP {postcode}.",
        "id": "Cliente {name}, ordine {order}, {idname} {x}, importo {amount}.",
        "none": "Consegna {order} al CAP {postcode} il {date} per {amount}, fattura {invoice}.",
    },
    "es": {
        "phone": "La señora {name} pide que la contacten en el {x} por el pedido {order} del {date}.",
        "iban": "Reembolso de {amount} en {x}, factura {invoice}, código postal {postcode}.",
        "id": "Cliente {name}, pedido {order}, {idname} {x}, importe {amount}.",
        "none": "Entrega {order} en el {postcode} el {date} por {amount}, factura {invoice}.",
    },
    "nl": {
        "phone": "Mevrouw {name} vraagt om contact via {x} over bestelling {order} van {date}.",
        "iban": "Terugbetaling van {amount} op {x}, factuur {invoice}, postcode {postcode}.",
        "id": "Klant {name}, bestelling {order}, {idname} {x}, bedrag {amount}.",
        "none": "Levering {order} naar {postcode} op {date} voor {amount}, factuur {invoice}.",
    },
    "pl": {
        "phone": "Pani {name} prosi o kontakt pod {x} w sprawie zamówienia {order} z {date}.",
        "iban": "Zwrot {amount} na {x}, faktura {invoice}, kod pocztowy {postcode}.",
        "id": "Klient {name}, zamówienie {order}, {idname} {x}, kwota {amount}.",
        "none": "Dostawa {order} pod {postcode} dnia {date} na {amount}, faktura {invoice}.",
    },
}

DATE_FORMAT = {
    "de": "%d.%m.%Y",
    "fr": "%d/%m/%Y",
    "it": "%d/%m/%Y",
    "es": "%d/%m/%Y",
    "nl": "%d-%m-%Y",
    "pl": "%d.%m.%Y",
}
CURRENCY = {"de": "€", "fr": "€", "it": "€", "es": "€", "nl": "€", "pl": "zł"}


@dataclass(frozen=True)
class Note:
    language: str
    text: str
    #: (entity type, start, end) of the planted value, or None
    gold: tuple[str, int, int] | None


def _amount(rng: random.Random, lang: str) -> str:
    euros, cents = rng.randint(5, 98_000), rng.randint(0, 99)
    whole = f"{euros:,}".replace(",", "." if lang in ("de", "it", "es", "nl") else " ")
    return f"{whole},{cents:02d} {CURRENCY[lang]}"


def _order(rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return str(rng.randint(10**5, 10**10))  # a bare order number
    if kind == 1:
        return f"{rng.randint(1, 10**8 - 1):010d}"  # zero-padded to phone length (ERP style)
    if kind == 2:
        return f"{rng.randint(1000, 9999)}-{rng.randint(2019, 2026)}-{rng.randint(1, 9999):04d}"
    return f"{rng.randint(1, 9999)}/{rng.randint(2019, 2026)}"  # number/year


def _invoice(rng: random.Random) -> str:
    prefix = rng.choice(["RE", "FA", "INV", "FT", "F"])
    return f"{prefix}-{rng.randint(2019, 2026)}-{rng.randint(1, 99999):05d}"


def _print_iban(iban: str) -> str:
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def make_corpus(per_language: int, seed: int = 0) -> list[Note]:
    """``per_language`` notes per language: a quarter each phone, IBAN, national id (or
    phone again where Faker has no national id) and distractors only."""
    notes: list[Note] = []
    for k, (lang, locale) in enumerate(LANGUAGES.items()):
        fake = Faker(locale)
        fake.seed_instance(seed * 100 + k)
        rng = random.Random(seed * 100 + k)
        for i in range(per_language):
            kind = ("phone", "iban", "id", "none")[i % 4]
            if kind == "id" and lang not in NATIONAL_ID:
                kind = "phone"
            fill = {
                "name": fake.last_name(),
                "order": _order(rng),
                "invoice": _invoice(rng),
                "date": fake.date(pattern=DATE_FORMAT[lang]),
                "amount": _amount(rng, lang),
                "postcode": fake.postcode(),
                "idname": NATIONAL_ID[lang][2] if lang in NATIONAL_ID else "",
            }
            entity: str | None = None
            value = ""
            if kind == "phone":
                entity, value = "PHONE_NUMBER", fake.phone_number()
            elif kind == "iban":
                iban = fake.iban()
                entity, value = "IBAN_CODE", _print_iban(iban) if i % 8 == 1 else iban
            elif kind == "id":
                method, entity, _ = NATIONAL_ID[lang]
                value = str(getattr(fake, method)())
            frame = FRAMES[lang][kind]
            head, _, tail = frame.partition("{x}")
            before = head.format(**fill)
            text = before + value + tail.format(**fill) if entity else frame.format(**fill)
            gold = (entity, len(before), len(before) + len(value)) if entity else None
            notes.append(Note(lang, text, gold))
    return notes
