"""Vietnamese names and job titles for synthetic officers, with realistic frequencies.

Family names follow the usual estimates (Nguyễn ~38%, Trần ~11%, Lê ~9.5%...), with Hoàng/Vũ
commoner in the north and Huỳnh/Võ in the south. Ethnic-minority officers get names in the
style of the province's main minority groups (Thái, Mông, Tày/Nùng, Dao, Mường, Ê Đê, Gia Rai,
Ba Na, Chăm, Khmer, Cơ Tu). Every string is NFC.
"""

from __future__ import annotations

import itertools
import random
import unicodedata
from collections.abc import Sequence

from trainer.curricula.models import TargetGroup

# (name, weight in %). The tail stands for the hundreds of rarer names.
_FAMILY_COMMON = [
    ("Nguyễn", 38.4), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.0), ("Phan", 4.5), ("Đặng", 2.1), ("Bùi", 2.0),
    ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đinh", 0.9), ("Trịnh", 0.8),
    ("Đoàn", 0.7), ("Lương", 0.6), ("Mai", 0.5), ("Cao", 0.5), ("Tạ", 0.4), ("Lâm", 0.4), ("Hà", 0.5),
    ("Chu", 0.3), ("Kiều", 0.2), ("Vương", 0.2), ("Tô", 0.3), ("Quách", 0.2), ("Triệu", 0.2), ("Lưu", 0.3),
    ("Thái", 0.2), ("Khổng", 0.1), ("Nghiêm", 0.1), ("Văn", 0.2), ("Châu", 0.2), ("Tăng", 0.1),
]
# Hoàng and Huỳnh, Vũ and Võ are the same names, split by region.
_FAMILY_NORTH = [("Hoàng", 4.6), ("Huỳnh", 0.5), ("Vũ", 3.4), ("Võ", 0.6)]
_FAMILY_SOUTH = [("Hoàng", 1.1), ("Huỳnh", 4.0), ("Vũ", 0.9), ("Võ", 3.1)]



def _words(text: str) -> tuple[str, ...]:
    """The space-separated words of `text` (long name lists read better as one string)."""
    return tuple(text.split())


_MIDDLE_MALE = [("Văn", 34), ("Đức", 8), ("Minh", 8), ("Quang", 6), ("Ngọc", 4), ("Thanh", 5), ("Xuân", 4),
                ("Hữu", 5), ("Công", 4), ("Đình", 5), ("Tiến", 3), ("Trọng", 3), ("Mạnh", 2), ("Anh", 2),
                ("Hoàng", 2), ("Việt", 2), ("Tuấn", 1), ("Duy", 2)]
_MIDDLE_FEMALE = [("Thị", 46), ("Thu", 7), ("Thanh", 6), ("Ngọc", 6), ("Minh", 3), ("Hồng", 5), ("Kim", 4),
                  ("Phương", 3), ("Thúy", 3), ("Bích", 3), ("Hải", 2), ("Diệu", 1), ("Mai", 2), ("Thùy", 3),
                  ("Khánh", 2), ("Lan", 1), ("Quỳnh", 2)]
_GIVEN_MALE = _words(
    "Anh Bảo Bình Cường Dũng Duy Đạt Đức Hải Hiếu Hòa Hoàng Hùng Huy Khánh Khoa Kiên Lâm Long Mạnh Minh Nam Nghĩa "
    "Phong Phúc Quang Quân Sơn Tài Tâm Thắng Thành Thịnh Toàn Trung Tuấn Tùng Việt Vinh Hưng Hậu Chiến Công Giang "
    "Hiệp Lợi Lực Thanh Tiến Trường Thái Tú Khải Lộc Quyết Sáng Tuyên Hà Định Điệp Ninh Thọ Thuận Tư"
)
_GIVEN_FEMALE = _words(
    "Anh Châu Chi Dung Duyên Giang Hà Hạnh Hằng Hiền Hoa Hồng Huệ Hương Huyền Lan Liên Linh Loan Mai My Nga Ngân "
    "Ngọc Nhung Oanh Phương Quyên Quỳnh Tâm Thảo Thu Thúy Thủy Trang Trinh Tuyết Uyên Vân Xuân Yến Hậu Lý Nhàn "
    "Thoa Thơm Hòa Ly Diệp Điệp Hoài Lụa Nhài Sen Thắm Tươi Vui Dịu Gấm Hảo Lệ Minh Nguyệt Quế Thanh Thêu Vinh"
)


# --- ethnic-minority name styles -----------------------------------------------------------------

def _kinh_like(families: Sequence[str]) -> dict:
    """A style whose names are built like Kinh names with the group's family names (Tày, Nùng, Mường...)."""
    return {"families": families, "middle_m": ("Văn", "Văn", "Đức", "Thanh", "Ngọc"),
            "middle_f": ("Thị", "Thị", "Thị", "Thu", "Hồng"), "given_m": _GIVEN_MALE, "given_f": _GIVEN_FEMALE,
            "order": "family-middle-given"}


STYLES: dict[str, dict] = {
    "tay": _kinh_like(("Hoàng", "Nông", "Lương", "Ma", "Bế", "Lục", "Triệu", "Đàm", "Hà", "Lăng", "Lộc", "Vi",
                       "Hứa", "Mông", "Nông", "Hoàng")),
    "muong": _kinh_like(("Bùi", "Bùi", "Đinh", "Đinh", "Quách", "Hà", "Xa", "Bạch", "Cao", "Hoàng")),
    "hre": _kinh_like(("Đinh", "Đinh", "Phạm", "Hồ", "Đinh", "Nguyễn")),
    "cham": {"families": ("Đàng", "Thành", "Quảng", "Thiên", "Lưu", "Báo", "Trượng", "Châu", "Tài", "Thổ"),
             "middle_m": ("Văn", "Năng", "Đình", "Văn"), "middle_f": ("Thị", "Thị", "Nữ"),
             "given_m": ("Thọ", "Sơn", "Hải", "Phú", "Minh", "Bình", "Tấn", "Trung", "Lâm", "Quý"),
             "given_f": ("Hòa", "Hằng", "Xuân", "Mai", "Hạnh", "Lan", "Ngọc", "Ánh", "Thơ"),
             "order": "family-middle-given"},
    "thai": {"families": ("Lò", "Lò", "Quàng", "Cầm", "Lường", "Vì", "Tòng", "Hà", "Lù", "Điêu", "Lèo", "Lường"),
             "middle_m": ("Văn",), "middle_f": ("Thị",),
             "given_m": ("Hặc", "Pánh", "Xôm", "Ún", "Chăn", "Thiêm", "Biên", "Phong", "Tuấn", "Thanh", "Hùng",
                         "Cương", "Sương", "Khiêm", "Inh", "Panh", "Xuân", "Ngoan"),
             "given_f": ("Ơn", "Xiêng", "Hương", "Ban", "Phiêng", "Ngân", "Lả", "Xuân", "Thương", "Hiền", "Xuyến",
                         "Pọm", "Ánh", "Chiên", "Dung", "Lan"),
             "order": "family-middle-given"},
    "hmong": {"families": ("Sùng", "Giàng", "Mùa", "Thào", "Vàng", "Lầu", "Hầu", "Sình", "Lý", "Hạng", "Chẻo"),
              "middle_m": ("A", "A", "Mí", "Seo", "Văn"), "middle_f": ("Thị",),
              "given_m": ("Páo", "Chứ", "Sử", "Dế", "Lử", "Pó", "Chớ", "Cở", "Dình", "Tủa", "Sình", "Khai",
                          "Chính", "Phừ", "Nhè", "Tú", "Vừ", "Lềnh"),
              "given_f": ("Mỷ", "Dợ", "Sua", "Mai", "Chá", "Dua", "Pà", "Chư", "Ly", "Súa", "Mẩy", "Sinh", "Dở"),
              "order": "family-middle-given"},
    "dao": {"families": ("Triệu", "Triệu", "Bàn", "Bàn", "Đặng", "Lý", "Chảo", "Phùng", "Tẩn"),
            "middle_m": ("Văn", "Tài", "Kim", "Seo", "Văn"), "middle_f": ("Thị", "Thị", "Mùi"),
            "given_m": ("Mẩy", "Phin", "Lìu", "Quẩy", "Sếnh", "Chàn", "Thông", "Phú", "Sơn", "Chiêu", "Tòng"),
            "given_f": ("Nhất", "Mai", "Sao", "Mẩy", "Lai", "Chiêm", "Hiền", "Dụ", "Slinh"),
            "order": "family-middle-given"},
    # Ê Đê (also used for M'Nông, K'Ho): "Y Khu Niê" for men, "H'Hen Niê" for women.
    "ede": {"families": ("Niê", "Niê", "Êban", "Mlô", "Byă", "Buôn Yă", "Ktla", "Adrơng", "Hđơk", "Kbuôr", "Ayun"),
            "given_m": ("Thông", "Moan", "Khu", "Blô", "Jút", "Sinh", "Kông", "Ber", "Hơ", "Wơn", "Dhăm", "Nguôn",
                        "Tlam", "Bhin"),
            "given_f": ("Hen", "Bơ", "Zuen", "Lim", "Hiên", "Nga", "Ryah", "Nhi", "Jen", "Bia", "Yam", "Mai",
                        "Ngơn", "Lan"),
            "order": "ede"},
    # Gia Rai: family first, "Ksor Nguôn", "Rơ Mah H'Bia".
    "jarai": {"families": ("Ksor", "Rơ Châm", "Siu", "Rơ Mah", "Kpă", "Nay", "Rahlan", "Hiao", "Rơ Ô", "Puih"),
              "given_m": ("Nguôn", "Khuê", "Blik", "Thăm", "Dih", "Hlim", "Wơl", "Tuih", "Yũ", "Đoan", "Phơn"),
              "given_f": ("Bia", "Bơ", "Nhi", "Lim", "Yam", "Jen", "Hương", "Ngơn", "Bluih", "Pơk"),
              "order": "jarai"},
    # Ba Na and Xơ Đăng (Kon Tum): "A Thút" for men, "Y Bích" for women.
    "bana": {"given_m": ("Thút", "Blông", "Hmưn", "Ngọc", "Pơn", "Dền", "Khang", "Sir", "Rơ", "Hùng", "Tuấn",
                         "Giang", "Lang", "Rin"),
             "given_f": ("Bích", "Blông", "Ngiu", "Nguyệt", "Thanh", "Kia", "Đươn", "Hlim", "Xuân", "Hnưu", "Mai"),
             "order": "bana"},
    "katu": {"families": ("Bhling", "Alăng", "Zơ Râm", "Pơ Loong", "Ating", "Blúp", "Clâu", "Hôih", "Bríu"),
             "given_m": ("Mia", "Ngơm", "Đinh", "Thanh", "Hiên", "Nho", "Đức", "Quang", "Lượm", "Pơ"),
             "given_f": ("Thị Mai", "Thị Hoa", "Thị Thương", "Thị Dim", "Thị Nhất", "Thị Vân", "Thị Hiền"),
             "order": "family-given"},
    # Khmer: "Thạch Sô Phal", "Sơn Thị Sa Ri".
    "khmer": {"families": ("Thạch", "Thạch", "Sơn", "Sơn", "Danh", "Kim", "Lâm", "Châu", "Lý", "Trương", "Huỳnh"),
              "given_m": ("Sô Phal", "Sa Rươn", "Ri", "Sóc Khêm", "Pha", "Sa Vet", "Chanh Đa", "Hùng", "Thươl",
                          "Sà Rây", "Vi Sal", "Mách", "Kha", "Sol"),
              "given_f": ("Thị Sa Ri", "Thị Sóc Kha", "Thị Pha Ly", "Thị Chanh Thu", "Thị Ni", "Thị Sa Rươl",
                          "Thị Kim Hoa", "Thị Sà Phone", "Thị Mỹ Lệ", "Thị Đa Ra"),
              "order": "family-given"},
}

# Province code (2024 scheme) -> (share of officers from ethnic minorities, name styles by weight).
# Rough shares from the 2019 census; northern mountains highest. Scaled by MINORITY_SCALE so that the
# national share of officers comes out near the 15% of the population (these provinces have many communes).
PROVINCE_MINORITIES: dict[str, tuple[float, dict[str, int]]] = {
    "02": (0.80, {"hmong": 5, "tay": 3, "dao": 2}), "04": (0.85, {"tay": 8, "hmong": 1, "dao": 1}),
    "06": (0.80, {"tay": 8, "dao": 2}), "08": (0.45, {"tay": 7, "dao": 3}),
    "10": (0.55, {"hmong": 4, "tay": 3, "dao": 2, "thai": 1}), "11": (0.70, {"thai": 5, "hmong": 5}),
    "12": (0.75, {"thai": 4, "hmong": 4, "dao": 2}), "14": (0.75, {"thai": 7, "hmong": 2, "muong": 1}),
    "15": (0.45, {"tay": 4, "dao": 3, "hmong": 2, "thai": 1}), "17": (0.65, {"muong": 9, "thai": 1}),
    "19": (0.25, {"tay": 8, "dao": 2}), "20": (0.75, {"tay": 9, "dao": 1}), "22": (0.10, {"dao": 6, "tay": 4}),
    "24": (0.10, {"tay": 7, "dao": 3}), "25": (0.12, {"muong": 9, "dao": 1}), "38": (0.15, {"muong": 7, "thai": 3}),
    "40": (0.13, {"thai": 8, "hmong": 2}), "45": (0.08, {"hre": 1}), "49": (0.08, {"katu": 1}),
    "51": (0.10, {"hre": 1}), "58": (0.20, {"cham": 1}), "60": (0.06, {"cham": 1}), "62": (0.45, {"bana": 1}),
    "64": (0.40, {"jarai": 1}), "66": (0.30, {"ede": 7, "tay": 3}), "67": (0.28, {"ede": 6, "tay": 2, "hmong": 2}),
    "68": (0.20, {"ede": 1}), "70": (0.15, {"ede": 1}), "84": (0.28, {"khmer": 1}), "94": (0.30, {"khmer": 1}),
    "91": (0.12, {"khmer": 1}), "89": (0.05, {"khmer": 1}), "95": (0.08, {"khmer": 1}),
}
DEFAULT_MINORITY_SHARE = 0.02
MINORITY_SCALE = 0.8


def _default_style(province_code: str) -> dict[str, int]:
    """Where a province has few minority officers: the region's commonest group."""
    code = int(province_code)
    return {"tay": 1} if code <= 37 else ({"muong": 1} if code <= 56 else {"khmer": 1})


class _Table:
    """A weighted list ready for drawing: names and cumulative weights computed once."""

    def __init__(self, weighted: Sequence[tuple[str, float]]) -> None:
        """Split (name, weight) pairs into names and running totals."""
        self.names = [name for name, _ in weighted]
        self.cumulative = list(itertools.accumulate(weight for _, weight in weighted))

    def draw(self, rng: random.Random) -> str:
        """One name, drawn by weight."""
        return rng.choices(self.names, cum_weights=self.cumulative)[0]


class Namer:
    """Draws full names; precomputes the weighted tables once (60,000 names must be cheap)."""

    def __init__(self, rng: random.Random) -> None:
        """Bind the namer to the run's random generator."""
        self.rng = rng
        self._north, self._south = _Table(_FAMILY_COMMON + _FAMILY_NORTH), _Table(_FAMILY_COMMON + _FAMILY_SOUTH)
        self._middle_f, self._middle_m = _Table(_MIDDLE_FEMALE), _Table(_MIDDLE_MALE)
        self._second_middle = _Table(_MIDDLE_FEMALE[1:])
        self._styles: dict[str, _Table] = {}

    def minority_share(self, province_code: str) -> float:
        """The share of officers from ethnic minorities in a province."""
        return PROVINCE_MINORITIES.get(province_code, (DEFAULT_MINORITY_SHARE, {}))[0] * MINORITY_SCALE

    def kinh_name(self, female: bool, province_code: str) -> str:
        """A Kinh name: family, one or two middle names, given name."""
        rng = self.rng
        family = (self._north if int(province_code) <= 46 else self._south).draw(rng)
        middle = (self._middle_f if female else self._middle_m).draw(rng)
        if female and middle == "Thị" and rng.random() < 0.15:  # "Nguyễn Thị Thu Hà"
            middle += " " + self._second_middle.draw(rng)
        given = rng.choice(_GIVEN_FEMALE if female else _GIVEN_MALE)
        if given == middle.split()[-1]:
            given = rng.choice(_GIVEN_FEMALE if female else _GIVEN_MALE)
        return unicodedata.normalize("NFC", f"{family} {middle} {given}")

    def minority_name(self, female: bool, province_code: str) -> str:
        """A name in the style of one of the province's minority groups."""
        rng = self.rng
        if province_code not in self._styles:
            styles = PROVINCE_MINORITIES.get(province_code, (0, {}))[1] or _default_style(province_code)
            self._styles[province_code] = _Table(list(styles.items()))
        style = STYLES[self._styles[province_code].draw(rng)]
        given = rng.choice(style["given_f"] if female else style["given_m"])
        order = style["order"]
        if order == "ede":
            name = ("H'" if female else "Y ") + f"{given} {rng.choice(style['families'])}"
        elif order == "jarai":
            name = f"{rng.choice(style['families'])} " + ("H'" if female else "") + given
        elif order == "bana":
            name = f"{'Y' if female else 'A'} {given}"
        elif order == "family-given":
            name = f"{rng.choice(style['families'])} {given}"
        else:
            middle = rng.choice(style["middle_f"] if female else style["middle_m"])
            name = f"{rng.choice(style['families'])} {middle} {given}"
        return unicodedata.normalize("NFC", name)

    def full_name(self, female: bool, province_code: str, minority: bool) -> str:
        """A full name for an officer of `province_code`."""
        return self.minority_name(female, province_code) if minority else self.kinh_name(female, province_code)

    def trainer_name(self) -> str:
        """A lecturer with an academic prefix, as printed on timetables."""
        female = self.rng.random() < 0.45
        prefix = self.rng.choice(("ThS.", "ThS.", "ThS.", "TS.", "CN.", "ThS."))
        return f"{prefix} {self.kinh_name(female, '01')}"


# --- positions -----------------------------------------------------------------------------------

# (title, who may hold it: "f" women only, "m" men only, "" anyone). Commune-level unless named.
POSITIONS: dict[TargetGroup, list[tuple[str, str]]] = {
    TargetGroup.COMMUNE_CULTURE_OFFICER: [
        ("Công chức Văn hóa - Xã hội", ""), ("Công chức Văn hóa - Xã hội", ""),
        ("Công chức Văn hóa - Xã hội phụ trách Đài truyền thanh", ""), ("Phụ trách Đài truyền thanh xã", ""),
        ("Công chức Văn hóa - Thông tin", ""),
    ],
    TargetGroup.PARTY_INFO_STAFF: [
        ("Phó Bí thư Thường trực Đảng ủy", ""), ("Cán bộ Văn phòng Đảng ủy", ""),
        ("Ủy viên Ban Thường vụ Đảng ủy phụ trách công tác tuyên giáo", ""), ("Trưởng ban Tuyên giáo Đảng ủy", ""),
        ("Văn phòng Đảng ủy", ""),
    ],
    TargetGroup.MASS_ORG_STAFF: [
        ("Chủ tịch Ủy ban Mặt trận Tổ quốc", ""), ("Phó Chủ tịch Ủy ban Mặt trận Tổ quốc", ""),
        ("Chủ tịch Hội Liên hiệp Phụ nữ", "f"), ("Phó Chủ tịch Hội Liên hiệp Phụ nữ", "f"),
        ("Bí thư Đoàn Thanh niên Cộng sản Hồ Chí Minh", ""), ("Phó Bí thư Đoàn Thanh niên", ""),
        ("Chủ tịch Hội Nông dân", ""), ("Phó Chủ tịch Hội Nông dân", ""), ("Chủ tịch Hội Cựu chiến binh", "m"),
    ],
    TargetGroup.INFO_MANAGER: [
        ("Chuyên viên Phòng Văn hóa và Thông tin", ""), ("Phó Trưởng phòng Văn hóa và Thông tin", ""),
        ("Trưởng phòng Văn hóa và Thông tin", ""), ("Viên chức Trung tâm Văn hóa, Thông tin và Thể thao", ""),
    ],
    TargetGroup.PRESS_STAFF: [
        ("Phóng viên Báo {place}", ""), ("Biên tập viên Đài Phát thanh và Truyền hình {place}", ""),
        ("Phó Tổng Biên tập Báo {place}", ""), ("Phóng viên Đài Phát thanh và Truyền hình {place}", ""),
    ],
}
PROVINCE_INFO_MANAGER_POSITIONS = [
    ("Chuyên viên Sở Thông tin và Truyền thông", ""),
    ("Phó Trưởng phòng Thông tin - Báo chí - Xuất bản, Sở Thông tin và Truyền thông", ""),
    ("Chuyên viên Phòng Thông tin cơ sở, Sở Thông tin và Truyền thông", ""),
]


def pick_position(rng: random.Random, group: TargetGroup, *, female: bool, province_level: bool = False,
                  place: str = "") -> str:
    """A job title for the group, matching the person's gender where the title implies one."""
    options = PROVINCE_INFO_MANAGER_POSITIONS if (province_level and group is TargetGroup.INFO_MANAGER) \
        else POSITIONS[group]
    allowed = [title for title, who in options if who in ("", "f" if female else "m")]
    return rng.choice(allowed).format(place=place)
