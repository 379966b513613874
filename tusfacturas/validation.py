"""Local validation of Argentine identification numbers (python-stdnum)."""

from __future__ import annotations

from stdnum import exceptions as stdnum_exceptions
from stdnum.ar import cuit as stdnum_cuit
from stdnum.ar import dni as stdnum_dni


def validate_cuit(value) -> str:
    """Return the CUIT as 11 digits or raise ``ValueError`` naming the value."""
    text = "" if value is None else str(value)
    try:
        return stdnum_cuit.validate(text)
    except stdnum_exceptions.InvalidChecksum:
        raise ValueError(f"Invalid CUIT {text!r}: the check digit is wrong.") from None
    except stdnum_exceptions.InvalidLength:
        raise ValueError(f"Invalid CUIT {text!r}: a CUIT has 11 digits.") from None
    except stdnum_exceptions.ValidationError:
        raise ValueError(
            f"Invalid CUIT {text!r}: it must contain only digits (and dashes)."
        ) from None


def is_valid_cuit(value) -> bool:
    """True when ``value`` is a CUIT/CUIL with a correct check digit."""
    try:
        validate_cuit(value)
    except ValueError:
        return False
    return True


def validate_dni(value) -> str:
    """Return the DNI as digits or raise ``ValueError`` naming the value."""
    text = "" if value is None else str(value)
    try:
        return stdnum_dni.validate(text)
    except stdnum_exceptions.ValidationError:
        raise ValueError(
            f"Invalid DNI {text!r}: a DNI has 7 or 8 digits (dots allowed)."
        ) from None
