"""What an error answer of TusFacturas means: rejected, or outcome unknown.

TusFacturas answers ``error`` = "S" both when it (or ARCA/AFIP) refused the
comprobante and when ARCA failed on its side. The docs warn about the second
case (``facturacion/nuevo`` and ``lotes`` pages): "es posible de que el
comprobante se haya procesado correctamente en el organismo fiscal a pesar
de la falla reportada". So an error answer is classified:

- ``rejected``: nothing was issued; the data (or the account's set-up) must
  be fixed and the comprobante sent again.
- ``outcome_unknown``: ARCA failed (unreachable, no CAE returned, its generic
  "rechazo la generacion ... Cod: 0", an internal ARCA exception, or any
  failure nothing here recognises): the comprobante may exist. It keeps its
  number and is looked up (by external reference) before anything is sent
  again.

:data:`ERROR_TABLE` is the one table of known errors. Texts are matched
accent-free and case-insensitive (:func:`_plain`). The rules, in order:

1. a message matching a ``rejected`` rule, or carrying a specific AFIP
   validation code (``Cod: 10032``, ``Cod. Error: #6661145.10016``; code
   ``0`` is ARCA's generic failure, not a validation) proves ARCA (or
   TusFacturas) looked at the comprobante and refused it: **rejected**. The
   docs' lote example pairs "AFIP rechazo la generacion del comprobante
   Cod: 0" with "FchServDesde no puede ser posterior ... Cod: 10032";
2. otherwise a message matching an ``outcome_unknown`` rule: **outcome
   unknown**;
3. otherwise an answer carrying a TusFacturas validation code (``TFC-...`` in
   ``error_details``: the nuevo page's example refuses a letter with
   TFC-8004, the async page an external reference with TFC-8002):
   TusFacturas' own validation refused it before ARCA: **rejected**;
4. otherwise (an unrecognised text, no TFC code, no AFIP code: "Timeout al
   conectar con el WS de AFIP", "Error interno de la aplicacion"...):
   **outcome unknown**. Nothing proves the comprobante was refused, and the
   docs' warning says the error may hide an authorization; reading it as a
   rejection would roll the invoice back and give its number to the next one.

Every known error carries a one-line ``hint`` (English source; the addon
translates it) saying what to do. Hints are marked with ``_lt`` so that
Odoo's translation export finds them; the marker does nothing here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

REJECTED = "rejected"
OUTCOME_UNKNOWN = "outcome_unknown"


def _lt(text: str) -> str:
    """Mark a hint for translation export (Odoo); returns it unchanged."""
    return text


@dataclass(frozen=True)
class ErrorRule:
    """One known error: what it means (``kind``) and what to do (``hint``)."""

    key: str
    kind: str
    patterns: tuple[str, ...]
    hint: str

    def matches(self, plain_text: str) -> bool:
        return any(re.search(pattern, plain_text) for pattern in self.patterns)


# Sources: the provider's "Errores comunes de ARCA en TusFacturasAPP" page and
# the error examples of the nuevo, lotes and async pages (current docs).
ERROR_TABLE: tuple[ErrorRule, ...] = (
    # -- ARCA failed on its side: the comprobante may exist -------------------
    ErrorRule(
        "arca_no_cae",
        OUTCOME_UNKNOWN,
        (r"no devolvio el cae",),
        _lt(
            "ARCA did not return the CAE but may have authorized the comprobante: "
            "press Verify with TusFacturas before anything else."
        ),
    ),
    ErrorRule(
        "arca_generic_failure",
        OUTCOME_UNKNOWN,
        (r"rechazo la generacion del comprobante",),
        _lt(
            "ARCA failed while generating the comprobante (code 0) and may have "
            "authorized it: press Verify with TusFacturas before anything else."
        ),
    ),
    ErrorRule(
        "arca_unreachable",
        OUTCOME_UNKNOWN,
        (
            r"no se puede establecer (la )?comunicacion con (arca|afip)",
            r"no se pudo (establecer (la )?comunicacion|conectar) con (arca|afip)",
        ),
        _lt(
            "TusFacturas could not reach ARCA (ARCA down, or the ARCA certificate "
            "expired or misconfigured in TusFacturas): press Verify later."
        ),
    ),
    ErrorRule(
        "arca_internal_error",
        OUTCOME_UNKNOWN,
        (r"ejbtransactionrolledbackexception", r"javax\.ejb"),
        _lt(
            "Internal ARCA error, usually transient: press Verify with TusFacturas "
            "in a few minutes."
        ),
    ),
    ErrorRule(
        "exists_in_arca_only",
        OUTCOME_UNKNOWN,
        (r"existe en (arca|afip) pero no en tusfacturas",),
        _lt(
            "ARCA has the comprobante but TusFacturas does not: ask TusFacturas "
            "support to recover it, then press Verify."
        ),
    ),
    # -- Refused: nothing was issued -------------------------------------------
    ErrorRule(
        "pos_not_web_service",
        REJECTED,
        (
            r"no se encuentra habilitado para el presente ws",
            r"debe estar dado de alta y ser del tipo rece",
            r"punto de venta no existe",
        ),
        _lt(
            "Enable this point of sale in ARCA for web services (RECE) and link it "
            "in TusFacturas, then validate again."
        ),
    ),
    ErrorRule(
        "certificate",
        REJECTED,
        (
            r"computador no autorizado",
            r"java\.?null\.?pointer|nullpointer",
            r"no aparecio cuit en (la )?lista de relaciones",
            r"validaciondetoken",
        ),
        _lt(
            "The ARCA certificate or its delegation in TusFacturas is wrong: redo "
            "the link with ARCA (company CUIT) in TusFacturas."
        ),
    ),
    ErrorRule(
        "numbering",
        REJECTED,
        (
            r"no se corresponde con el (proximo|ultimo) a autorizar",
            r"fecompultimoautorizado",
            r"no es correlativo",
            r"ya existe un comprobante con el (nro|numero)",
            r"proximo numero disponible",
        ),
        _lt(
            "Numbering differs between Odoo, TusFacturas and ARCA: open Next "
            "numbers from the invoice (Action menu) and do what it says."
        ),
    ),
    ErrorRule(
        "date_out_of_range",
        REJECTED,
        (r"cbtefch", r"fecha del comprobante .*(rango|anterior|posterior)"),
        _lt(
            "The invoice date is outside what ARCA accepts (5 days back for goods, "
            "10 for services, never before the last comprobante): change the date."
        ),
    ),
    ErrorRule(
        "associated_missing",
        REJECTED,
        (r"\b10041\b", r"no existe el comprobante asociado"),
        _lt(
            "ARCA does not have the associated comprobante (10041): check the origin "
            "invoice of the credit/debit note (type, point of sale, number, date)."
        ),
    ),
    ErrorRule(
        "associated_invalid",
        REJECTED,
        (r"cbtesasoc", r"comprobante asociado .*no posee una fecha valida"),
        _lt(
            "The associated comprobante is not valid for this note (type or date): "
            "check the origin invoice or use an associated period."
        ),
    ),
    ErrorRule(
        "receiver_vat_condition",
        REJECTED,
        (
            r"condicion (frente al )?iva (del )?receptor",
            r"condicionivareceptor",
            r"\b5616\b",
        ),
        _lt(
            "The customer's VAT condition does not fit this document (RG 5616): "
            "check the customer's AFIP responsibility and the document type."
        ),
    ),
    ErrorRule(
        # The answer's "requiere_fec" "SI" (facturacion page), classified as
        # this text by the client; ARCA's own wording matches too.
        "requires_fce",
        REJECTED,
        (
            r"requiere_fec",
            r"obligado a recibir factura de credito electronica",
        ),
        _lt(
            "ARCA requires a MiPyME credit invoice (FCE) for this customer and "
            "amount: use the FCE document type (FACTURA DE CREDITO ELECTRONICA "
            "MiPyME) and validate again."
        ),
    ),
    ErrorRule(
        "fce",
        REJECTED,
        (
            r"regimen de la ley n.? ?27\.?440",
            r"comprobante mipymes? \(fce\)",
            r"obligatorio informar opcional",
        ),
        _lt(
            "MiPyME (FCE) data is missing or wrong: check the customer is obliged "
            "to receive FCE, the CBU and the transmission type."
        ),
    ),
    ErrorRule(
        "cuit_not_authorized",
        REJECTED,
        (r"no se encuentra autorizada a emitir comprobantes",),
        _lt(
            "ARCA does not let this CUIT issue this class of comprobante: check the "
            "company's VAT registration in ARCA."
        ),
    ),
    ErrorRule(
        # Lote validations, printed without a TFC code: "El comprobante enviado
        # en la fila 1 (comenzando en 0) tiene un tipo de comprobante diferente."
        # (lotes page), "Esta enviando 300 requests, cuando el limite permitido
        # es 100. El lote no se procesara." (lotes_encola page). The lotes page:
        # "Si se detecta al menos un (1) error de validacion de datos de nuestro
        # lado, el lote no se mandara a procesar".
        "lote_refused",
        REJECTED,
        (
            r"comprobante enviado en la fila \d+",
            r"el lote no se procesara",
            r"cuando el limite permitido es",
        ),
        _lt(
            "TusFacturas refused the lote before sending it to ARCA, so nothing "
            "was issued: fix the invoice it names, then send again."
        ),
    ),
    ErrorRule(
        "service_period",
        REJECTED,
        (r"fchservdesde", r"fchservhasta", r"fchvtopago"),
        _lt(
            "The service period or payment due date is inconsistent: check the "
            "service dates and the due date of the invoice."
        ),
    ),
)

# "Cod: 10032", "codigo: 10063", "Cod. Error: #6661145.10016" (the number after
# the dot is AFIP's; the one before is TusFacturas'). Code 0 is not specific.
_AFIP_CODE_RE = re.compile(
    r"\bcod(?:igo)?(?:\.\s*error)?\s*:?\s*(?:#\d+\.)?(\d+)\b", re.IGNORECASE
)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    return decomposed.encode("ascii", "ignore").decode("ascii").lower()


def afip_codes(text: str) -> list[str]:
    """The specific (non-zero) AFIP codes quoted in ``text``."""
    return [c for c in _AFIP_CODE_RE.findall(_plain(text)) if int(c)]


def find_rules(text: str) -> list[ErrorRule]:
    """The rules of :data:`ERROR_TABLE` ``text`` matches, in table order."""
    plain = _plain(text)
    return [rule for rule in ERROR_TABLE if rule.matches(plain)]


@dataclass(frozen=True)
class Classification:
    """The meaning of one error answer."""

    kind: str
    rules: tuple[ErrorRule, ...]

    @property
    def hints(self) -> list[str]:
        """The hints of the matched rules of this kind, in table order.

        A rejection quoting ARCA's generic "Cod: 0" next to the real reason
        gets only the real reason's hint.
        """
        seen: list[str] = []
        for rule in self.rules:
            if rule.kind == self.kind and rule.hint not in seen:
                seen.append(rule.hint)
        return seen

    @property
    def keys(self) -> list[str]:
        """The keys of the matched rules of this kind, in table order."""
        return [rule.key for rule in self.rules if rule.kind == self.kind]


REQUIRES_FCE_TEXT = "requiere_fec: SI"


def requires_fce(answer: dict) -> bool:
    """The answer says ARCA wants an FCE instead ("requiere_fec" "SI")."""
    return str(answer.get("requiere_fec") or "").strip().upper().startswith("S")


def tusfacturas_codes(codes) -> list[str]:
    """The TusFacturas validation codes (``TFC-8004``) among ``codes``."""
    return [
        str(code).strip()
        for code in codes or []
        if str(code or "").strip().upper().startswith("TFC-")
    ]


def classify(messages, codes=()) -> Classification:
    """Classify one error answer (see the module docstring): its ``errores``
    and the ``code`` of each item of its ``error_details``."""
    texts = [str(m) for m in messages or [] if str(m or "").strip()]
    matched: list[ErrorRule] = []
    for text in texts:
        matched += [rule for rule in find_rules(text) if rule not in matched]
    matched.sort(key=ERROR_TABLE.index)
    refused = any(rule.kind == REJECTED for rule in matched) or any(
        afip_codes(text) for text in texts
    )
    if refused:
        return Classification(REJECTED, tuple(matched))
    if any(rule.kind == OUTCOME_UNKNOWN for rule in matched):
        return Classification(OUTCOME_UNKNOWN, tuple(matched))
    if tusfacturas_codes(codes):
        return Classification(REJECTED, tuple(matched))
    # Nothing proves a refusal: the docs' warning, the error may hide a CAE.
    return Classification(OUTCOME_UNKNOWN, tuple(matched))
