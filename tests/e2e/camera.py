"""A fake camera for the browser tests: a printed badge, as a webcam would see it, in a Y4M video file.

Chromium plays such a file as its camera with `--use-fake-device-for-media-stream
--use-file-for-fake-video-capture=<file>`. Y4M is written here from a PIL image (a text header, then raw
YUV 4:2:0 frames), so no ffmpeg is needed.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import qrcode
import zxingcpp
from PIL import Image, ImageEnhance, ImageFilter

MM = 1 / 25.4  # inches
FRAME = (640, 480)  # a VGA webcam
DESK = (92, 84, 76)  # what is around the card: a brownish table


def badge_photo(pdf: bytes, code: str, *, dpi: int = 200, angle: float = 7.0) -> Image.Image:
    """A camera frame (FRAME) showing the badge whose QR code holds `code`, cut from the badges PDF `pdf`.

    The card is cropped around its QR code (60 × 45 mm, less than the distance between two cards' codes,
    so no other badge's code is in view), tilted by `angle` degrees, a little blurred and dimmed as by
    a cheap webcam, and laid on a desk. Raises LookupError when no page of `pdf` carries `code`.
    """
    document = pypdfium2.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            page = document[index].render(scale=dpi / 72).to_pil().convert("RGB")
            found = [b for b in zxingcpp.read_barcodes(page) if b.text == code]
            if found:
                break
        else:
            raise LookupError(f"no badge with the code {code}")
    finally:
        document.close()
    corners = found[0].position
    xs = [corners.top_left.x, corners.top_right.x, corners.bottom_left.x, corners.bottom_right.x]
    ys = [corners.top_left.y, corners.top_right.y, corners.bottom_left.y, corners.bottom_right.y]
    cx, cy = sum(xs) / 4, sum(ys) / 4
    half_w, half_h = 30 * MM * dpi, 22.5 * MM * dpi
    card = page.crop((round(cx - half_w), round(cy - half_h), round(cx + half_w), round(cy + half_h)))
    card = ImageEnhance.Brightness(card).enhance(0.85)
    card = card.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=DESK)
    card = card.filter(ImageFilter.GaussianBlur(0.7))
    frame = Image.new("RGB", FRAME, DESK)
    frame.paste(card, ((FRAME[0] - card.width) // 2 + 20, (FRAME[1] - card.height) // 2 - 10))
    return frame


def qr_photo(text: str) -> Image.Image:
    """A camera frame (FRAME) showing a QR code of `text` on white paper, about 4 px a module."""
    code = qrcode.QRCode(box_size=4, border=4)
    code.add_data(text)
    image = code.make_image().get_image().convert("RGB")
    frame = Image.new("RGB", FRAME, DESK)
    frame.paste(image, ((FRAME[0] - image.width) // 2, (FRAME[1] - image.height) // 2))
    return frame


def write_y4m(path: Path, frames: list[Image.Image], fps: int = 10) -> Path:
    """Write `frames` (RGB images of one even size) as a YUV 4:2:0 Y4M video at `path`; returns `path`."""
    width, height = frames[0].size
    assert width % 2 == 0 and height % 2 == 0, "4:2:0 needs an even width and height"
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode("ascii"))
        for frame in frames:
            assert frame.size == (width, height)
            luma, blue, red = frame.convert("YCbCr").split()
            out.write(b"FRAME\n")
            out.write(luma.tobytes())
            for chroma in (blue, red):
                out.write(chroma.resize((width // 2, height // 2), Image.Resampling.BOX).tobytes())
    return path
