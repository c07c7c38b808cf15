"""The public address a certificate's QR code carries, and whether a phone can open it.

The QR encodes `<base>/verify/<code>`. `base` is TRAINER_PUBLIC_BASE_URL when set, else the address of
the request. `make run` sets http://127.0.0.1:5000: a phone that scans such a QR opens itself, not the
server, so nobody can verify the certificate. Issuing warns about such addresses (loopback,
unspecified, link-local, "localhost") and asks for the public one; a private LAN address is allowed
without a warning, as phones on the office Wi-Fi do reach it.
"""

from __future__ import annotations

from ipaddress import IPv6Address, ip_address
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request

from trainer.core.errors import DomainError, ValidationError

LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
MAX_LENGTH = 200
LOCAL_MESSAGE = ("Mã QR trên giấy chứng nhận sẽ trỏ tới {base}: địa chỉ của chính máy chủ, điện thoại quét mã "
                 "không mở được trang xác minh. Hãy đặt địa chỉ công khai của hệ thống trong biến "
                 "TRAINER_PUBLIC_BASE_URL.")


def is_local_url(url: str) -> bool:
    """True when the URL's host is the server's own (loopback, unspecified, link-local, localhost)."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if not host:
        return True
    if host in LOCAL_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ip_address(host)
    except ValueError:
        return False
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback or address.is_unspecified or address.is_link_local


def qr_base_url() -> str:
    """The address certificates' QR codes are built on: TRAINER_PUBLIC_BASE_URL, else the request's.

    Raises DomainError('public_base_url_missing') outside a request without the setting (the CLI)."""
    base = current_app.config.get("PUBLIC_BASE_URL") or ""
    if base:
        return base.rstrip("/")
    if not has_request_context():
        raise DomainError("public_base_url_missing", "Cần cấu hình TRAINER_PUBLIC_BASE_URL (địa chỉ công khai của "
                                                     "hệ thống) để in mã QR xác minh khi cấp từ dòng lệnh.")
    return request.url_root.rstrip("/")


def clean_public_base_url(value: str) -> str:
    """A public address typed by the person issuing: http(s)://host[:port][/path], returned without
    its trailing slash. Raises ValidationError('public_base_url_invalid' | 'public_base_url_local')."""
    value = (value or "").strip()
    fields = {"public_base_url": "Địa chỉ không hợp lệ."}
    try:
        parts = urlsplit(value)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        parts, port_ok = None, False
    if (parts is None or not port_ok or parts.scheme not in ("http", "https") or not parts.hostname
            or parts.query or parts.fragment or parts.username or parts.password or len(value) > MAX_LENGTH
            or any(ch.isspace() for ch in value)):
        raise ValidationError("public_base_url_invalid", "Địa chỉ công khai phải có dạng https://ten-mien "
                                                         "(ví dụ https://daotao.example.gov.vn).", fields=fields)
    if is_local_url(value):
        raise ValidationError("public_base_url_not_public", "Địa chỉ này vẫn là của chính máy chủ; hãy nhập địa chỉ mà "
                                                       "điện thoại truy cập được.", fields=fields)
    return value.rstrip("/")
