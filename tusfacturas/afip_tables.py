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
FCE_INVOICE_CODES = frozenset({"201", "206", "211"})
# A note adjusting an FCE invoice is an FCE note of the same letter.
FCE_NOTE_BY_LETTER = {
    ("A", "credit_note"): "203",
    ("A", "debit_note"): "202",
    ("B", "credit_note"): "208",
    ("B", "debit_note"): "207",
    ("C", "credit_note"): "213",
    ("C", "debit_note"): "212",
}
# Letters whose notes may be associated by period: "comprobantes_asociados_periodo"
# exists for the traditional A, B, C (and M) comprobantes only; ARCA refuses it
# for E notes, and an FCE note always adjusts a given FCE comprobante.
PERIOD_NOTE_LETTERS = frozenset({"A", "B", "C", "M"})
# RG 5762/2025 (ARCA): no new Factura M from 1 December 2025; those issuers use
# Factura A with a legend instead. TusFacturas' table still lists the M types.
M_INVOICE_CODES = frozenset({"51"})
M_NOTE_CODES = frozenset({"52", "53"})
M_LAST_DAY = "2025-11-30"

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

# l10n_ar.afip.responsibility.type code -> TusFacturas "condicion_iva" and
# "condicion_iva_operacion" (its table "condiciones_iva": CF, RI, M, E, CDEX,
# IVNA). Only the responsibilities with a documented counterpart: ARCA (RG
# 5616/2024) tells "Sujeto no categorizado" (7), "IVA Liberado" (10) and
# "Monotributista social" (13) apart from CF, E and M, so sending them as one of
# those would declare another condition; they are refused instead. "RI agente de
# percepción" (11) is a Responsable Inscripto.
IVA_CONDITIONS = {
    "1": "RI",
    "11": "RI",
    "4": "E",
    "5": "CF",
    "6": "M",
    "9": "CDEX",
    "99": "IVNA",
}
# Zona Franca (IVA Liberado, Ley 19.640) customers may only receive export
# invoices (ARCA's WSFEX, l10n_ar's letters): an operation with the customs'
# extra-territory is an export, so on an E comprobante they are sent as CDEX.
EXPORT_ONLY_IVA_CONDITIONS = {"10": "CDEX"}

# l10n_latam.identification.type l10n_ar_afip_code -> TusFacturas "documento_tipo".
DOCUMENT_TYPES = {
    "80": "CUIT",
    "86": "CUIT",  # a CUIL has the CUIT format and check digit
    "96": "DNI",
    "94": "PASAPORTE",
    "99": "OTRO",  # "Sin identificar": anonymous consumidor final
}

# account.tax.group l10n_ar_vat_afip_code -> TusFacturas "alicuota": only the
# values its field reference allows (27, 21, 10.5, 0, -1, -2). AFIP's 5 % (8) and
# 2.5 % (9) have no TusFacturas value and are refused before sending.
VAT_RATES = {
    "1": "-2",  # no gravado
    "2": "-1",  # exento
    "3": "0",
    "4": "10.5",
    "5": "21",
    "6": "27",
}
VAT_RATES_NOT_ACCEPTED = {"8": "5 %", "9": "2.5 %"}

# TusFacturas "moneda" (its table "monedas"): the only currencies it accepts.
CURRENCIES = frozenset(
    {
        "PES",
        "DOL",
        "004",
        "003",
        "011",
        "012",
        "023",
        "033",
        "032",
        "031",
        "060",
        "036",
        "035",
        "010",
    }
)

# TusFacturas "tributos" (tables "tributos_percepciones_tipos" and
# "tributos_percepciones_regimenes"): regime value -> (tipo, name).
PERCEPTION_TYPES = {
    "6": "Percepciones IVA",
    "7": "Percepciones IIBB",
    "1": "Percepciones de Impuestos Nacionales",
}
# IVA RG 5329 (2024-10 FAQ RG5329): letter A only; customer and perceived
# products go with "rg5329" S.
RG5329_REGIME = "3"
PERCEPTION_REGIMES = {
    "1": ("6", "IVA - No especificado"),
    "2": ("6", "IVA - Reg. General (RG 2408)"),
    "3": ("6", "IVA - RG 5329"),
    "4": ("7", "IIBB - CAPITAL FEDERAL"),
    "5": ("7", "IIBB - BUENOS AIRES"),
    "6": ("7", "IIBB - CATAMARCA"),
    "7": ("7", "IIBB - CHACO"),
    "8": ("7", "IIBB - CHUBUT"),
    "9": ("7", "IIBB - CORDOBA"),
    "10": ("7", "IIBB - CORRIENTES"),
    "11": ("7", "IIBB - ENTRE RIOS"),
    "12": ("7", "IIBB - FORMOSA"),
    "13": ("7", "IIBB - JUJUY"),
    "14": ("7", "IIBB - LA PAMPA"),
    "15": ("7", "IIBB - LA RIOJA"),
    "16": ("7", "IIBB - MENDOZA"),
    "17": ("7", "IIBB - MISIONES"),
    "18": ("7", "IIBB - NEUQUEN"),
    "19": ("7", "IIBB - RIO NEGRO"),
    "20": ("7", "IIBB - SALTA"),
    "21": ("7", "IIBB - SAN JUAN"),
    "22": ("7", "IIBB - SAN LUIS"),
    "23": ("7", "IIBB - SANTA CRUZ"),
    "24": ("7", "IIBB - SANTA FE"),
    "25": ("7", "IIBB - SANTIAGO DEL ESTERO"),
    "26": ("7", "IIBB - TIERRA DEL FUEGO"),
    "27": ("7", "IIBB - TUCUMAN"),
    "28": ("7", "IIBB - Otro"),
    "31": ("1", "Nacionales - Perc. impuesto PAIS"),
    "32": ("1", "Nacionales - Impuesto Pais"),
    "33": ("1", "Nacionales - Perc. Imp. a las Ganancias"),
    "34": ("1", "Nacionales - Perc. Imp. sobre los Bienes Personales"),
}
# AFIP tribute code (account.tax.group) -> the TusFacturas perception types its
# regime may belong to. Municipal (08) and other (02, 03, 99) tributes have no
# TusFacturas type.
PERCEPTION_TYPES_BY_TRIBUTE = {"06": {"6"}, "07": {"7"}, "01": {"1"}, "09": {"1"}}
# IIBB regime of each province (res.country.state code).
IIBB_REGIME_BY_STATE = {
    "C": "4",
    "B": "5",
    "K": "6",
    "H": "7",
    "U": "8",
    "X": "9",
    "W": "10",
    "E": "11",
    "P": "12",
    "Y": "13",
    "L": "14",
    "F": "15",
    "M": "16",
    "N": "17",
    "Q": "18",
    "R": "19",
    "A": "20",
    "J": "21",
    "D": "22",
    "Z": "23",
    "S": "24",
    "G": "25",
    "V": "26",
    "T": "27",
}

# Documented lengths and counts of the facturacion/nuevo fields.
# AFIP's export Incoterms (FEXGetPARAM_Incoterms, which TusFacturas'
# tablas_referencia/incoterms serves): Incoterms 2010, with DAT; Incoterms
# 2020's DPU, which Odoo ships, is not among them.
INCOTERMS = frozenset(
    {"EXW", "FCA", "FAS", "FOB", "CFR", "CIF", "CPT", "CIP", "DAT", "DAP", "DDP"}
)
MAX_TRIBUTOS = 7
MAX_EMAILS = 15
MAX_TEXT = 255  # domicilio, razon_social, descripcion
MAX_CLIENT_CODE = 50
MAX_PRODUCT_CODE = 50  # "hasta 50 caracteres" in the newest field reference
MIN_PRICE_LIST = 4
MAX_LEGEND = 500

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
