"""CUIT/CUIL check digit, with python-stdnum (the emulator's own check)."""

from __future__ import annotations

from stdnum import exceptions as stdnum_exceptions
from stdnum.ar import cuit as stdnum_cuit


def is_valid_cuit(value) -> bool:
    """True when ``value`` is 11 digits with a correct check digit."""
    text = "" if value is None else str(value).strip()
    if not text.isdigit():
        return False
    try:
        stdnum_cuit.validate(text)
    except stdnum_exceptions.ValidationError:
        return False
    return True


def checked_cuit(value) -> str:
    """Return the CUIT as 11 digits or raise ``ValueError``."""
    text = "" if value is None else str(value).strip()
    if not is_valid_cuit(text):
        raise ValueError(f"Invalid CUIT {text!r}")
    return text
