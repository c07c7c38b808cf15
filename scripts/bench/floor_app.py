"""The floor of the check-in benchmark: a bare Flask JSON endpoint served the same way (gunicorn)."""

from __future__ import annotations

from flask import Flask, request

app = Flask(__name__)


@app.post("/api/v1/checkin")
def checkin():
    """Parse the same JSON body and answer a small JSON object, nothing else."""
    data = request.get_json(silent=True) or {}
    return {"status": "checked_in", "participant": {"full_name": str(data.get("phone", ""))},
            "session": {"id": 1, "title": ""}}
