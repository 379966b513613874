"""Plain-Python client of the TusFacturas.app API (no Odoo imports).

Imported as ``tusfacturas`` by the pytest suite and as
``odoo.addons.l10n_ar_tusfacturas.tusfacturas`` by the addon.
"""

__version__ = "18.0.1.0.0"

from .client import (
    BATCH_LIMIT,
    DEFAULT_BASE_URL,
    QUEUED_BATCH_LIMIT,
    TusFacturasClient,
)
from .errors import ERROR_TABLE, OUTCOME_UNKNOWN, REJECTED, classify
from .exceptions import (
    TusFacturasAfipError,
    TusFacturasError,
    TusFacturasForbiddenURL,
    TusFacturasMaintenance,
    TusFacturasNotSent,
    TusFacturasOutcomeUnknown,
    TusFacturasRejected,
    TusFacturasSeveralUnderReference,
    TusFacturasTransportError,
)
from .normalize import (
    TESTING_POINT_OF_SALE,
    Comprobante,
    encode_text,
    format_amount,
    format_date,
    normalize_response,
    round_amount,
    text_key,
)
from .qr import AFIP_QR_URL, build_qr_url, parse_qr_url, qr_png
from .validation import is_valid_cuit, validate_cuit, validate_dni

__all__ = [
    "AFIP_QR_URL",
    "BATCH_LIMIT",
    "DEFAULT_BASE_URL",
    "ERROR_TABLE",
    "OUTCOME_UNKNOWN",
    "QUEUED_BATCH_LIMIT",
    "REJECTED",
    "TESTING_POINT_OF_SALE",
    "Comprobante",
    "TusFacturasAfipError",
    "TusFacturasClient",
    "TusFacturasError",
    "TusFacturasForbiddenURL",
    "TusFacturasMaintenance",
    "TusFacturasNotSent",
    "TusFacturasOutcomeUnknown",
    "TusFacturasRejected",
    "TusFacturasSeveralUnderReference",
    "TusFacturasTransportError",
    "__version__",
    "build_qr_url",
    "classify",
    "encode_text",
    "format_amount",
    "format_date",
    "is_valid_cuit",
    "normalize_response",
    "parse_qr_url",
    "qr_png",
    "round_amount",
    "text_key",
    "validate_cuit",
    "validate_dni",
]
