"""The session QR code as inline SVG for the projector page."""

from __future__ import annotations

import qrcode
import qrcode.image.svg


def qr_svg(data: str) -> str:
    """A compact SVG (one path) of a QR code encoding `data`, scaling to its container."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    svg = image.to_string(encoding="unicode")
    return svg.replace("<svg ", '<svg role="img" aria-label="QR" preserveAspectRatio="xMidYMid meet" ', 1)
