"""The floors of the check-in figures: what bare Flask costs for the same requests, served the same way.

- The trainee page: `GET /c/<token>` renders a Jinja page with a form (a CSRF token, from Flask-WTF,
  which sets the session cookie, and a signed `grace` field) of the same byte size as trainer's page;
  `POST /c/<token>` checks the CSRF token and the grace field, reads the phone and renders a result page
  of the same size as trainer's, setting a signed device cookie as trainer does. No database.
- The API: `POST /api/v1/checkin` and `POST /api/v1/sessions/<id>/attendance` parse the JSON body and
  answer a small JSON object.

The page sizes come from FLOOR_FORM_BYTES and FLOOR_RESULT_BYTES (trainer's, measured by the benchmark
before it starts the floor); the pages are padded up to them.
"""

from __future__ import annotations

import os
import secrets

from flask import Flask, make_response, render_template, request
from flask_wtf import CSRFProtect
from itsdangerous import BadSignature, URLSafeTimedSerializer
from jinja2 import DictLoader

BASE = """<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}Điểm danh{% endblock %}</title>
<style>
body{font:18px/1.45 system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1b1f23}
main{max-width:30rem;margin:0 auto;padding:1rem}
.box{background:#fff;border-radius:.6rem;padding:1rem;margin-bottom:1rem}
</style>
</head>
<body><main>{% block content %}{% endblock %}<!--{{ pad }}--></main></body>
</html>"""
FORM = """{% extends "base.html" %}{% block content %}
<div class="box"><h1>{{ title }}</h1><p>{{ course }}</p></div>
<form method="post" class="box" action="{{ url_for('form', token=token) }}">
  <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
  <input type="hidden" name="grace" value="{{ grace }}">
  <label for="phone">Số điện thoại đã đăng ký</label>
  <input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" required autofocus>
  <button type="submit">Điểm danh</button>
</form>{% endblock %}"""
RESULT = """{% extends "base.html" %}{% block title %}Đã điểm danh{% endblock %}{% block content %}
<div class="box ok" id="result" data-code="checked_in">
  <p class="big">{{ name }}</p>
  <p class="big">Điểm danh thành công.</p>
</div>
<div class="box"><h1>{{ title }}</h1><p>{{ course }}</p></div>{% endblock %}"""

app = Flask(__name__)
app.config.update(SECRET_KEY=os.environ.get("FLOOR_SECRET_KEY", "floor-secret-key"), WTF_CSRF_TIME_LIMIT=None)
app.jinja_loader = DictLoader({"base.html": BASE, "form.html": FORM, "result.html": RESULT})
csrf = CSRFProtect(app)
SIZES = {"form.html": int(os.environ.get("FLOOR_FORM_BYTES", "0")),
         "result.html": int(os.environ.get("FLOOR_RESULT_BYTES", "0"))}
_pads: dict[str, str] = {}
PAGE = {"title": "Buổi đo tải: trainee", "course": "Lớp đo tải"}


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="grace")


def _render(template: str, **context) -> str:
    """The page padded to its size (the padding measured on the first render, then reused)."""
    if template not in _pads:
        bare = render_template(template, pad="", **PAGE, **context)
        _pads[template] = "x" * max(0, SIZES[template] - len(bare.encode()))
    return render_template(template, pad=_pads[template], **PAGE, **context)


@app.route("/c/<token>", methods=["GET", "POST"])
def form(token: str):
    """The phone form, then the check-in's result (CSRF checked by Flask-WTF before this view)."""
    if request.method == "GET":
        response = make_response(_render("form.html", token=token, grace=_signer().dumps({"s": 1})))
    else:
        try:
            _signer().loads(request.form.get("grace", ""), max_age=180)
        except BadSignature:
            return "grace", 400
        phone = request.form.get("phone", "")
        number = int(phone[4:]) if phone[4:].isdigit() else 0
        response = make_response(_render("result.html", name=f"Học viên {number}"))
        response.set_cookie("floor_device", _signer().dumps({"d": secrets.token_hex(16), "c": {"1": number}}),
                            httponly=True, samesite="Lax")
    response.headers["Cache-Control"] = "no-store"
    return response


@app.post("/api/v1/checkin")
@csrf.exempt
def checkin():
    """Parse the same JSON body and answer a small JSON object, nothing else."""
    data = request.get_json(silent=True) or {}
    return {"status": "checked_in", "participant": {"full_name": str(data.get("phone", ""))},
            "session": {"id": 1, "title": ""}}


@app.post("/api/v1/sessions/<int:session_id>/attendance")
@csrf.exempt
def mark(session_id: int):
    """The badge scan's floor: parse the JSON body and answer a small JSON object."""
    data = request.get_json(silent=True) or {}
    return {"status": "checked_in", "participant": {"full_name": str(data.get("participant_code", ""))},
            "session": {"id": session_id, "title": ""}}
