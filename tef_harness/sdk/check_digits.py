"""Check-digit rules of card numbers and national identifiers: the one implementation that the
masking door (``personal_data``) and the PII scan's recognizers (``checks/privacy/recognizers``)
both use, so the two can never disagree on which number is valid.

Each function takes the identifier written without separators (its digits, or for the French
NIR its 15 characters) and tests the check digits only: the shape around them (a month that
must be 01-12, a first digit that codes the sex) is each caller's pattern, since the door and
a recognizer look at different text.

Sources: ISO/IEC 7812 (Luhn) and the card issuers' published ranges, the Dutch BSN "elfproef",
PESEL (Polish Ministry of Digital Affairs), INSEE (French NIR key), the Romanian CNP and
Croatian OIB (ISO 7064 MOD 11,10) specifications, the German Steuer-IdNr (ISO 7064), the
Estonian isikukood (EVS 585), the Belgian national register, the NHS number (mod 11) and the
Swedish personnummer (Luhn).
"""

from __future__ import annotations


def luhn(digits: str) -> bool:
    """ISO/IEC 7812 mod 10: doubling every second digit from the right, the sum ends in 0."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        v = int(ch)
        if i % 2:
            v = v * 2 - 9 if v > 4 else v * 2
        total += v
    return total % 10 == 0


def card_issuer_range(d: str) -> bool:
    """The number's length fits the issuer its prefix names: Visa (4; 13, 16 or 19 digits),
    Mastercard (51-55 and 2221-2720; 16), American Express (34, 37; 15), Maestro, Discover and
    the 6-series (50, 56-69; 12-19), JCB and Diners (3528-3589, 36, 300-305; 14-19)."""
    n = len(d)
    if d[0] == "4":
        return n in (13, 16, 19)
    p2, p4 = int(d[:2]), int(d[:4])
    if 51 <= p2 <= 55 or 2221 <= p4 <= 2720:
        return n == 16
    if p2 in (34, 37):
        return n == 15
    if p2 == 50 or 56 <= p2 <= 69:
        return 12 <= n <= 19
    if 3528 <= p4 <= 3589 or p2 == 36 or 300 <= int(d[:3]) <= 305:
        return 14 <= n <= 19
    return False


def _weighted(d: str, weights: tuple[int, ...]) -> int:
    return sum(int(x) * w for x, w in zip(d, weights, strict=False))


def iso7064_mod11_10(d: str) -> bool:
    """ISO 7064 MOD 11,10 (the Croatian OIB, the German Steuer-IdNr's check digit)."""
    a = 10
    for x in d[:-1]:
        a = (int(x) + a) % 10 or 10
        a = (a * 2) % 11
    return (11 - a) % 10 == int(d[-1])


def nl_bsn(d: str) -> bool:
    """Dutch BSN, 9 digits: the "elfproef" (weights 9..2, then -1 for the last), never all zeros."""
    return len(d) == 9 and any(c != "0" for c in d) and (_weighted(d, (9, 8, 7, 6, 5, 4, 3, 2)) - int(d[8])) % 11 == 0


def gb_nhs(d: str) -> bool:
    """NHS number, 10 digits: mod 11 with weights 10..2 (a remainder giving 10 is never issued)."""
    check = 11 - _weighted(d, (10, 9, 8, 7, 6, 5, 4, 3, 2)) % 11
    return (0 if check == 11 else check) == int(d[9]) and check != 10


def pl_pesel(d: str) -> bool:
    """PESEL, 11 digits: a month (+20 per century) and a day, weights 1-3-7-9 mod 10."""
    month = int(d[2:4]) % 20
    if not 1 <= month <= 12 or not 1 <= int(d[4:6]) <= 31:
        return False
    return (10 - _weighted(d, (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)) % 10) % 10 == int(d[10])


def de_tax_id(d: str) -> bool:
    """Steuer-IdNr, 11 digits: no leading 0, one digit twice or three times in the first ten
    and every other at most once, then ISO 7064 MOD 11,10."""
    first = d[:10]
    counts = sorted((first.count(c) for c in set(first)), reverse=True)
    if d[0] == "0" or counts[0] not in (2, 3) or counts[1:2] == [counts[0]] or (counts[1:] and counts[1] > 1):
        return False
    return iso7064_mod11_10(d)


def ee_personal_code(d: str) -> bool:
    """Estonian (and Lithuanian) personal code, 11 digits: mod 11 with weights 1..9,1, and
    when that gives 10, with 3..9,1,2,3 (0 when that gives 10 too)."""
    for weights in ((1, 2, 3, 4, 5, 6, 7, 8, 9, 1), (3, 4, 5, 6, 7, 8, 9, 1, 2, 3)):
        s = _weighted(d, weights) % 11
        if s != 10:
            return s == int(d[10])
    return d[10] == "0"


def be_national_number(d: str) -> bool:
    """Belgian national register number, 11 digits: the last two are 97 - (first nine mod 97),
    with 2 prefixed to the first nine for those born from 2000."""
    base, check = int(d[:9]), int(d[9:])
    return check in (97 - base % 97, 97 - (2_000_000_000 + base) % 97)


def ro_cnp(d: str) -> bool:
    """Romanian CNP, 13 digits: weights 279146358279 mod 11, a remainder of 10 written as 1."""
    s = _weighted(d, (2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9)) % 11
    return (1 if s == 10 else s) == int(d[12])


def fr_nir(compact: str) -> bool:
    """French NIR, 15 characters (Corsica's departments 2A and 2B count as 19 and 18): the
    last two digits are 97 - (the first thirteen mod 97)."""
    body, key = compact[:13].replace("2A", "19").replace("2B", "18"), compact[13:]
    return len(compact) == 15 and body.isdigit() and key.isdigit() and 97 - int(body) % 97 == int(key)


def se_personnummer(d: str) -> bool:
    """Swedish personnummer (10 digits, or 12 with the century): month, day (+60 for a
    coordination number) and Luhn over the last ten."""
    ten = d[-10:]
    return 1 <= int(ten[2:4]) <= 12 and 1 <= int(ten[4:6]) % 60 <= 31 and luhn(ten)
