"""The password rule: long enough, neither common nor trivial, not made of the owner's e-mail or name.

Strength is judged by zxcvbn (the Python port of Dropbox's estimator, MIT licence, pinned in
requirements.txt): its lists of common passwords, English words, names and its patterns (repeats
such as `aaaaaaaaaa`, sequences `1234567890`, keyboard rows `qwertyuiop`, dates, l33t) give an estimate
of the guesses an attacker needs; a password below score 3 (about 10^8 guesses) is refused. Its lists
are English: a few words Vietnamese users often build passwords from are added (LOCAL_WORDS), and so
are the account's e-mail and name. A password containing the e-mail's name part or the person's name
(accents ignored, 4 letters or more) is refused outright.

Passwords are compared in NFC: the same Vietnamese password typed on two keyboards (one composing
accents, one not) is the same password.
"""

from __future__ import annotations

import re
import unicodedata

from trainer.core.errors import N_, ValidationError
from trainer.core.text import fold

MIN_LENGTH = 10
MAX_LENGTH = 128
MIN_SCORE = 3  # zxcvbn: 0 too guessable ... 4 very unguessable; 3 is about 10^8 guesses or more
SCORED_PREFIX = 72  # zxcvbn judges at most 72 characters (its cost grows with length); they tell enough
LOCAL_WORDS = ("matkhau", "anhyeuem", "emyeuanh", "yeuem", "yeuanh", "vietnam", "hanoi", "saigon", "hochiminh",
               "xinchao", "trainer", "duan6", "thongtin", "truyenthong", "coso", "canbo", "quantri", "admin123",
               "abc123", "123456a@", "a123456", "bacgiang", "bacninh")

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def normalise_password(password: str) -> str:
    """NFC, so that composed and decomposed accents give the same password."""
    return unicodedata.normalize("NFC", password)


def _fail(code: str, message: str, **params: object) -> ValidationError:
    return ValidationError(code, message, fields={"password": message}, params=params)


def personal_words(email: str, full_name: str) -> list[str]:
    """Folded pieces of the e-mail's name part and of the full name, 4 characters or more."""
    local = fold(email.split("@", 1)[0])
    name = fold(full_name)
    words = {_NOT_ALNUM.sub("", local), _NOT_ALNUM.sub("", name), *_NOT_ALNUM.split(local), *name.split()}
    return sorted(w for w in (_NOT_ALNUM.sub("", word) for word in words) if len(w) >= 4)


def check_password_rule(password: str, *, email: str = "", full_name: str = "") -> None:
    """Refuse a password that is too short or long, holds the owner's e-mail or name, or is easy to guess.

    Raises ValidationError('password_too_short' | 'password_too_long' | 'password_personal' |
    'password_too_common'), with `fields["password"]`.
    """
    password = normalise_password(password)
    if len(password) < MIN_LENGTH:
        raise _fail("password_too_short", N_("Mật khẩu phải có ít nhất %(min)s ký tự."), min=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise _fail("password_too_long", N_("Mật khẩu dài tối đa %(max)s ký tự."), max=MAX_LENGTH)
    own = personal_words(email, full_name)
    compact = _NOT_ALNUM.sub("", fold(password))
    if any(word in compact for word in own):
        raise _fail("password_personal", N_("Mật khẩu không được chứa email hoặc họ tên của bạn."))
    from zxcvbn import zxcvbn  # slow to import (its word lists): only when a password is set

    result = zxcvbn(password[:SCORED_PREFIX], user_inputs=[*own, *LOCAL_WORDS])
    if result["score"] < MIN_SCORE:
        raise _fail("password_too_common",
                    N_("Mật khẩu quá dễ đoán (mật khẩu phổ biến, ký tự lặp lại, dãy số hoặc phím liền nhau...). "
                       "Hãy dùng một câu dài hơn, ít người dùng, ví dụ ghép bốn từ không liên quan."))
