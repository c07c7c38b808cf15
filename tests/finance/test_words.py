"""Amounts in Vietnamese words, checked against how a finance office writes them."""

from __future__ import annotations

import pytest

from trainer.finance.words import amount_in_words, vnd


@pytest.mark.parametrize(("amount", "words"), [
    (0, "Không đồng"),
    (5, "Năm đồng"),
    (10, "Mười đồng"),
    (11, "Mười một đồng"),
    (15, "Mười lăm đồng"),
    (20, "Hai mươi đồng"),
    (21, "Hai mươi mốt đồng"),
    (24, "Hai mươi bốn đồng"),
    (25, "Hai mươi lăm đồng"),
    (105, "Một trăm linh năm đồng"),
    (110, "Một trăm mười đồng"),
    (115, "Một trăm mười lăm đồng"),
    (1000, "Một nghìn đồng"),
    (1005, "Một nghìn không trăm linh năm đồng"),
    (1015, "Một nghìn không trăm mười lăm đồng"),
    (1_250_000, "Một triệu hai trăm năm mươi nghìn đồng"),
    (1_000_500, "Một triệu năm trăm đồng"),
    (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
    (150_000, "Một trăm năm mươi nghìn đồng"),
    (31_500_000, "Ba mươi mốt triệu năm trăm nghìn đồng"),
    (2_000_000_000, "Hai tỷ đồng"),
    (1_000_021_000, "Một tỷ không trăm hai mươi mốt nghìn đồng"),
    (1_234_567_891_011, "Một nghìn hai trăm ba mươi bốn tỷ năm trăm sáu mươi bảy triệu tám trăm chín mươi "
                        "mốt nghìn không trăm mười một đồng"),
])
def test_amount_in_words(amount, words):
    assert amount_in_words(amount) == words


@pytest.mark.parametrize("bad", [-1, 1.5, True, "100"])
def test_amount_in_words_refuses_what_is_not_whole_dong(bad):
    with pytest.raises(ValueError):
        amount_in_words(bad)


def test_vnd_groups_thousands_with_dots():
    assert vnd(1_250_000) == "1.250.000" and vnd(0) == "0" and vnd(999) == "999"
