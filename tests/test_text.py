"""The one text-cleaning rule: NFC, single spaces, nothing hidden."""

from __future__ import annotations

import pytest

from trainer.core.errors import ValidationError
from trainer.core.text import clean_text


@pytest.mark.parametrize("hidden", ["\x01", "\x00", "\u200b", "\u200d", "\u202e", "\u2066", "\ufeff", "\u00ad",
                                    "\u2028", "\ue000"])
def test_clean_text_refuses_hidden_characters(hidden):
    with pytest.raises(ValidationError) as err:
        clean_text(f"Nguyễn{hidden} Văn A", "full_name", 100, label="họ và tên")
    assert err.value.code == "invalid_characters"
    assert err.value.fields == {"full_name": err.value.message}
    assert f"U+{ord(hidden):04X}" in err.value.message and "vị trí 7" in err.value.message
    assert err.value.message.startswith("Họ và tên có ký tự ẩn")


def test_clean_text_normalises_nfd_and_collapses_line_breaks():
    nfd = "Nguye\u0302\u0303n  Thi\u0323\tHa\u0306\u0300ng\n"
    assert clean_text(nfd, "full_name", 100, label="họ và tên") == "Nguyễn Thị Hằng"


def test_clean_text_required_and_length():
    with pytest.raises(ValidationError) as err:
        clean_text("  ", "venue", 10, label="địa điểm", required=True)
    assert err.value.code == "required"
    with pytest.raises(ValidationError) as err:
        clean_text("x" * 11, "venue", 10, label="địa điểm")
    assert err.value.code == "too_long"
