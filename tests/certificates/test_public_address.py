"""Issuing with a QR address that is the server's own (`make run`: http://127.0.0.1:5000): the page and
the CLI warn and ask for the public address; nothing is issued without it or an explicit confirmation."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.certificates.test_pdf_and_web import _qr_texts
from tests.conftest import csrf_token_from, login
from trainer.accounts.services import issue_api_token
from trainer.certificates.models import Certificate
from trainer.certificates.public_url import clean_public_base_url, is_local_url
from trainer.certificates.services import pdf_bytes
from trainer.core.errors import ValidationError
from trainer.extensions import db

LOOPBACK = "http://127.0.0.1:5000"
PUBLIC = "https://daotao.example.gov.vn"


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Certificate))


def _issued() -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).order_by(Certificate.serial_number)))


@pytest.mark.parametrize("url", [LOOPBACK, "http://localhost:5000", "http://LOCALHOST.", "http://[::1]:5000",
                                 "http://0.0.0.0:8000", "http://127.8.9.10", "http://app.localhost",
                                 "http://[::ffff:127.0.0.1]", "http://169.254.10.1", "http://[::]:5000", ""])
def test_server_own_addresses_are_local(url):
    assert is_local_url(url)


@pytest.mark.parametrize("url", [PUBLIC, "http://192.168.1.20:5000", "http://10.0.0.5", "https://203.113.1.1",
                                 "http://[2001:db8::1]"])
def test_public_and_lan_addresses_are_not_local(url):
    assert not is_local_url(url)


def test_a_typed_public_address_is_cleaned_or_refused_with_a_code():
    assert clean_public_base_url(f" {PUBLIC}/ ") == PUBLIC
    assert clean_public_base_url("http://192.168.1.20:5000/daotao/") == "http://192.168.1.20:5000/daotao"
    for bad in ("daotao.example.gov.vn", "ftp://daotao.example.gov.vn", f"{PUBLIC}/?a=1", f"{PUBLIC}#x",
                "javascript:alert(1)", "https://user:pw@daotao.example.gov.vn", "https://", "http://x:99999",
                "https://dao tao.vn", "https://" + "a" * 200 + ".vn"):
        with pytest.raises(ValidationError) as err:
            clean_public_base_url(bad)
        assert err.value.code == "public_base_url_invalid", bad
    with pytest.raises(ValidationError) as err:
        clean_public_base_url("http://localhost:5000")
    assert err.value.code == "public_base_url_not_public"


def _page(client, finished) -> str:
    return client.get(f"/courses/{finished['course'].id}/certificates").get_data(as_text=True)


def _post(client, finished, token: str, **fields: str):
    return client.post(f"/courses/{finished['course'].id}/certificates/issue", data={"csrf_token": token, **fields})


@pytest.fixture
def organizer_on_loopback(app, client, finished, f):
    """An organizer signed in while the QR address is `make run`'s 127.0.0.1."""
    app.config["PUBLIC_BASE_URL"] = LOOPBACK
    organizer = f.user("organizer", finished["tree"]["district"])
    db.session.commit()
    login(client, organizer.email)
    return organizer


def test_page_warns_and_issues_nothing_without_public_address_or_confirmation(client, finished,
                                                                               organizer_on_loopback):
    page = _page(client, finished)
    assert 'id="qr-local-warning"' in page
    assert f"Mã QR trên giấy chứng nhận sẽ trỏ tới {LOOPBACK}" in page
    assert "điện thoại quét mã sẽ không mở được trang xác minh" in page
    assert 'name="public_base_url"' in page and "Vẫn cấp với địa chỉ này" in page
    assert "TRAINER_PUBLIC_BASE_URL" in page
    token = csrf_token_from(page)

    refused = _post(client, finished, token)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Chưa cấp giấy chứng nhận nào" in html
    assert _count() == 0

    still_local = _post(client, finished, token, public_base_url="http://localhost:5000")
    assert still_local.status_code == 422
    assert "Địa chỉ này vẫn là của chính máy chủ" in still_local.get_data(as_text=True)
    malformed = _post(client, finished, token, public_base_url="daotao.example.gov.vn", confirm_local="y")
    html = malformed.get_data(as_text=True)
    assert malformed.status_code == 422 and "Địa chỉ công khai phải có dạng https://ten-mien" in html
    assert 'value="daotao.example.gov.vn"' in html  # what was typed stays
    assert _count() == 0
    assert client.post(f"/courses/{finished['course'].id}/certificates/issue", data={}).status_code == 400


def test_page_issues_with_the_typed_public_address_which_stays_with_the_certificates(client, finished,
                                                                                     organizer_on_loopback):
    token = csrf_token_from(_page(client, finished))
    done = _post(client, finished, token, public_base_url=f"{PUBLIC}/")
    assert done.status_code == 302
    assert "Đã cấp 2 giấy chứng nhận." in client.get(done.headers["Location"]).get_data(as_text=True)
    issued = _issued()
    assert len(issued) == 2 and all(c.snapshot["public_base_url"] == PUBLIC for c in issued)
    assert _qr_texts(pdf_bytes(issued[0])) == [f"{PUBLIC}/verify/{issued[0].code}"]  # the stored file
    bulk = client.get(f"/courses/{finished['course'].id}/certificates.pdf").data  # drawn again from snapshots
    assert _qr_texts(bulk, 1) == [f"{PUBLIC}/verify/{issued[1].code}"]

    reissued = client.post(f"/certificates/{issued[0].code}/reissue", data={"csrf_token": token, "reason": "Sửa"})
    assert reissued.status_code == 302
    db.session.expire_all()
    assert _qr_texts(pdf_bytes(issued[0])) == [f"{PUBLIC}/verify/{issued[0].code}"]


def test_page_issues_with_the_server_address_when_confirmed(client, finished, organizer_on_loopback):
    token = csrf_token_from(_page(client, finished))
    assert _post(client, finished, token, confirm_local="y").status_code == 302
    issued = _issued()
    assert len(issued) == 2 and "public_base_url" not in issued[0].snapshot
    assert _qr_texts(pdf_bytes(issued[0])) == [f"{LOOPBACK}/verify/{issued[0].code}"]


@pytest.mark.parametrize("configured", ["https://trainer.example.vn", "http://192.168.1.20:5000"])
def test_page_does_not_warn_for_a_public_or_lan_address(app, client, finished, f, configured):
    app.config["PUBLIC_BASE_URL"] = configured
    organizer = f.user("organizer", finished["tree"]["district"])
    db.session.commit()
    login(client, organizer.email)
    page = _page(client, finished)
    assert 'id="qr-local-warning"' not in page and 'name="public_base_url"' not in page
    # a public_base_url sent anyway is not honoured: only the server's own address may be replaced
    assert _post(client, finished, csrf_token_from(page), public_base_url=PUBLIC).status_code == 302
    assert [c.snapshot.get("public_base_url") for c in _issued()] == [None, None]


def test_page_warns_when_unconfigured_and_opened_on_localhost(app, client, finished, f):
    app.config["PUBLIC_BASE_URL"] = None  # then the request's address, here http://localhost/
    organizer = f.user("organizer", finished["tree"]["district"])
    db.session.commit()
    login(client, organizer.email)
    page = _page(client, finished)
    assert "Mã QR trên giấy chứng nhận sẽ trỏ tới http://localhost" in page
    assert _post(client, finished, csrf_token_from(page)).status_code == 422 and _count() == 0


def _cli(runner, finished, *extra: str, stdin: str | None = None):
    return runner.invoke(args=["certificates", "issue", "--course", str(finished["course"].id), *extra], input=stdin)


def test_cli_warns_and_asks_on_a_loopback_address(app, runner, finished):
    app.config["PUBLIC_BASE_URL"] = LOOPBACK
    db.session.commit()
    declined = _cli(runner, finished, stdin="n\n")
    assert declined.exit_code == 1
    assert f"Cảnh báo: Mã QR trên giấy chứng nhận sẽ trỏ tới {LOOPBACK}" in declined.output
    assert "Vẫn cấp với địa chỉ này? [y/N]" in declined.output and "--public-url" in declined.output
    assert _count() == 0
    no_answer = _cli(runner, finished, stdin="")  # a script without --yes: nothing issued
    assert no_answer.exit_code != 0 and _count() == 0
    accepted = _cli(runner, finished, stdin="y\n")
    assert accepted.exit_code == 0 and "2 issued, 0 already issued, 1 not completed" in accepted.output
    db.session.expire_all()
    issued = _issued()
    assert _qr_texts(pdf_bytes(issued[0])) == [f"{LOOPBACK}/verify/{issued[0].code}"]


def test_cli_flags_run_without_a_question(app, runner, finished):
    app.config["PUBLIC_BASE_URL"] = LOOPBACK
    db.session.commit()
    dry = _cli(runner, finished, "--dry-run")
    assert dry.exit_code == 0 and "[y/N]" not in dry.output and "[dry run] 2 issued" in dry.output
    refused = _cli(runner, finished, "--public-url", "http://localhost:5000")
    assert refused.exit_code == 1 and "Địa chỉ này vẫn là của chính máy chủ" in refused.output and _count() == 0
    public = _cli(runner, finished, "--public-url", PUBLIC)
    assert public.exit_code == 0 and "[y/N]" not in public.output and "2 issued" in public.output
    db.session.expire_all()
    issued = _issued()
    assert _qr_texts(pdf_bytes(issued[1])) == [f"{PUBLIC}/verify/{issued[1].code}"]
    again = _cli(runner, finished, "--yes")
    assert again.exit_code == 0 and "[y/N]" not in again.output and "Cảnh báo" in again.output
    assert "0 issued, 2 already issued" in again.output


def test_cli_does_not_ask_on_a_public_address(runner, finished):
    db.session.commit()
    result = _cli(runner, finished)
    assert result.exit_code == 0 and "Cảnh báo" not in result.output and "[y/N]" not in result.output


def test_api_issues_on_a_loopback_address_and_says_so(app, client, finished, f):
    organizer = f.user("organizer", finished["tree"]["district"])
    auth = {"Authorization": f"Bearer {issue_api_token(organizer)}"}
    app.config["PUBLIC_BASE_URL"] = LOOPBACK
    body = client.post(f"/api/v1/courses/{finished['course'].id}/certificates", headers=auth).json
    assert len(body["issued"]) == 2
    assert [w["code"] for w in body["warnings"]] == ["public_base_url_local"] and LOOPBACK in body["warnings"][0][
        "message"]
    again = client.post(f"/api/v1/courses/{finished['course'].id}/certificates", headers=auth).json
    assert again["issued"] == [] and "warnings" not in again  # nothing printed, nothing to warn about


def test_the_warning_speaks_english(client, finished, organizer_on_loopback):
    page = client.get(f"/courses/{finished['course'].id}/certificates?lang=en").get_data(as_text=True)
    assert f"The QR code on the certificates will point to {LOOPBACK}" in page
    assert "Issue with this address anyway" in page and "The system's public address" in page
    refused = client.post(f"/courses/{finished['course'].id}/certificates/issue?lang=en",
                          data={"csrf_token": csrf_token_from(page)})
    assert refused.status_code == 422 and "No certificate was issued" in refused.get_data(as_text=True)
