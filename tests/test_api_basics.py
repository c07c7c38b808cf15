"""API basics: the OpenAPI document matches the URL map, errors follow the contract."""

from __future__ import annotations

import re

from tests.factories import Factories
from trainer.accounts.services import issue_api_token


def _rules_of_api(app) -> dict[str, set[str]]:
    rules: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
            rules.setdefault(path, set()).update(m.lower() for m in rule.methods - {"HEAD", "OPTIONS"})
    return rules


def test_openapi_documents_every_api_route_and_nothing_else(client, app, f: Factories):
    token = issue_api_token(f.user("admin"))
    spec = client.get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {token}"}).json
    assert spec["openapi"].startswith("3.")
    documented = {path: set(ops) for path, ops in spec["paths"].items()}
    assert documented == _rules_of_api(app)
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            assert op.get("summary") and op.get("responses"), f"{method} {path} lacks summary or responses"


def test_unknown_api_path_and_wrong_method_get_json_errors(client, f: Factories):
    token = issue_api_token(f.user("admin"))
    auth = {"Authorization": f"Bearer {token}"}
    missing = client.get("/api/v1/nothing-here", headers=auth)
    assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"
    wrong = client.delete("/api/v1/curricula", headers=auth)
    assert wrong.status_code == 405 and wrong.json["error"]["message"]


def test_unauthenticated_api_gets_401_json_not_a_redirect(client):
    response = client.get("/api/v1/curricula")
    assert response.status_code == 401
    assert response.json == {"error": {"code": "unauthorized",
                                       "message": "Cần đăng nhập hoặc mã truy cập API hợp lệ."}}


def test_pages_answer_errors_in_vietnamese(client, f: Factories):
    from tests.conftest import login

    login(client, f.user("reviewer", f.tree()["province"]).email)
    forbidden = client.get("/users")
    assert forbidden.status_code == 403 and "Bạn không có quyền" in forbidden.get_data(as_text=True)
    assert "Không tìm thấy" in client.get("/nope").get_data(as_text=True)
