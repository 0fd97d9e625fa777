"""Context words in the EU's most used languages, beside presidio's English ones.

presidio raises a score when one of a recognizer's context words is a token near the match
(or in the caller's context: the column name). Its context words are English, so a German
``Handy: 0151 2345678`` or a French ``numéro de sécurité sociale`` got no lift. Single words
only: presidio matches context per token (lemma), so ``sécurité sociale`` is ``sécurité``
and ``sociale``. Accents are kept and given without them too (data are often typed without).
"""

from __future__ import annotations

#: phone numbers: English, German, French, Italian, Spanish, Dutch, Polish. presidio matches
#: a context word as a substring of a nearby token, so generic or short words are left out:
#: "nummer" is in "Bestellnummer" (order number), "tel" in "Bestellung", "cell" in
#: "excellent", "mobil" in "Immobilie", "numéro" precedes "de commande".
PHONE: tuple[str, ...] = (
    "phone", "telephone", "cellphone", "mobile", "fax",
    "telefon", "handy", "mobilnummer", "rufnummer", "anrufen", "festnetz",
    "téléphone", "portable", "appeler", "joindre",
    "telefono", "cellulare", "chiamare", "fisso",
    "teléfono", "móvil", "movil", "celular", "llamar",
    "telefoon", "mobiel", "bellen",
    "komórka", "komorka", "komórkowy", "komorkowy", "zadzwoń", "zadzwon", "dzwonić", "dzwonic",
)  # fmt: skip

#: extra words per identifier recognizer (class name), added to its own
IDENTIFIERS: dict[str, tuple[str, ...]] = {
    "PlPeselRecognizer": ("pesel",),
    "EsNifRecognizer": ("dni", "nif", "documento", "identidad"),
    "EsNieRecognizer": ("extranjero", "extranjería", "extranjeria"),
    "ItFiscalCodeRecognizer": ("codice", "fiscale", "cf"),
    "SePersonnummerRecognizer": ("personnummer", "pnr"),
    "FiPersonalIdentityCodeRecognizer": ("henkilötunnus", "henkilotunnus", "hetu"),
    "DeTaxIdRecognizer": ("steuer", "identifikationsnummer", "idnr", "steuerid"),
    "NlBsnRecognizer": ("bsn", "burgerservicenummer", "sofinummer"),
    "FrNirRecognizer": ("nir", "sécu", "sécurité", "insee", "ssn"),
    "BeNationalNumberRecognizer": ("rijksregisternummer", "rijksregister", "insz", "niss", "rrn"),
    "RoCnpRecognizer": ("cnp",),
    "EePersonalCodeRecognizer": ("isikukood",),
    "HrOibRecognizer": ("oib",),
}

#: words that name a number as something other than a phone number when they stand right
#: before it ("Auftrag 3429934246", "commande n° 3343485571", "order #612345678"): an order,
#: delivery, invoice, customer, contract, case, account or tracking reference. A bare run of
#: nine or ten digits is a valid mobile number somewhere in Europe about as often as not
#: (Italy's 3xx, Spain's 6xx, Poland's), so with many regions on, the word before it is the
#: evidence. Compounds ending in a phone word ("Telefonnummer") are not here; plain
#: "number"/"Nummer" is not either (it precedes phone numbers as often).
REFERENCE: tuple[str, ...] = (
    "order", "invoice", "delivery", "shipment", "reference", "ref", "ticket", "case", "contract",
    "account", "customer", "transaction", "tracking", "parcel", "item", "article", "sku", "batch", "serial",
    "auftrag", "auftrags", "auftragsnummer", "bestellung", "bestellnummer", "lieferung", "lieferschein",
    "rechnung", "rechnungsnummer", "kundennummer", "vertrag", "vertragsnummer", "vorgang", "aktenzeichen",
    "sendung", "sendungsnummer", "referenz", "konto", "kontonummer", "artikel", "artikelnummer", "paket",
    "commande", "livraison", "facture", "référence", "réf", "dossier", "contrat", "colis", "compte",
    "envoi", "expédition", "expedition",
    "ordine", "consegna", "fattura", "riferimento", "rif", "pratica", "contratto", "spedizione", "pacco",
    "conto", "articolo",
    "pedido", "entrega", "factura", "referencia", "expediente", "contrato", "envío", "envio", "paquete",
    "cuenta", "artículo", "articulo", "albarán", "albaran",
    "bestelling", "bestelnummer", "ordernummer", "levering", "factuur", "factuurnummer", "referentie",
    "klantnummer", "zending", "pakket", "rekening", "rekeningnummer",
    "zamówienie", "zamówienia", "zamowienie", "zamowienia", "dostawa", "dostawy", "faktura", "faktury",
    "referencja", "umowa", "umowy", "przesyłka", "przesyłki", "przesylka", "przesylki", "paczka",
    "zlecenie", "zlecenia",
)  # fmt: skip
