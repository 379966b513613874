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
    ):
        texts = [str(m).strip() for m in (messages or []) if str(m or "").strip()]
        self.error_codes: list[str] = [str(c) for c in (error_codes or []) if c]
        self.details: list[dict] = list(details or [])
        self.response: dict = response if response is not None else {}
        self.status_code = status_code
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
    ``status_code``) or ``invalid_response``.
    """

    outcome_unknown = True

    def __init__(self, message: str, *, code: str, status_code: int | None = None):
        super().__init__(message, code=code)
        self.status_code = status_code


class TusFacturasForbiddenURL(TusFacturasError):  # noqa: N818 - public name
    """A URL outside the configured API host was refused."""

    code = "forbidden_url"
