"""Canned data served by the sandbox: padrón, reference tables, rates.

Tables are copied from TusFacturas' docs (``tusfacturas-api-2024-10/parametros/
tablas-de-referencia.md`` and the field reference), not from the addon.
"""

from __future__ import annotations

from decimal import Decimal

# Valid CUITs (correct check digit). 20999999999 is valid but AFIP does not
# know it: the sandbox answers like AFIP's padrón ("No existe persona...").
PADRON = {
    "30111111118": {
        "razon_social": "EMPRESA SANDBOX S.A.",
        "condicion_impositiva": "RESPONSABLE INSCRIPTO",
        "direccion": "AV CORRIENTES 1234",
        "localidad": "CIUDAD AUTONOMA BUENOS AIRES",
        "codigopostal": "1043",
        "estado": "ACTIVO",
        "provincia": "CIUDAD AUTONOMA BUENOS AIRES",
        "actividad": [
            {
                "descripcion": "SERVICIOS DE CONSULTORES EN INFORMATICA",
                "id": "620100",
                "nomenclador": "883",
                "periodo": "201311",
            }
        ],
    },
    "30712345671": {
        "razon_social": "DISTRIBUIDORA MODELO S.A.",
        "condicion_impositiva": "RESPONSABLE INSCRIPTO",
        "direccion": "CALLE FALSA 123",
        "localidad": "CASTELAR",
        "codigopostal": "1712",
        "estado": "ACTIVO",
        "provincia": "BUENOS AIRES",
        "actividad": [
            {
                "descripcion": "VENTA AL POR MAYOR DE MERCANCIAS N.C.P.",
                "id": "469090",
                "nomenclador": "883",
                "periodo": "201501",
            }
        ],
    },
    "20123456786": {
        "razon_social": "PEREZ JUAN CARLOS",
        "condicion_impositiva": "MONOTRIBUTO",
        "direccion": "SAN MARTIN 55",
        "localidad": "ROSARIO",
        "codigopostal": "2000",
        "estado": "ACTIVO",
        "provincia": "SANTA FE",
        "actividad": [],
    },
    "30500000003": {
        "razon_social": "FUNDACION EJEMPLO",
        "condicion_impositiva": "EXENTO",
        "direccion": "BELGRANO 900",
        "localidad": "CORDOBA",
        "codigopostal": "5000",
        "estado": "ACTIVO",
        "provincia": "CORDOBA",
        "actividad": [],
    },
    # A taxpayer whose registration is no longer active.
    "27303030307": {
        "razon_social": "GOMEZ MARIA LAURA",
        "condicion_impositiva": "CONSUMIDOR FINAL",
        "direccion": "MAIPU 100",
        "localidad": "USHUAIA",
        "codigopostal": "9410",
        "estado": "INACTIVO",
        "provincia": "TIERRA DEL FUEGO",
        "actividad": [],
    },
}
UNKNOWN_TO_AFIP_CUIT = "20999999999"
# Registered in no tax: the padrón page (2024-10) "Si el CUIT no se encuentra
# inscripto en ningún impuesto, nuestra plataforma te devolverá los datos que
# ésta encuentra en AFIP, pero el campo "error" en "S", ya que no podemos
# determinar que la condición frente al IVA". No condicion_impositiva then.
PADRON_NO_TAX = {
    "20334455662": {
        "razon_social": "LOPEZ RICARDO ANDRES",
        "condicion_impositiva": "",
        "direccion": "RIVADAVIA 4500",
        "localidad": "MAR DEL PLATA",
        "codigopostal": "7600",
        "estado": "ACTIVO",
        "provincia": "BUENOS AIRES",
        "actividad": [],
    },
}
PADRON_NO_TAX_TEXT = (
    "El CUIT no se encuentra inscripto en ningun impuesto: no se puede "
    "determinar su condicion frente al IVA."
)

ARBA = {
    "30712345671": {"alicuota_percepcion": 3, "alicuota_retencion": 1.75},
    "20123456786": {"alicuota_percepcion": 0.5, "alicuota_retencion": 0},
}

# Reference tables: a realistic excerpt of AFIP's tables as TusFacturas
# serves them (tablas_referencia/*).
UNITS_OF_MEASURE = [
    ("1", "kilogramos"),
    ("2", "metros"),
    ("3", "metros cuadrados"),
    ("4", "metros cúbicos"),
    ("5", "litros"),
    ("6", "1000 kWh"),
    ("7", "unidades"),
    ("8", "pares"),
    ("9", "docenas"),
    ("10", "quilates"),
    ("11", "millares"),
    ("14", "gramos"),
    ("15", "milímetros"),
    ("17", "kilómetros"),
    ("20", "centímetros"),
    ("27", "cm cúbicos"),
    ("29", "toneladas"),
    ("41", "miligramos"),
    ("47", "mililitros"),
    ("98", "otras unidades"),
]
COUNTRIES = [
    ("200", "ARGENTINA"),
    ("203", "BRASIL"),
    ("208", "CHILE"),
    ("212", "ESTADOS UNIDOS"),
    ("225", "URUGUAY"),
    ("410", "ESPAÑA"),
]
COUNTRY_CUITS = [
    ("50000000016", "URUGUAY - Persona Física"),
    ("55000000018", "URUGUAY - Persona Jurídica"),
    ("51600000016", "URUGUAY - Otro tipo de Entidad"),
    ("50000000059", "BRASIL - Persona Física"),
    ("55000000050", "BRASIL - Persona Jurídica"),
    ("51600000059", "BRASIL - Otro tipo de Entidad"),
    ("50000000032", "CHILE - Persona Física"),
    ("55000000034", "CHILE - Persona Jurídica"),
    ("51600000032", "CHILE - Otro tipo de Entidad"),
    ("50000002124", "ESTADOS UNIDOS - Persona Física"),
    ("55000002126", "ESTADOS UNIDOS - Persona Jurídica"),
    ("51600002124", "ESTADOS UNIDOS - Otro tipo de Entidad"),
    ("50000004100", "ESPAÑA - Persona Física"),
    ("55000004102", "ESPAÑA - Persona Jurídica"),
    ("51600004100", "ESPAÑA - Otro tipo de Entidad"),
]
# AFIP's table has no DPU (Incoterms 2020).
INCOTERMS = [
    ("EXW", "EXW"),
    ("FCA", "FCA"),
    ("FAS", "FAS"),
    ("FOB", "FOB"),
    ("CFR", "CFR"),
    ("CIF", "CIF"),
    ("CPT", "CPT"),
    ("CIP", "CIP"),
    ("DAT", "DAT"),
    ("DAP", "DAP"),
    ("DDP", "DDP"),
]
# AFIP's rate of the day (tablas_referencia/cotizacion) for the table's
# currencies the sandbox quotes.
# Customers ARCA obliges to receive a MiPyME credit invoice (FCE) from an
# amount on (facturacion/requiere_fec: "esta_obligado", "monto_desde").
FCE_OBLIGED = {"30714101443": Decimal("3958316.00")}

EXCHANGE_RATES = {
    "PES": Decimal("1"),
    "DOL": Decimal("1000.50"),
    "060": Decimal("1100.25"),
    "012": Decimal("180.10"),
}

# Unit codes of TusFacturas' table "Productos - Unidades de Medida AFIP".
UNIT_CODES = {
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "14", "15", "16",
    "17", "18", "20", "25", "27", "29", "30", "31", "32", "33", "34", "35",
    "41", "47", "48", "49", "50", "51", "52", "53", "54", "61", "62", "63",
    "64", "65", "66", "67", "68", "95", "96", "97", "98",
}  # fmt: skip

# TusFacturas comprobante type -> AFIP code.
COMPROBANTE_CODES = {
    "FACTURA A": 1,
    "NOTA DE DEBITO A": 2,
    "NOTA DE CREDITO A": 3,
    "FACTURA B": 6,
    "NOTA DE DEBITO B": 7,
    "NOTA DE CREDITO B": 8,
    "FACTURA C": 11,
    "NOTA DE DEBITO C": 12,
    "NOTA DE CREDITO C": 13,
    "FACTURA E": 19,
    "NOTA DE DEBITO E": 20,
    "NOTA DE CREDITO E": 21,
    "FACTURA M": 51,
    "NOTA DE DEBITO M": 52,
    "NOTA DE CREDITO M": 53,
    "FACTURA DE CREDITO ELECTRONICA MiPyME (FCE) A": 201,
    "NOTA DE DEBITO ELECTRONICA MiPyME (FCE) A": 202,
    "NOTA DE CREDITO ELECTRONICA MiPyME (FCE) A": 203,
    "FACTURA DE CREDITO ELECTRONICA MiPyME (FCE) B": 206,
    "NOTA DE DEBITO ELECTRONICA MiPyME (FCE) B": 207,
    "NOTA DE CREDITO ELECTRONICA MiPyME (FCE) B": 208,
    "FACTURA DE CREDITO ELECTRONICA MiPyME (FCE) C": 211,
    "NOTA DE DEBITO ELECTRONICA MiPyME (FCE) C": 212,
    "NOTA DE CREDITO ELECTRONICA MiPyME (FCE) C": 213,
}
# Letters each IVA condition of the customer may receive. Kept apart from the
# addon's own afip_tables on purpose: the emulator is an independent oracle.
LETTERS_BY_IVA_CONDITION = {
    "RI": {"A", "M", "C"},
    "M": {"A", "M", "C"},
    "E": {"B", "C"},
    "CF": {"B", "C"},
    "IVNA": {"B", "C"},
    "CDEX": {"E"},
}
# tablas_referencia/documentos_tipos -> AFIP code.
DOCUMENT_CODES = {
    "CUIT": 80,
    "CUIL": 86,
    "CDI": 87,
    "DNI": 96,
    "PASAPORTE": 94,
    "OTRO": 99,
}
# tablas_referencia/alicuotas_iva: 5 % and 2.5 % are not in TusFacturas' table.
VAT_RATES_TABLE = [
    ("27", "27%"),
    ("21", "21%"),
    ("10.5", "10.5%"),
    ("0", "0%"),
    ("-1", "IVA Exento"),
    ("-2", "IVA No gravado"),
]
VAT_RATES = {code for code, _name in VAT_RATES_TABLE}
# tablas_referencia/condiciones_iva
IVA_CONDITIONS = [
    ("CF", "Consumidor Final"),
    ("RI", "Responsable Inscripto"),
    ("M", "Monotributo"),
    ("E", "Exento"),
    ("CDEX", "Cliente del exterior"),
    ("IVNA", "IVA No Alcanzado"),
]
# tablas_referencia/monedas
CURRENCIES = [
    ("PES", "Pesos Argentinos"),
    ("DOL", "Dolares estadounidenses"),
    ("004", "LIRAS ITALIANAS"),
    ("003", "FRANCOS FRANCESES"),
    ("011", "PESOS URUGUAYOS"),
    ("012", "REAL"),
    ("023", "BOLIVAR (VENEZOLANO)"),
    ("033", "PESO CHILENO"),
    ("032", "PESO COLOMBIANO"),
    ("031", "PESO BOLIVIANO"),
    ("060", "EURO"),
    ("036", "SUCRE (ECUATORIANO)"),
    ("035", "NUEVO SOL PERUANO"),
    ("010", "PESOS MEJICANOS"),
]
# tablas_referencia/tributos_percepciones_tipos
TRIBUTO_TYPES = [
    ("6", "Percepciones IVA"),
    ("7", "Percepciones IIBB"),
    ("1", "Percepciones de Impuestos Nacionales"),
]
# tablas_referencia/tributos_percepciones_regimenes: (regimen, tipo, name).
_IIBB = [
    "CAPITAL FEDERAL", "BUENOS AIRES", "CATAMARCA", "CHACO", "CHUBUT", "CORDOBA",
    "CORRIENTES", "ENTRE RIOS", "FORMOSA", "JUJUY", "LA PAMPA", "LA RIOJA",
    "MENDOZA", "MISIONES", "NEUQUEN", "RIO NEGRO", "SALTA", "SAN JUAN",
    "SAN LUIS", "SANTA CRUZ", "SANTA FE", "SANTIAGO DEL ESTERO",
    "TIERRA DEL FUEGO", "TUCUMAN", "Otro",
]  # fmt: skip
TRIBUTO_REGIMES = [
    ("1", "6", "No especificado"),
    ("2", "6", "Reg. General (RG 2408)"),
    ("3", "6", "RG 5329"),
    *[(str(4 + i), "7", name) for i, name in enumerate(_IIBB)],
    ("31", "1", "Perc. impuesto PAIS"),
    ("32", "1", "Impuesto Pais"),
    ("33", "1", "Perc. Imp. a las Ganancias"),
    ("34", "1", "Perc. Imp. sobre los Bienes Personales"),
]
# tablas_referencia/provincias
PROVINCES = {str(code) for code in range(1, 27)}
# tablas_referencia/condiciones_venta
SALE_CONDITIONS = {
    "201", "202", "203", "204", "205", "206", "207", "208", "209", "210",
    "211", "212", "213", "214", "215",
}  # fmt: skip
# facturacion/topecf: the cap of a sale to an unidentified consumidor final.
CONSUMIDOR_FINAL_CAP = 10000000
