"""The 54 official ethnic groups of Vietnam, used only to derive the ethnic-minority flag.

The list and its order are those of the statistics office's "Danh mục các thành phần dân tộc Việt
Nam" (Decision 121-TCTK/PPCĐ of 2/3/1979, the order the 2019 census tables still use), Kinh first.
The group itself is never stored: ethnic origin is sensitive personal data (domain/privacy.md),
and the Project 6 indicators only need to know whether a trainee belongs to a minority.
"""

from __future__ import annotations

import re

from trainer.core.errors import ValidationError
from trainer.core.text import N_, fold

KINH = "Kinh"

ETHNIC_GROUPS: tuple[str, ...] = (
    "Kinh", "Tày", "Thái", "Hoa", "Khơ-me", "Mường", "Nùng", "Mông", "Dao", "Gia-rai",
    "Ngái", "Ê-đê", "Ba-na", "Xơ-đăng", "Sán Chay", "Cơ-ho", "Chăm", "Sán Dìu", "Hrê", "Mnông",
    "Ra-glai", "Xtiêng", "Bru-Vân Kiều", "Thổ", "Giáy", "Cơ-tu", "Giẻ-Triêng", "Mạ", "Khơ-mú", "Co",
    "Tà-ôi", "Chơ-ro", "Kháng", "Xinh-mun", "Hà Nhì", "Chu-ru", "Lào", "La Chí", "La Ha", "Phù Lá",
    "La Hủ", "Lự", "Lô Lô", "Chứt", "Mảng", "Pà Thẻn", "Cơ Lao", "Cống", "Bố Y", "Si La",
    "Pu Péo", "Brâu", "Ơ Đu", "Rơ-măm",
)

# Other names people write (the list's own "tên gọi khác" and common spellings), as keys.
_ALIASES = {
    "viet": "Kinh", "hmong": "Mông", "meo": "Mông", "han": "Hoa", "khmer": "Khơ-me",
    "khmerkrom": "Khơ-me", "jrai": "Gia-rai", "giorai": "Gia-rai", "rade": "Ê-đê", "bahnar": "Ba-na",
    "sedang": "Xơ-đăng", "caolan": "Sán Chay", "sanchi": "Sán Chay", "koho": "Cơ-ho", "raglay": "Ra-glai",
    "stieng": "Xtiêng", "vankieu": "Bru-Vân Kiều", "bru": "Bru-Vân Kiều", "katu": "Cơ-tu", "khmu": "Khơ-mú",
}

_PARENTHESES = re.compile(r"\([^)]*\)")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def ethnicity_key(text: str) -> str:
    """A spelling-proof key: no case, diacritics, spaces, hyphens, apostrophes or "(other name)"."""
    key = _NOT_ALNUM.sub("", fold(_PARENTHESES.sub(" ", text)))
    return key.removeprefix("dantoc") or key


_BY_KEY: dict[str, str] = {ethnicity_key(name): name for name in ETHNIC_GROUPS}
_BY_KEY.update({key: name for key, name in _ALIASES.items() if key not in _BY_KEY})


def resolve_ethnicity(text: str, *, field: str = "ethnicity") -> str:
    """The official name of the group written as `text` ("hmong", "H'Mông", "Mông" → "Mông").

    Raises ValidationError('unknown_ethnicity').
    """
    name = _BY_KEY.get(ethnicity_key(text or ""))
    if name is None:
        message = N_("Không có dân tộc này trong danh mục 54 dân tộc Việt Nam.")
        raise ValidationError("unknown_ethnicity", message, fields={field: message})
    return name


def is_ethnic_minority(name: str) -> bool:
    """Everyone but the Kinh belongs to an ethnic minority."""
    return resolve_ethnicity(name) != KINH
