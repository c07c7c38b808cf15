"""Security headers of every response, and the reverse proxy in front of the app.

One `after_request` hook sets them all (`install_security_headers`):

- Pages (text/html) get a Content-Security-Policy that runs no inline script: every script is a file
  under static/js/ and reads its data from `data-*` attributes or a JSON block
  (`<script type="application/json">`, which is never executed). Inline `<style>` blocks are
  allowed by their SHA-256 hash only, computed from the templates when the app starts (the trainee
  check-in page keeps its few lines of CSS in the page: one request on a 3G phone, no second one);
  style attributes are not allowed at all. `img-src data:` is for Bootstrap's own icons (the
  navbar toggler, checkboxes), which its CSS draws as data: URIs. Other answers (JSON, files) get
  no page policy: a JSON answer gets `default-src 'none'`, a PDF or spreadsheet none (Chromium's
  PDF viewer is itself a page that a policy would constrain).
- Every response gets X-Frame-Options DENY (with `frame-ancestors 'none'` for browsers that know
  CSP), X-Content-Type-Options nosniff, a Referrer-Policy (`strict-origin-when-cross-origin`;
  `no-referrer` where the URL holds a credential, a view may set its own) and a Permissions-Policy
  denying camera, microphone and geolocation, except the camera on the badge-scanning page.
- Strict-Transport-Security only on requests that came over HTTPS. Behind a reverse proxy that ends
  TLS, set TRAINER_PROXY_FIX to the number of proxies so the app believes their X-Forwarded-*
  headers (`proxy_hops`, ProxyFix in `create_app`); without it, every request looks like plain HTTP
  from the proxy's address.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

from flask import Flask, current_app, request
from flask.wrappers import Response

# Pages that need the camera (the organizer's badge scanner).
CAMERA_ENDPOINTS = frozenset({"attendance.scan"})
# Pages whose URL is a credential (a check-in token, a certificate's code, a signed link).
NO_REFERRER_ENDPOINTS = frozenset({"public.scan", "public.material", "certificates_public.verify"})

STYLE_BLOCK = re.compile(r"<style>(.*?)</style>", re.DOTALL | re.IGNORECASE)
JINJA_SYNTAX = re.compile(r"\{[{%#]")


def inline_style_hashes(app: Flask) -> list[str]:
    """CSP sources (`'sha256-…'`) of the inline `<style>` blocks of the app's templates.

    Raises RuntimeError for a block holding Jinja syntax: its rendered text, hence its hash, would vary.
    """
    hashes = []
    loader = app.jinja_env.loader
    assert loader is not None
    for name in sorted(app.jinja_env.list_templates(extensions=["html"])):
        source = loader.get_source(app.jinja_env, name)[0]
        for block in STYLE_BLOCK.findall(source):
            if JINJA_SYNTAX.search(block):
                raise RuntimeError(f"The <style> block of {name} uses Jinja: move it to a file under static/")
            digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
            hashes.append(f"'sha256-{digest}'")
    return sorted(set(hashes))


def page_policy(style_hashes: Iterable[str]) -> str:
    """The Content-Security-Policy of every HTML page."""
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": " ".join(["'self'", *style_hashes]),
        "img-src": "'self' data:",
        "object-src": "'none'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


DATA_POLICY = "default-src 'none'; frame-ancestors 'none'"


def permissions_policy(camera: bool) -> str:
    """The Permissions-Policy: no camera (except where asked), microphone or location."""
    return f"camera={'(self)' if camera else '()'}, microphone=(), geolocation=()"


def install_security_headers(app: Flask) -> None:
    """Add the security headers to every response of `app` (see the module)."""
    policy = page_policy(inline_style_hashes(app))

    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        if response.mimetype == "text/html":
            headers.setdefault("Content-Security-Policy", policy)
        elif response.is_json:
            headers.setdefault("Content-Security-Policy", DATA_POLICY)
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        endpoint = request.endpoint or ""
        referrer = "no-referrer" if endpoint in NO_REFERRER_ENDPOINTS else "strict-origin-when-cross-origin"
        headers.setdefault("Referrer-Policy", referrer)
        camera = endpoint in CAMERA_ENDPOINTS and response.status_code == 200
        headers.setdefault("Permissions-Policy", permissions_policy(camera))
        max_age = int(current_app.config.get("HSTS_MAX_AGE") or 0)
        if request.is_secure and max_age > 0:
            value = f"max-age={max_age}"
            if current_app.config.get("HSTS_INCLUDE_SUBDOMAINS"):
                value += "; includeSubDomains"
            headers.setdefault("Strict-Transport-Security", value)
        return response


def proxy_hops(app: Flask) -> int:
    """How many proxies stand in front of the app (TRAINER_PROXY_FIX; 0: none). create_app then wraps the app
    in werkzeug's ProxyFix, last: every layer below sees the client's address and scheme (rate limits per
    client, `request.is_secure` for HSTS and cookies)."""
    return max(0, int(app.config.get("PROXY_FIX") or 0))
