"""The AFIP QR code printed on electronic comprobantes (RG 4892).

The QR encodes ``https://www.afip.gob.ar/fe/qr/?p=<base64 of a JSON>``.
"""

from __future__ import annotations

import base64
import binascii
import functools
import io
import json
from datetime import date
from decimal import Decimal

import qrcode
from PIL import Image
from qrcode import util as qr_util
from qrcode.base import rs_blocks

AFIP_QR_URL = "https://www.afip.gob.ar/fe/qr/"
_PREFIX = AFIP_QR_URL + "?p="


def _number(value) -> int | float:
    value = Decimal(str(value))
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def build_qr_url(
    *,
    fecha: date,
    cuit: int | str,
    pto_vta: int,
    tipo_cmp: int,
    nro_cmp: int,
    importe: Decimal,
    moneda: str,
    ctz: Decimal,
    tipo_doc_rec: int | None,
    nro_doc_rec: int | None,
    cod_aut: int | str,
    tipo_cod_aut: str = "E",
) -> str:
    """Return the AFIP QR URL for one comprobante."""
    payload = {
        "ver": 1,
        "fecha": fecha.strftime("%Y-%m-%d"),
        "cuit": int(cuit),
        "ptoVta": int(pto_vta),
        "tipoCmp": int(tipo_cmp),
        "nroCmp": int(nro_cmp),
        "importe": _number(importe),
        "moneda": moneda,
        "ctz": _number(ctz),
    }
    if tipo_doc_rec is not None and nro_doc_rec is not None:
        payload["tipoDocRec"] = int(tipo_doc_rec)
        payload["nroDocRec"] = int(nro_doc_rec)
    payload["tipoCodAut"] = tipo_cod_aut
    payload["codAut"] = int(cod_aut)
    data = json.dumps(payload, separators=(",", ":")).encode()
    return _PREFIX + base64.b64encode(data).decode("ascii")


def parse_qr_url(url: str) -> dict:
    """Decode an AFIP QR URL into its JSON fields; ``ValueError`` otherwise."""
    text = (url or "").strip()
    if not text.startswith(_PREFIX):
        raise ValueError(f"Not an AFIP QR URL: {text[:60]!r}")
    encoded = text[len(_PREFIX) :]
    encoded += "=" * (-len(encoded) % 4)
    try:
        payload = json.loads(base64.b64decode(encoded, validate=True))
    except (binascii.Error, ValueError) as exc:
        raise ValueError(
            f"The AFIP QR payload is not valid base64 JSON: {exc}"
        ) from None
    if not isinstance(payload, dict) or "ver" not in payload:
        raise ValueError("The AFIP QR payload is not an AFIP QR JSON object")
    return payload


# A fixed mask is valid QR (ISO/IEC 18004 lets the encoder pick any of the
# eight); skipping the search over all eight, and drawing the matrix with one
# PIL resize instead of one rectangle per module, makes the PNG ~10x cheaper.
_MASK_PATTERN = 0
_BOX_SIZE = 4
_BORDER = 4
_EC_LEVEL = qrcode.constants.ERROR_CORRECT_M
_BYTE_MODE = qr_util.MODE_8BIT_BYTE


def _gf256_tables():
    """Exponents and logarithms in QR's GF(256) (x^8 + x^4 + x^3 + x^2 + 1)."""
    exp, log, value = [0] * 512, [0] * 256, 1
    for power in range(255):
        exp[power] = exp[power + 255] = value
        log[value] = power
        value <<= 1
        if value & 0x100:
            value ^= 0x11D
    return exp, log


_EXP, _LOG = _gf256_tables()


@functools.cache
def _generator_logs(count):
    """Logarithms of the Reed-Solomon generator's coefficients (after the
    leading 1) for ``count`` error correction codewords."""
    poly = [1]
    for power in range(count):
        poly = [
            high ^ (_EXP[_LOG[low] + power] if low else 0)
            for high, low in zip([*poly, 0], [0, *poly], strict=True)
        ]
    return tuple(_LOG[coefficient] for coefficient in poly[1:])


def _ec_codewords(data, count):
    """The ``count`` error correction codewords of one block (polynomial
    division by the generator, with log tables)."""
    generator = _generator_logs(count)
    remainder = [0] * count
    for byte in data:
        factor = byte ^ remainder[0]
        remainder = [*remainder[1:], 0]
        if factor:
            shift = _LOG[factor]
            remainder = [
                value ^ _EXP[shift + log]
                for value, log in zip(remainder, generator, strict=True)
            ]
    return remainder


def _fit_version(length):
    """The smallest QR version holding ``length`` bytes in one byte segment."""
    for version in range(1, 41):
        count_bits = qr_util.length_in_bits(_BYTE_MODE, version)
        if 4 + count_bits + 8 * length <= qr_util.BIT_LIMIT_TABLE[_EC_LEVEL][version]:
            return version
    raise ValueError(f"{length} bytes do not fit in a QR code")


def _codewords(data, version):
    """The final codeword sequence of ``data`` as one byte segment: what
    ``qrcode.util.create_data`` returns, without its polynomial objects (the
    most of qrcode's time); tests check both agree."""
    blocks = rs_blocks(version, _EC_LEVEL)
    capacity = sum(block.data_count for block in blocks)
    count_bits = qr_util.length_in_bits(_BYTE_MODE, version)
    bits = (_BYTE_MODE << count_bits | len(data)) << 8 * len(data)
    bits |= int.from_bytes(data, "big")
    size = 4 + count_bits + 8 * len(data)
    terminator = min(4, capacity * 8 - size)
    padding = terminator + (-(size + terminator) % 8)
    stream = list((bits << padding).to_bytes((size + padding) // 8, "big"))
    stream += [qr_util.PAD0, qr_util.PAD1] * ((capacity - len(stream)) // 2)
    stream += [qr_util.PAD0] * (capacity - len(stream))
    data_blocks, ec_blocks, offset = [], [], 0
    for block in blocks:
        chunk = stream[offset : offset + block.data_count]
        offset += block.data_count
        data_blocks.append(chunk)
        ec_blocks.append(_ec_codewords(chunk, block.total_count - block.data_count))
    return _interleave(data_blocks) + _interleave(ec_blocks)


def _interleave(blocks):
    return [
        block[index]
        for index in range(max(len(block) for block in blocks))
        for block in blocks
        if index < len(block)
    ]


def qr_png(url: str) -> bytes:
    """Draw ``url`` as a QR code (error correction M) and return PNG bytes."""
    data = url.encode()
    version = _fit_version(len(data))
    code = qrcode.QRCode(
        version=version,
        error_correction=_EC_LEVEL,
        border=_BORDER,
        mask_pattern=_MASK_PATTERN,
    )
    code.add_data(qr_util.QRData(data, mode=_BYTE_MODE))
    code.data_cache = _codewords(data, version)  # used as is by make()
    code.make(fit=False)
    matrix = code.get_matrix()  # quiet zone included
    side = len(matrix)
    image = Image.new("1", (side, side), 1)
    image.putdata([0 if dark else 1 for row in matrix for dark in row])
    image = image.resize((side * _BOX_SIZE, side * _BOX_SIZE), Image.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
