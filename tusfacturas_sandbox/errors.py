"""Error codes and the documented error answer.

TusFacturas answers business errors with HTTP 200, ``"error": "S"``, the texts
in ``errores`` and, where it has one, a code in ``error_details``. The docs name
TFC-6001 (customer), TFC-8002 (external reference) and TFC-8004 (letter vs. IVA
condition); every other code here is the sandbox's own, in the same style, so
that a test can tell which rule refused a request.

Those codes name TusFacturas' own validations. What ARCA says (its refusals,
its failures) carries none: the docs print ARCA's errors in ``errores`` only
(the lotes page's partial failure, the async pages' error hooks), ARCA's own
code inside the text ("... Cod: 10032", "Cod. Error: #6661145.0").
"""

from __future__ import annotations

# Documented codes.
E_CLIENT = "TFC-6001"
E_EXT_REF = "TFC-8002"
E_LETTER = "TFC-8004"
# Sandbox codes.
E_CREDENTIALS = "TFC-1001"
E_REQUEST = "TFC-1002"
E_REQUIRED = "TFC-1003"
E_DOC_TYPE = "TFC-6002"
E_DOC_NUMBER = "TFC-6003"
E_CUSTOMER_FIELD = "TFC-6004"
E_IVA_CONDITION = "TFC-6005"
E_ASSOCIATED = "TFC-7001"
E_NUMBER = "TFC-7002"
E_TOO_MANY_LINES = "TFC-7003"
E_DESCRIPTION = "TFC-7004"
E_CODE = "TFC-7005"
E_VAT_RATE = "TFC-7006"
E_DATE = "TFC-7007"
E_TOTAL = "TFC-7008"
E_TYPE = "TFC-7009"
E_POS = "TFC-7010"
E_CURRENCY = "TFC-7011"
E_EXPORT = "TFC-7012"
E_NO_LINES = "TFC-7013"
E_AMOUNT = "TFC-7014"
E_BATCH = "TFC-7015"
E_QUEUE = "TFC-7016"
E_TRIBUTO = "TFC-7017"
E_FCE = "TFC-7018"
E_PERIOD = "TFC-7019"
E_TEXT = "TFC-7020"
E_LINE_FIELD = "TFC-7021"
E_DATE_WINDOW = "TFC-7022"
E_LETTER_M = "TFC-7023"
E_SPACING = "TFC-7024"
E_NOT_FOUND = "TFC-7404"
E_EXT_REF_MISSING = "TFC-8001"
E_PADRON = "TFC-9404"
# ARCA's answers: no TusFacturas code (see the module docstring).
E_AFIP = ""


class ApiError(Exception):
    """A business rejection: a list of ``(code, text)`` plus extra answer keys."""

    def __init__(self, errors, **extra):
        super().__init__("; ".join(text for _code, text in errors))
        self.errors = list(errors)
        self.extra = extra


def error_answer(errors, **extra) -> dict:
    answer = {
        "error": "S",
        "errores": [text for _code, text in errors],
        "error_cod": [],
        "error_details": [
            {"code": code, "text": text} for code, text in errors if code
        ],
    }
    answer.update(extra)
    return answer
