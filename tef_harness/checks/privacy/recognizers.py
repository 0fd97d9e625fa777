"""PII recognizers this project adds to presidio's, as presidio recognizers (data plus a
validator), not a parallel system.

Four groups:
- EU national identifiers presidio ships but does not enable for English text (Spanish
  NIF/NIE, Italian fiscal code, Polish PESEL, Finnish HETU, Swedish personnummer, German
  tax id): re-instantiated with ``supported_language="en"`` and context words in their
  languages (``context_words``).
- Every other offline presidio pattern recognizer for a country among the configured
  regions (UK NINO, passport and driving licence, German identity documents, ...), off by
  default in presidio for English; their patterns alone score under the threshold.
- EU national identifiers presidio lacks, each with its checksum: Dutch BSN, Belgian
  national number, French NIR, Romanian CNP, Estonian isikukood, Croatian OIB.
- The measured misses of presidio's defaults: 19-digit Visa, Maestro and 2-series
  Mastercard numbers (Luhn-checked), phone numbers with ``+``/``00`` prefixes or
  extensions, and national phone numbers (``030 1234567``, ``01 42 68 53 00``), checked
  with ``phonenumbers``.

A checksum on a bare digit run (digits, maybe grouped by spaces) is weak evidence: one
random number in ten or eleven passes a mod-10 or mod-11 check, so a Philippine mobile
number passes as a PESEL and a Turkish id as a German tax id. Such matches keep their
pattern score (under presidio's 0.5 default threshold) and need a context word, in the text
or the column name, to be reported. Formatted identifiers whose checksum passes
(``19900305-2397``, ``85.07.30-033.28``, ``12345678Z``) score 1.0, as presidio's own
checksum recognizers do. Overlaps are resolved after scoring (``scan.resolve_overlaps``).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult

from tef_harness.checks.privacy import context_words
from tef_harness.checks.privacy.regions import DEFAULT_REGIONS

# one implementation of each check-digit rule for the masking door and the scan
from tef_harness.sdk.check_digits import (
    be_national_number,
    card_issuer_range,
    ee_personal_code,
    fr_nir,
    iso7064_mod11_10,
    luhn,
    nl_bsn,
    ro_cnp,
)

_DIGITS = re.compile(r"\d")


#: the score of a match that needs a context word to pass the default 0.5 threshold
WEAK_SCORE = 0.4


def _digits(text: str) -> str:
    return "".join(_DIGITS.findall(text))


def bare_digits(text: str) -> bool:
    """Digits, maybe grouped by spaces: what phone numbers, amounts and every other
    country's identifiers also look like, so a checksum alone does not name the entity."""
    return text.replace(" ", "").isdigit()


class ChecksumRecognizer(PatternRecognizer):
    """A pattern recognizer whose matches are dropped unless ``checksum`` holds.

    ``strong(text)`` says whether a valid match is specific enough to score 1.0; otherwise
    it keeps its pattern score and needs context words to pass a threshold.
    """

    ENTITY: ClassVar[str]
    PATTERNS: ClassVar[tuple[tuple[str, str, float], ...]]
    CONTEXT: ClassVar[tuple[str, ...]]

    def __init__(self, supported_language: str = "en") -> None:
        extra = context_words.IDENTIFIERS.get(type(self).__name__, ())
        super().__init__(
            supported_entity=self.ENTITY,
            patterns=[Pattern(name, regex, score) for name, regex, score in self.PATTERNS],
            context=list(dict.fromkeys([*self.CONTEXT, *extra])),
            supported_language=supported_language,
            name=type(self).__name__,
        )

    def checksum(self, text: str) -> bool:
        raise NotImplementedError

    def strong(self, text: str) -> bool:
        """A bare digit run is weak: a mod-10 or mod-11 checksum passes about one random
        number in ten, so another country's number (a phone, a Turkish id) would pass."""
        return not bare_digits(text)

    def validate_result(self, pattern_text: str) -> bool | None:
        if not self.checksum(pattern_text):
            return False
        return True if self.strong(pattern_text) else None


class NlBsnRecognizer(ChecksumRecognizer):
    """Dutch citizen service number: 9 digits, the "11-proof" (weights 9..2 and -1)."""

    ENTITY = "NL_BSN"
    PATTERNS = (("bsn", r"\b\d{9}\b", 0.3), ("bsn dotted", r"\b\d{4}\.\d{2}\.\d{3}\b", 0.4))
    CONTEXT = ("bsn", "burgerservicenummer", "sofinummer", "citizen service number")

    def checksum(self, text: str) -> bool:
        return nl_bsn(_digits(text))

    def strong(self, text: str) -> bool:
        return False


class BeNationalNumberRecognizer(ChecksumRecognizer):
    """Belgian national register number YY.MM.DD-NNN.CC, mod-97 check (with the 2000+ rule)."""

    ENTITY = "BE_NATIONAL_NUMBER"
    PATTERNS = (
        ("rrn formatted", r"\b\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}\b", 0.5),
        ("rrn digits", r"\b\d{11}\b", 0.2),
    )
    CONTEXT = ("rijksregisternummer", "numéro national", "national number", "insz", "niss", "rrn")

    def checksum(self, text: str) -> bool:
        d = _digits(text)
        if len(d) != 11:
            return False
        if not 1 <= int(d[2:4]) % 20 <= 12 and int(d[2:4]) not in (0, 20, 40):
            return False  # a month (+20, +40 for a bis number), or 00 when the date is unknown
        return be_national_number(d)

    def strong(self, text: str) -> bool:
        return "." in text


class FrNirRecognizer(ChecksumRecognizer):
    """French social-security number (NIR): sex, YY, MM, department (2A/2B for Corsica),
    commune, order, and a 2-digit key = 97 - (number mod 97)."""

    ENTITY = "FR_NIR"
    PATTERNS = (
        (
            "nir",
            r"\b[123478] ?\d{2} ?(?:0[1-9]|1[0-2]|[2-9]\d) ?(?:\d{2}|2[ab]) ?\d{3} ?\d{3} ?\d{2}\b",
            0.4,
        ),
    )
    CONTEXT = ("nir", "sécurité sociale", "securite sociale", "numéro de sécurité", "insee", "social security")

    def checksum(self, text: str) -> bool:
        return fr_nir(text.replace(" ", "").upper())


class RoCnpRecognizer(ChecksumRecognizer):
    """Romanian personal numeric code (CNP): 13 digits, weights 279146358279 mod 11."""

    ENTITY = "RO_CNP"
    PATTERNS = (("cnp", r"\b[1-8]\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{6}\b", 0.4),)
    CONTEXT = ("cnp", "cod numeric personal", "personal numeric code")

    def checksum(self, text: str) -> bool:
        d = _digits(text)
        return len(d) == 13 and ro_cnp(d)


class EePersonalCodeRecognizer(ChecksumRecognizer):
    """Estonian (and Lithuanian) personal code: G YYMMDD SSS C, two-stage mod-11 check."""

    ENTITY = "EE_PERSONAL_CODE"
    PATTERNS = (("isikukood", r"\b[1-6]\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{4}\b", 0.4),)
    CONTEXT = ("isikukood", "asmens kodas", "personal code", "personal identification code")

    def checksum(self, text: str) -> bool:
        d = _digits(text)
        return len(d) == 11 and ee_personal_code(d)


class HrOibRecognizer(ChecksumRecognizer):
    """Croatian personal identification number (OIB): 11 digits, ISO 7064 MOD 11,10."""

    ENTITY = "HR_OIB"
    PATTERNS = (("oib", r"\b\d{11}\b", 0.2),)
    CONTEXT = ("oib", "osobni identifikacijski broj")

    def checksum(self, text: str) -> bool:
        d = _digits(text)
        return len(d) == 11 and iso7064_mod11_10(d)

    def strong(self, text: str) -> bool:
        return False


class ExtendedCreditCardRecognizer(ChecksumRecognizer):
    """Card numbers presidio's pattern cannot reach: 19-digit Visa/Maestro, 2-series
    Mastercard (2221-2720), 12-19 digit Maestro; Luhn plus a known issuer range."""

    ENTITY = "CREDIT_CARD"
    PATTERNS = (("card 12-19 digits", r"\b[2-6]\d{3}(?:[- ]?\d{2,4}){2,4}(?:[- ]?\d{1,3})?\b", 0.3),)
    CONTEXT = ("credit", "card", "visa", "mastercard", "maestro", "debit", "cc")

    def checksum(self, text: str) -> bool:
        d = _digits(text)
        return 12 <= len(d) <= 19 and card_issuer_range(d) and luhn(d)

    def strong(self, text: str) -> bool:
        return True  # as presidio's card recognizer: Luhn plus an issuer range on 12-19 digits


_PHONE_CORE = r"\(?\d{1,4}\)?(?:[-. ]?\d{1,4}){1,5}"
_PHONE_EXT = r"\s*(?:x|ext\.?|extension)\s*\d{1,6}"
#: the text before a group of a printed IBAN: country, check digits, then 4-character groups
_NOT_IN_IBAN = r"(?<!\b[A-Z]{2}\d{2}(?: [A-Z0-9]{1,4})* )"
_PHONE_REGIONS = ("US", "GB", "DE", "FR", "IL", "IN", "CA", "BR", "ES", "IT", "NL", "PL")


class ExtendedPhoneRecognizer(ChecksumRecognizer):
    """Phone numbers with a ``+``/``00`` international prefix or an extension, which
    presidio's phonenumbers matcher misses or scores below 0.5; kept when ``phonenumbers``
    says the number (without the extension) has a possible length for its country. The
    prefix or extension is the evidence, so an unassigned area code still counts: leaked
    test data and typos are personal data too."""

    ENTITY = "PHONE_NUMBER"
    PATTERNS = (
        ("phone intl prefix +", r"\+[1-9]\d{0,2}[-. ]?" + _PHONE_CORE + f"(?:{_PHONE_EXT})?\\b", 0.5),
        # a 00 prefix counts when a separator follows the country code ("0049 30 1234567"),
        # and not inside a grouped IBAN ("DE89 3704 0044 0532 0130 00": the lookbehind)
        (
            "phone intl prefix 00",
            r"(?<![\w+])" + _NOT_IN_IBAN + r"00[1-9]\d{0,2}[-. ]" + _PHONE_CORE + f"(?:{_PHONE_EXT})?\\b",
            0.5,
        ),
        # a bare 00 digit run is as often an identifier (0034567890124): context must lift it
        ("phone intl prefix 00 bare", r"(?<![\w+])00[1-9]\d{6,13}\b", 0.3),
        ("phone extension", r"(?<![\w+])" + _PHONE_CORE + _PHONE_EXT + r"\b", 0.5),
    )
    CONTEXT = context_words.PHONE
    _EXT = re.compile(_PHONE_EXT + r"$", re.IGNORECASE)

    def checksum(self, text: str) -> bool:
        import phonenumbers

        main = self._EXT.sub("", text).strip()
        if main.startswith("00"):
            main = "+" + main[2:]
        regions = (None,) if main.startswith("+") else _PHONE_REGIONS
        for region in regions:
            try:
                if phonenumbers.is_possible_number(phonenumbers.parse(main, region)):
                    return True
            except phonenumbers.NumberParseException:
                continue
        return False

    def strong(self, text: str) -> bool:
        return False


_SEP = r"[ \-./]{1,2}"
#: not glued to a word, another number, a decimal part or an identifier's dash or slash
_ALONE_BEFORE = r"(?<![\w+\-/.,(])"
_ALONE_AFTER = r"(?![\w\-/]|[.,]\d)"
_DATE_SHAPE = re.compile(r"\(?\d{1,4}\)?[./\- ]\d{1,2}[./\- ]\d{1,4}")


#: the word right before a number, with "Nr.", "n°", "#" or ":" between them
_WORD_BEFORE = re.compile(
    r"(?<![^\W\d_])([^\W\d_]+)\W{0,4}(?:(?:nr|no|nº|n|num|nummer|numer|number|numero|número|numéro)\W{0,3})?$",
    re.IGNORECASE,
)
_REFERENCE_WORDS = frozenset(context_words.REFERENCE)
#: a run of digits without a trunk prefix, a "+" or grouping: the weakest phone evidence
_BARE_RUN = re.compile(r"\d+")


def named_as_reference(text: str, start: int) -> bool:
    """Whether the word right before ``text[start:]`` names an order, invoice, customer or
    other reference number (``context_words.REFERENCE``): "Auftrag 3429934246"."""
    m = _WORD_BEFORE.search(text, max(0, start - 48), start)
    return m is not None and m.group(1).lower() in _REFERENCE_WORDS


def _possible_lengths(meta: Any) -> tuple[int, ...]:
    """Every national-number length ``phonenumbers`` allows in a region (all number types)."""
    desc = getattr(meta, "general_desc", None)
    lengths = tuple(getattr(desc, "possible_length", None) or ())
    return lengths or tuple(range(4, 18))


class NationalPhoneRecognizer(ChecksumRecognizer):
    """National phone numbers as written in Europe, without a country prefix: a trunk 0
    (``030 1234567``, ``01 42 68 53 00``, ``(0824) 219489``) or a grouped mobile or
    landline number where there is no trunk prefix (``782 194 892``, ``22 839 89 47``).
    presidio's phone recognizer scores these 0.4 and reads only eight regions.

    Kept when ``phonenumbers`` says the number is possible (trunk 0, grouped) or valid
    (a bare digit run, or no trunk prefix) in one of the configured regions; dates, amounts
    (a comma), zero-padded numbers (``00``) and numbers glued to letters, dashes or slashes
    (order and invoice numbers) are not matched. Known ambiguity: a bare run of a phone
    number's length with one leading zero (``0345123987``) that is in fact an order number
    is reported as a phone number when it is a valid number in a configured region.
    """

    ENTITY = "PHONE_NUMBER"
    PATTERNS = (
        (
            "national trunk 0, grouped",
            _ALONE_BEFORE
            + r"(?:\(0\d{1,5}\)|0[1-9]\d{0,4})(?:"
            + _SEP
            + r"|(?<=\)) ?)\d{2,8}(?:"
            + _SEP
            + r"\d{2,8}){0,4}"
            + _ALONE_AFTER,
            0.5,
        ),
        ("national trunk 0, bare", _ALONE_BEFORE + r"0[1-9]\d{7,11}" + _ALONE_AFTER, 0.5),
        # a mobile number where mobiles have no trunk prefix (Italy's 3xx, Spain's 6xx/7xx,
        # Poland's): valid as a mobile number in a configured region, not just possible
        ("national mobile, bare", _ALONE_BEFORE + r"[1-9]\d{8,9}" + _ALONE_AFTER, 0.5),
        (
            "national without trunk prefix, grouped",
            _ALONE_BEFORE + r"[1-9]\d{1,2}(?:[ \-]\d{2,4}){2,3}" + _ALONE_AFTER,
            0.5,
        ),
    )
    CONTEXT = context_words.PHONE
    #: ``analyze`` only drops some of ``PatternRecognizer.analyze``'s results and reads no NLP
    #: artifacts, so the fast path may still skip it where its patterns match nowhere
    RESULTS_ONLY_FROM_PATTERNS: ClassVar[bool] = True

    def __init__(self, supported_language: str = "en", regions: tuple[str, ...] = DEFAULT_REGIONS) -> None:
        import phonenumbers

        self.regions = tuple(r for r in regions if r in phonenumbers.SUPPORTED_REGIONS)
        meta = {r: phonenumbers.PhoneMetadata.metadata_for_region(r) for r in self.regions}
        #: regions whose numbers are written without a national (trunk) prefix
        self._no_trunk = frozenset(r for r in self.regions if not getattr(meta[r], "national_prefix", None))
        #: (region, trunk prefix, possible national lengths): parsing is the expensive step, so
        #: a region is tried only when the digit count fits one of its lengths
        self._shapes = tuple(
            (r, getattr(meta[r], "national_prefix", None) or "", frozenset(_possible_lengths(meta[r])))
            for r in self.regions
        )
        super().__init__(supported_language)

    def checksum(self, text: str) -> bool:
        import phonenumbers

        digits = _digits(text)
        if not 9 <= len(digits) <= 13 or _DATE_SHAPE.fullmatch(text):
            return False
        trunk = digits.startswith("0")
        grouped = digits != text
        # MOBILE only: North American numbers are all FIXED_LINE_OR_MOBILE, so any ten digits
        # with a valid area code would pass
        mobile_types = (phonenumbers.PhoneNumberType.MOBILE,)
        for region, prefix, lengths in self._shapes:
            national = len(digits) - len(prefix) if prefix and digits.startswith(prefix) else len(digits)
            if national not in lengths:
                continue
            try:
                number = phonenumbers.parse(text, region)
            except phonenumbers.NumberParseException:
                continue
            if not (grouped or trunk):
                # a bare run without a trunk prefix: a mobile number of a country that writes
                # none (Italy, Spain, Poland, ...); elsewhere ("7784362877" in Britain, which
                # writes 07784 ...) the missing prefix says it is not a phone number
                if (
                    region in self._no_trunk
                    and phonenumbers.is_valid_number(number)
                    and phonenumbers.number_type(number) in mobile_types
                ):
                    return True
                continue
            if phonenumbers.is_valid_number(number) or (trunk and grouped and phonenumbers.is_possible_number(number)):
                return True
        return False

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: Any = None, regex_flags: int | None = None
    ) -> list[RecognizerResult]:
        """presidio's pattern matching, less the bare digit runs that the word before them
        names as a reference ("commande 3343485571", "Auftrag Nr. 612345678"): with every EU
        region on, one order number in three of nine or ten digits is a valid mobile number
        somewhere. Grouped or trunk-prefixed numbers are kept: nobody groups an order number
        the way a phone number is grouped."""
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        return [
            r
            for r in results
            if not (_BARE_RUN.fullmatch(text, r.start, r.end) and named_as_reference(text, r.start))
        ]

    def strong(self, text: str) -> bool:
        return False


#: presidio pattern overrides. PESEL's pattern has no word boundaries (it fires inside any
#: longer digit run, e.g. card numbers). Patterns that match bare digit runs score under the
#: 0.5 threshold (the German tax id's 0.5, the Swedish medium pattern's 0.5 become 0.4), so
#: that, with ``validate_result`` keeping the pattern score on a bare run, a context word
#: must lift them. The Swedish patterns are otherwise presidio's, the unbounded very weak
#: one included ("code is199003052397").
_PATTERN_OVERRIDES: dict[str, list[tuple[str, str, float]]] = {
    "PlPeselRecognizer": [
        ("PESEL", r"\b[0-9]{2}([02468][1-9]|[13579][012])(0[1-9]|1[0-9]|2[0-9]|3[01])[0-9]{5}\b", 0.4)
    ],
    "SePersonnummerRecognizer": [
        ("Swedish Personnummer (Medium)", r"\b(\d{6,8})([-+]?)\d{4}\b", 0.4),
        ("Swedish Personnummer (Very Weak)", r"(\d{6,8})([-+]?)\d{4}", 0.1),
    ],
    "DeTaxIdRecognizer": [("Steueridentifikationsnummer (High)", r"\b[1-9]\d{10}\b", 0.4)],
}


class _WeakOnBareDigits:
    """Mixed into presidio's checksum recognizers: a bare digit run that passes the checksum
    keeps its pattern score (under the threshold) instead of 1.0; a context word lifts it.
    A failed checksum still drops the match, and formatted numbers still score 1.0."""

    def validate_result(self, pattern_text: str) -> bool | None:
        result: bool | None = super().validate_result(pattern_text)  # type: ignore[misc]
        if result and bare_digits(pattern_text):
            return None
        return result


_WEAK_ON_BARE_DIGITS = ("PlPeselRecognizer", "SePersonnummerRecognizer", "DeTaxIdRecognizer")

#: presidio recognizer classes (country-specific, off for English by default) we enable
PRESIDIO_EU_RECOGNIZERS: tuple[str, ...] = (
    "EsNifRecognizer",
    "EsNieRecognizer",
    "ItFiscalCodeRecognizer",
    "PlPeselRecognizer",
    "FiPersonalIdentityCodeRecognizer",
    "SePersonnummerRecognizer",
    "DeTaxIdRecognizer",
)

PROJECT_RECOGNIZERS: tuple[type[ChecksumRecognizer], ...] = (
    NlBsnRecognizer,
    BeNationalNumberRecognizer,
    FrNirRecognizer,
    RoCnpRecognizer,
    EePersonalCodeRecognizer,
    HrOibRecognizer,
    ExtendedCreditCardRecognizer,
    ExtendedPhoneRecognizer,
    NationalPhoneRecognizer,
)


#: presidio recognizers left off, and why (everything else presidio ships is enabled)
PRESIDIO_LEFT_OFF: dict[str, str] = {
    "SpacyRecognizer": "needs a spaCy NER model (params.spacy_model)",
    "StanzaRecognizer": "needs a downloaded Stanza model",
    "TransformersRecognizer": "needs a downloaded transformers model",
    "HuggingFaceNerRecognizer": "needs a downloaded transformers model",
    "MedicalNERRecognizer": "needs a downloaded transformers model",
    "GLiNERRecognizer": "needs a downloaded GLiNER model",
    "LangExtractRecognizer": "needs a language-model service",
    "BasicLangExtractRecognizer": "needs a language-model service",
    "AzureAILanguageRecognizer": "a cloud service",
    "ZaMobileNumberRecognizer": "South African phone numbers are PHONE_NUMBER already (+27 prefix)",
    "ZaTelephoneNumberRecognizer": "South African phone numbers are PHONE_NUMBER already (+27 prefix)",
}


def presidio_country(code: str | None) -> str | None:
    """presidio's ``COUNTRY_CODE`` (lower case, ``uk`` for Great Britain) as ISO 3166 alpha-2."""
    if code is None:
        return None
    return "GB" if code.lower() == "uk" else code.upper()


def presidio_offline_recognizers(
    language: str, present: set[str], regions: tuple[str, ...] = DEFAULT_REGIONS
) -> tuple[list[EntityRecognizer], dict[str, str]]:
    """Every pattern recognizer presidio ships that is not in ``present`` (class names
    already registered) and whose country is among ``regions`` (ISO 3166 alpha-2), for
    ``language``; and the ones left off with the reason. All work offline (a regex, context
    words and a validator); presidio's defaults leave most country-specific ones off for English.
    Another country's recognizer meets mostly look-alikes in European data (a South African
    driving licence number in a German social-security number), so the config opts in."""
    import inspect

    import presidio_analyzer.predefined_recognizers as predefined

    eu = set(PRESIDIO_EU_RECOGNIZERS)
    added: list[EntityRecognizer] = []
    left_off: dict[str, str] = {}
    for name in sorted(dir(predefined)):
        cls = getattr(predefined, name)
        if (
            not inspect.isclass(cls)
            or not issubclass(cls, PatternRecognizer)
            or cls is PatternRecognizer
            or name in present
            or name in eu
            or name in PRESIDIO_LEFT_OFF
            or "supported_language" not in inspect.signature(cls.__init__).parameters
        ):
            continue
        country = presidio_country(getattr(cls, "COUNTRY_CODE", None))
        if country is not None and country not in regions:
            left_off[name] = f"country {country} is not in params.regions"
            continue
        # outside their own language these meet other countries' numbers: a pattern alone
        # scores under the threshold, and a bare digit run that passes the checksum too, so a
        # context word (or a checksum on a formatted number) decides, as for the EU identifiers
        weak: Any = type(name, (_WeakOnBareDigits, cls), {"__module__": __name__})
        kwargs: dict[str, Any] = {"supported_language": language}
        if "patterns" in inspect.signature(cls.__init__).parameters:
            stock: Any = cls(supported_language=language)  # type: ignore[call-arg]
            kwargs["patterns"] = [Pattern(p.name, p.regex, min(p.score, WEAK_SCORE)) for p in stock.patterns]
        added.append(weak(**kwargs))
    return added, left_off


def project_recognizers(language: str = "en", regions: tuple[str, ...] = DEFAULT_REGIONS) -> list[EntityRecognizer]:
    """Fresh instances of every recognizer this project adds, for ``language``; national
    phone formats are read for ``regions``. presidio's EU identifier recognizers get the
    context words of ``context_words.IDENTIFIERS`` beside their own."""
    import presidio_analyzer.predefined_recognizers as predefined

    added: list[EntityRecognizer] = []
    for name in PRESIDIO_EU_RECOGNIZERS:
        cls = getattr(predefined, name)
        if name in _WEAK_ON_BARE_DIGITS:
            cls = type(name, (_WeakOnBareDigits, cls), {"__module__": __name__})
        context = list(dict.fromkeys([*cls.CONTEXT, *context_words.IDENTIFIERS.get(name, ())]))
        kwargs: dict[str, Any] = {"supported_language": language, "context": context}
        if name in _PATTERN_OVERRIDES:
            kwargs["patterns"] = [Pattern(n, r, s) for n, r, s in _PATTERN_OVERRIDES[name]]
        added.append(cls(**kwargs))
    for project_cls in PROJECT_RECOGNIZERS:
        if project_cls is NationalPhoneRecognizer:
            added.append(NationalPhoneRecognizer(supported_language=language, regions=regions))
        else:
            added.append(project_cls(supported_language=language))
    return added
