"""Unit tests: normalisation, formatting, QR and identification numbers."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
import qrcode
import qrcode.util
import zxingcpp
from PIL import Image

from tusfacturas import (
    AFIP_QR_URL,
    Comprobante,
    build_qr_url,
    encode_text,
    format_amount,
    format_date,
    is_valid_cuit,
    normalize_response,
    parse_qr_url,
    qr_png,
    text_key,
    validate_cuit,
    validate_dni,
)
from tusfacturas.afip_tables import country_cuit, uom_code
from tusfacturas.qr import _byte_mode_version
from tusfacturas_sandbox import compute_total


def test_normalize_strips_and_parses():
    data = normalize_response(
        {
            "error": "N",
            "errores": [""],
            "cae": "65301278726386 ",
            "afip_qr": "https://www.afip.gob.ar/fe/qr/?p=abc ",
            "afip_codigo_barras": "1212 ",
            "vencimiento_cae": "07/08/2015",
            "vencimiento_pago": "",
            "mantenimiento_hasta": "26/07/2026 05:25",
            "comprobante": {
                "punto_venta": "00010",
                "numero": "00000006",
                "total": "543.21",
                "cotizacion": 1,
                "detalle": [{"cantidad": 1.5, "producto": {"precio_unitario": 60.5}}],
            },
            "rta": "  OK ",
        }
    )
    assert data["cae"] == "65301278726386"
    assert data["afip_qr"].endswith("p=abc")
    assert data["afip_codigo_barras"] == "1212"
    assert data["errores"] == []
    assert data["vencimiento_cae"] == date(2015, 8, 7)
    assert data["vencimiento_pago"] is None
    assert data["mantenimiento_hasta"] == datetime(2026, 7, 26, 5, 25)
    comp = data["comprobante"]
    assert comp["punto_venta"] == 10 and comp["numero"] == 6
    assert comp["total"] == Decimal("543.21")
    assert comp["cotizacion"] == Decimal(1)
    assert comp["detalle"][0]["cantidad"] == Decimal("1.5")
    assert comp["detalle"][0]["producto"]["precio_unitario"] == Decimal("60.5")
    assert data["rta"] == "OK"
    assert data["error"] == "N"


def test_normalize_leaves_unparseable_values():
    data = normalize_response({"fecha": "2015-08-07", "total": "n/a", "numero": "x"})
    assert data == {"fecha": "2015-08-07", "total": "n/a", "numero": "x"}
    with pytest.raises(TypeError):
        normalize_response(["not", "a", "dict"])


def test_encode_text_and_formats():
    assert encode_text("Promo 20% OFF\nlinea 2\r\nlinea 3") == (
        "Promo 20#&# OFF#@#linea 2#@#linea 3"
    )
    assert encode_text("") == ""
    assert format_amount(Decimal("1234.5")) == "1234.50"
    assert format_amount("2.345") == "2.34"  # half-even
    assert format_amount("2.355") == "2.36"
    assert format_amount(10) == "10.00"
    assert format_date(date(2024, 3, 5)) == "05/03/2024"


def test_comprobante_from_issue_response_parses_rta():
    answer = normalize_response(
        {
            "error": "N",
            "rta": "El comprobante NOTA DE DEBITO B 0002-00000006 (MI CUIT) "
            "se ha guardado correctamente",
            "cae": "65301278726386 ",
            "vencimiento_cae": "07/08/2015",
            "comprobante_nro": "0000123",
        }
    )
    request = {"comprobante": {"tipo": "X", "punto_venta": "9", "fecha": "28/07/2015"}}
    comp = Comprobante.from_issue_response(answer, request)
    assert (comp.tipo, comp.punto_venta, comp.numero) == ("NOTA DE DEBITO B", 2, 6)
    assert comp.fecha == date(2015, 7, 28)
    assert comp.cae_due_date == date(2015, 8, 7)
    assert not comp.is_testing and not comp.is_pending
    assert comp.document_number == "00002-00000006"


def test_comprobante_falls_back_to_request():
    answer = normalize_response({"error": "N", "cae": " ", "rta": "OK"})
    request = {
        "comprobante": {
            "tipo": "FACTURA C",
            "punto_venta": "3",
            "numero": "15",
            "total": "10.00",
        }
    }
    comp = Comprobante.from_issue_response(answer, request)
    assert (comp.tipo, comp.punto_venta, comp.numero) == ("FACTURA C", 3, 15)
    assert comp.total == Decimal("10.00")
    assert comp.cae == "" and comp.is_testing


def test_qr_round_trip_and_png():
    url = build_qr_url(
        fecha=date(2020, 10, 13),
        cuit="30111111118",
        pto_vta=10,
        tipo_cmp=1,
        nro_cmp=94,
        importe=Decimal("12100.50"),
        moneda="DOL",
        ctz=Decimal("65"),
        tipo_doc_rec=80,
        nro_doc_rec=20000000001,
        cod_aut="70417054367476",
    )
    assert url.startswith(AFIP_QR_URL + "?p=")
    data = parse_qr_url(url)
    assert data == {
        "ver": 1,
        "fecha": "2020-10-13",
        "cuit": 30111111118,
        "ptoVta": 10,
        "tipoCmp": 1,
        "nroCmp": 94,
        "importe": 12100.5,
        "moneda": "DOL",
        "ctz": 65,
        "tipoDocRec": 80,
        "nroDocRec": 20000000001,
        "tipoCodAut": "E",
        "codAut": 70417054367476,
    }
    anonymous = build_qr_url(
        fecha=date(2020, 10, 13),
        cuit=30111111118,
        pto_vta=1,
        tipo_cmp=6,
        nro_cmp=1,
        importe=Decimal(1),
        moneda="PES",
        ctz=Decimal(1),
        tipo_doc_rec=None,
        nro_doc_rec=None,
        cod_aut=1,
    )
    assert "tipoDocRec" not in parse_qr_url(anonymous)
    png = qr_png(url)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize("length", [40, 180, 400])
def test_qr_png_decodes_to_the_exact_url(length):
    """The fixed-mask PNG is a QR that a decoder reads back letter by letter."""
    url = AFIP_QR_URL + "?p=" + ("eyJ2ZXIiOjF9" * 40)[:length]
    image = Image.open(io.BytesIO(qr_png(url)))
    found = zxingcpp.read_barcodes(image)
    assert [(r.format, r.text) for r in found] == [(zxingcpp.BarcodeFormat.QRCode, url)]
    # Module of 4 px, quiet zone of 4 modules: scanners need both.
    assert image.size[0] == image.size[1] and image.size[0] % 4 == 0
    assert image.getpixel((15, 15)) == 255 and image.getpixel((16, 16)) == 0


@pytest.mark.parametrize("size", [1, 14, 15, 16, 100, 271, 272, 313, 400, 1200])
def test_qr_version_is_the_smallest_that_holds_the_url(size):
    """The version read from qrcode's table is the one qrcode's own fit
    finds for the same byte segment (sizes around capacity edges)."""
    data = b"a" * size
    fitted = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    fitted.add_data(qrcode.util.QRData(data, mode=qrcode.util.MODE_8BIT_BYTE))
    assert _byte_mode_version(size) == fitted.best_fit()


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/?p=e30=",
        AFIP_QR_URL + "?p=!!!notbase64",
        AFIP_QR_URL + "?p=bm90IGpzb24=",  # "not json"
        AFIP_QR_URL + "?p=WzFd",  # [1]
    ],
)
def test_parse_qr_url_rejects(url):
    with pytest.raises(ValueError):
        parse_qr_url(url)


def test_cuit_and_dni_validation():
    assert validate_cuit("30-11111111-8") == "30111111118"
    assert is_valid_cuit(30111111118)
    assert not is_valid_cuit("30111111119")
    with pytest.raises(ValueError, match="30111111119"):
        validate_cuit("30111111119")
    with pytest.raises(ValueError, match="123"):
        validate_cuit("123")
    with pytest.raises(ValueError, match="abc"):
        validate_cuit("abcdefghijk")
    assert validate_dni("12.345.678") == "12345678"
    with pytest.raises(ValueError, match="12x"):
        validate_dni("12x")


def test_text_key_ignores_accents_case_and_punctuation():
    assert text_key("Córdoba") == "CORDOBA"
    assert text_key("  Tierra del Fuego, Antártida ") == "TIERRA DEL FUEGO ANTARTIDA"
    assert text_key("Ciudad Autónoma de Buenos Aires") == (
        "CIUDAD AUTONOMA DE BUENOS AIRES"
    )
    assert text_key(None) == ""


def test_compute_total():
    # The provider's own example: bonificacion taxed at 21 %.
    comp = {
        "tipo": "NOTA DE DEBITO B",
        "detalle": [
            {
                "cantidad": "1",
                "producto": {"precio_unitario_sin_iva": "100.45", "alicuota": "21"},
            },
            {
                "cantidad": "1.5",
                "producto": {"precio_unitario_sin_iva": "50", "alicuota": "10.5"},
            },
            {
                "cantidad": "2",
                "producto": {"precio_unitario_sin_iva": "200", "alicuota": "21"},
            },
        ],
        "bonificacion": "120",
    }
    assert Decimal("543.22") in compute_total(comp)
    factura_c = {
        "tipo": "FACTURA C",
        "detalle": [
            {
                "cantidad": "3",
                "bonificacion_porcentaje": "10",
                "producto": {"precio_unitario_sin_iva": "100", "alicuota": "21"},
            }
        ],
        "tributos": [{"total": "5.50"}],
        "percepciones_iibb": "1",
    }
    assert compute_total(factura_c) == [Decimal("276.50")]
    exento = {
        "tipo": "FACTURA A",
        "detalle": [
            {
                "cantidad": "1",
                "producto": {"precio_unitario_sin_iva": "10", "alicuota": "-1"},
            }
        ],
    }
    assert compute_total(exento) == [Decimal("10.00")]


def test_uom_code_drops_leading_zeros_and_defaults_to_units():
    assert uom_code("07") == "7"
    assert uom_code("98") == "98"
    assert uom_code(" 014 ") == "14"
    assert uom_code("") == "7"
    assert uom_code(None) == "7"
    assert uom_code("KG") == "KG"


def test_country_cuit_by_kind_of_person():
    natural, legal = "50000000016", "55000000018"
    assert country_cuit(natural, legal, is_company=True) == legal
    assert country_cuit(natural, legal, is_company=False) == natural
    assert country_cuit("", legal, is_company=False) == legal
    assert country_cuit(natural, None, is_company=True) == ""
    assert country_cuit(None, None, is_company=False) == ""
