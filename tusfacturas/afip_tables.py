"""Translation tables between AFIP/l10n_ar codes and TusFacturas' own codes.

TusFacturas names comprobante types, provinces and IVA conditions with its own
values (see the API's "Tablas de referencia"); Odoo's ``l10n_ar`` stores the
AFIP codes. These tables are the only place where one is mapped to the other.
"""

# AFIP document type code (l10n_latam.document.type.code) -> TusFacturas "tipo".
COMPROBANTE_TYPES = {
    "1": "FACTURA A",
    "2": "NOTA DE DEBITO A",
    "3": "NOTA DE CREDITO A",
    "6": "FACTURA B",
    "7": "NOTA DE DEBITO B",
    "8": "NOTA DE CREDITO B",
    "11": "FACTURA C",
    "12": "NOTA DE DEBITO C",
    "13": "NOTA DE CREDITO C",
    "19": "FACTURA E",
    "20": "NOTA DE DEBITO E",
    "21": "NOTA DE CREDITO E",
    "51": "FACTURA M",
    "52": "NOTA DE DEBITO M",
    "53": "NOTA DE CREDITO M",
    "201": "FACTURA DE CREDITO ELECTRONICA MiPyME (FCE) A",
    "202": "NOTA DE DEBITO ELECTRONICA MiPyME (FCE) A",
    "203": "NOTA DE CREDITO ELECTRONICA MiPyME (FCE) A",
    "206": "FACTURA DE CREDITO ELECTRONICA MiPyME (FCE) B",
    "207": "NOTA DE DEBITO ELECTRONICA MiPyME (FCE) B",
    "208": "NOTA DE CREDITO ELECTRONICA MiPyME (FCE) B",
    "211": "FACTURA DE CREDITO ELECTRONICA MiPyME (FCE) C",
    "212": "NOTA DE DEBITO ELECTRONICA MiPyME (FCE) C",
    "213": "NOTA DE CREDITO ELECTRONICA MiPyME (FCE) C",
}
FCE_CODES = frozenset({"201", "202", "203", "206", "207", "208", "211", "212", "213"})

# res.country.state code (Argentina) -> TusFacturas "provincia".
PROVINCES = {
    "C": "1",
    "B": "2",
    "K": "3",
    "H": "4",
    "U": "5",
    "X": "6",
    "W": "7",
    "E": "8",
    "P": "9",
    "Y": "10",
    "L": "11",
    "F": "12",
    "M": "13",
    "N": "14",
    "Q": "15",
    "R": "16",
    "A": "17",
    "J": "18",
    "D": "19",
    "Z": "20",
    "S": "21",
    "G": "22",
    "V": "23",
    "T": "24",
}
PROVINCE_FOREIGN = "25"  # "Otro": customers abroad

# l10n_ar.afip.responsibility.type code -> TusFacturas "condicion_iva".
IVA_CONDITIONS = {
    "1": "RI",
    "11": "RI",
    "4": "E",
    "10": "E",
    "5": "CF",
    "7": "CF",
    "6": "M",
    "13": "M",
    "9": "CDEX",
    "99": "IVNA",
}

# l10n_latam.identification.type l10n_ar_afip_code -> TusFacturas "documento_tipo".
DOCUMENT_TYPES = {
    "80": "CUIT",
    "86": "CUIT",  # a CUIL has the CUIT format and check digit
    "96": "DNI",
    "94": "PASAPORTE",
    "99": "OTRO",  # "Sin identificar": anonymous consumidor final
}

# account.tax.group l10n_ar_vat_afip_code -> TusFacturas "alicuota".
VAT_RATES = {
    "1": "-2",  # no gravado
    "2": "-1",  # exento
    "3": "0",
    "4": "10.5",
    "5": "21",
    "6": "27",
    "8": "5",
    "9": "2.5",
}

# Letters each TusFacturas IVA condition may receive (AFIP rules): A and M go
# to RI and monotributo customers only, B to everybody else; E abroad.
LETTERS_BY_IVA_CONDITION = {
    "RI": {"A", "M", "C"},
    "M": {"A", "M", "C"},
    "E": {"B", "C"},
    "CF": {"B", "C"},
    "IVNA": {"B", "C"},
    "CDEX": {"E"},
}

# TusFacturas "condicion_pago" (Condiciones de venta) by days of payment term.
PAYMENT_CONDITIONS_BY_DAYS = {
    0: "201",
    5: "213",
    10: "206",
    15: "207",
    20: "209",
    30: "202",
    45: "208",
    60: "203",
    90: "204",
}
PAYMENT_CONDITION_ACCOUNT = "205"  # cuenta corriente
PAYMENT_CONDITION_OTHER = "214"  # requires condicion_pago_otra

# Padrón (clientes/afip-info) "condicion_impositiva" -> l10n_ar.afip.responsibility.type
# code. Keys are upper-case without accents (see normalize.text_key).
PADRON_RESPONSIBILITIES = {
    "RESPONSABLE INSCRIPTO": "1",
    "IVA RESPONSABLE INSCRIPTO": "1",
    "MONOTRIBUTO": "6",
    "RESPONSABLE MONOTRIBUTO": "6",
    "EXENTO": "4",
    "IVA EXENTO": "4",
    "IVA SUJETO EXENTO": "4",
    "CONSUMIDOR FINAL": "5",
    "IVA NO ALCANZADO": "99",
    "NO ALCANZADO": "99",
}

# Padrón "provincia" spellings that differ from the res.country.state names
# (the others match once accents and case are ignored) -> state code.
PADRON_PROVINCE_ALIASES = {
    "CIUDAD AUTONOMA BUENOS AIRES": "C",
    "CAPITAL FEDERAL": "C",
    "CABA": "C",
    "TIERRA DEL FUEGO ANTARTIDA E ISLAS DEL ATLANTICO SUR": "V",
}

# AFIP unit of measure sent for a line without unit of measure: units.
UNITS_AFIP_CODE = "7"


def uom_code(afip_code: str | None) -> str:
    """TusFacturas "unidad_medida" for an l10n_ar AFIP unit code ("07" -> "7").

    A missing code counts units; a code that is not a number is sent as is
    (TusFacturas will not know it).
    """
    code = (afip_code or UNITS_AFIP_CODE).strip()
    return str(int(code)) if code.isdigit() else code


def country_cuit(natural_vat: str | None, legal_entity_vat: str | None, is_company):
    """The AFIP "CUIT país" of a foreign customer's country.

    Companies get the country's legal entity CUIT, people the natural person
    one; a country without the latter falls back to the former. Empty when the
    country has neither.
    """
    return (legal_entity_vat if is_company else natural_vat) or legal_entity_vat or ""
