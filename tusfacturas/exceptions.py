"""Typed errors raised by the TusFacturas client.

Every error carries a short machine ``code`` and the list of human
``messages``; ``str()`` is one readable sentence and never contains
credentials (the client never puts them in a message).
"""

from __future__ import annotations

from datetime import datetime


class TusFacturasError(Exception):
    """Base class of every error raised by this package."""

    code = "error"
    # What to do, one line per known error (see errors.py); none by default.
    hints: list[str] = ()
    keys: list[str] = ()

    def __init__(self, message: str, *, code: str | None = None, messages=None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.messages: list[str] = list(messages) if messages else [message]

    def __str__(self) -> str:
        return self.message


class TusFacturasRejected(TusFacturasError):  # noqa: N818 - public name
    """TusFacturas (or AFIP through it) refused the request: ``error`` = "S".

    Nothing was issued by this request (except in a partially processed
    batch, whose accepted items are returned by the client instead).
    """

    code = "rejected"

    def __init__(
        self,
        messages=None,
        *,
        error_codes=None,
        details=None,
        response=None,
        message: str | None = None,
        status_code: int | None = None,
        hints=None,
        keys=None,
    ):
        texts = [str(m).strip() for m in (messages or []) if str(m or "").strip()]
        self.error_codes: list[str] = [str(c) for c in (error_codes or []) if c]
        self.details: list[dict] = list(details or [])
        self.response: dict = response if response is not None else {}
        self.status_code = status_code
        self.hints = list(hints or [])
        # The keys of the known errors (errors.ERROR_TABLE), e.g. "numbering".
        self.keys: list[str] = list(keys or [])
        if message is None:
            message = (
                "TusFacturas rejected the request: " + " | ".join(texts)
                if texts
                else "TusFacturas rejected the request without an explanation."
            )
        super().__init__(message, messages=texts or [message])
        self.messages = texts


class TusFacturasMaintenance(TusFacturasRejected):
    """TusFacturas is in a scheduled maintenance window."""

    code = "maintenance"

    def __init__(self, messages=None, *, until: datetime | None = None, **kwargs):
        self.until = until
        texts = [str(m).strip() for m in (messages or []) if str(m or "").strip()]
        when = f" until {self.until_text}" if until else ""
        message = f"TusFacturas is under maintenance{when}."
        if texts:
            message += " " + " | ".join(texts)
        super().__init__(texts, message=message, **kwargs)

    @property
    def until_text(self) -> str:
        """End of the window as Argentine users write it ("?" when unknown)."""
        return f"{self.until:%d/%m/%Y %H:%M}" if self.until else "?"


class TusFacturasTransportError(TusFacturasError):
    """The exchange with TusFacturas failed below the business level."""

    code = "transport"
    outcome_unknown = True


class TusFacturasNotSent(TusFacturasTransportError):  # noqa: N818 - public name
    """Nothing reached the server: it is safe to send the request again."""

    code = "not_sent"
    outcome_unknown = False


class TusFacturasOutcomeUnknown(TusFacturasTransportError):  # noqa: N818 - public name
    """The request may have been processed; look it up before resending.

    ``code`` is ``timeout``, ``connection``, ``http_error`` (see
    ``status_code``), ``invalid_response`` or ``afip_error``
    (:class:`TusFacturasAfipError`).
    """

    outcome_unknown = True

    def __init__(self, message: str, *, code: str, status_code: int | None = None):
        super().__init__(message, code=code)
        self.status_code = status_code


class TusFacturasAfipError(TusFacturasOutcomeUnknown):
    """An error answer to an issuing request that does not prove a refusal:
    blaming ARCA/AFIP (no CAE returned, ARCA unreachable, "rechazo la
    generacion ... Cod: 0", an internal ARCA exception) or a failure no known
    error matches, without a TusFacturas validation code (see ``errors.py``).

    The docs warn that the comprobante may have been processed by ARCA in
    spite of the error: like any unknown outcome, look it up before sending
    again. Carries the answer's ``messages``, ``error_codes``, ``details``,
    ``response`` and ``hints`` like :class:`TusFacturasRejected`.
    """

    def __init__(
        self,
        messages=None,
        *,
        error_codes=None,
        details=None,
        response=None,
        hints=None,
    ):
        texts = [str(m).strip() for m in (messages or []) if str(m or "").strip()]
        message = (
            "ARCA failed while processing the comprobante; it may have been "
            "authorized: " + " | ".join(texts)
        )
        super().__init__(message, code="afip_error")
        self.messages = texts
        self.error_codes: list[str] = [str(c) for c in (error_codes or []) if c]
        self.details: list[dict] = list(details or [])
        self.response: dict = response if response is not None else {}
        self.hints = list(hints or [])


class TusFacturasSeveralUnderReference(TusFacturasError):  # noqa: N818
    """TusFacturas holds more than one issued comprobante under one external
    reference (it does not check them for uniqueness, the field reference):
    which one is the invoice's is for a person to decide, nothing is adopted."""

    code = "several_under_reference"

    def __init__(self, external_reference: str, numbers):
        self.numbers = list(numbers)
        super().__init__(
            f"TusFacturas holds {len(self.numbers)} issued comprobantes under the "
            f"external reference {external_reference} "
            f"({', '.join(self.numbers)}): a person must decide which one is "
            "this invoice; nothing was adopted nor sent"
        )


class TusFacturasForbiddenURL(TusFacturasError):  # noqa: N818 - public name
    """A URL outside TusFacturas' own hosts (or the API origin) was refused."""

    code = "forbidden_url"
