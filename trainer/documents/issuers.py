"""Who issues a unit's documents on a given date, when the unit has no settings of its own for that date.

Pure rules (no database). The dates that matter for Project 6 (2021-2025):
- until 28/02/2025 the programme was run by the information and communications sector: Bộ/Sở Thông tin và
  Truyền thông, and in a district the Phòng Văn hóa và Thông tin;
- from 01/03/2025 (the ministries merged) the grassroots-information work went to the culture sector: Bộ/Sở Văn hóa,
  Thể thao và Du lịch; the poverty-reduction programme's standing body moved from Lao động - Thương binh và Xã hội
  to Nông nghiệp và Môi trường;
- from 01/07/2025 the districts no longer exist and the units of the 2024 list issue nothing: a commune's Phòng
  Văn hóa - Xã hội or the province's Sở issues, in the 2025 list.

A district keeps "Phòng Văn hóa và Thông tin" until 30/06/2025 (some districts renamed it in March 2025: a unit's
settings by period record that). Everything here is a default: a unit's stored settings override it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from trainer.core.text import nfc

SECTOR_MERGER = date(2025, 3, 1)  # Sở Thông tin và Truyền thông merged; culture sector takes the programme
DISTRICTS_ABOLISHED = date(2025, 7, 1)  # two-tier local government: no more districts
BLANK_DATE_LINE = "…, ngày … tháng … năm …"  # for forms signed by hand

# Type words a unit's name starts with, longest first ("Thành phố" before "Thị").
_TYPES = ("Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Tỉnh", "Huyện", "Quận", "Phường", "Xã")
# Decree 30 keeps these whole on the place-and-date line.
_WHOLE_PLACE_NAMES = ("Thành phố Hồ Chí Minh",)


@dataclass(frozen=True)
class Letterhead:
    """Who issues and signs a document (a unit's settings for a period, a course's copy, or the defaults here).

    Names are kept as written ("UBND huyện Tân Yên", "Phòng Văn hóa và Thông tin"); documents print the agency lines
    and the signer's prefix and title in capitals. The API calls them agency_parent, agency_name, place_name,
    signer_title and signer_name.
    """

    parent_agency: str
    agency: str
    place_name: str
    signer_prefix: str = ""  # "KT. TRƯỞNG PHÒNG", "TM. ỦY BAN NHÂN DÂN"
    signer_title: str = ""  # "PHÓ TRƯỞNG PHÒNG"
    signer_name: str = ""
    agency_abbr: str = ""  # "VHTT", for "Số: 05/BC-VHTT"
    recipients: tuple[str, ...] = ()


def split_unit_name(unit_name: str) -> tuple[str, str]:
    """("Huyện", "Tân Yên") from "Huyện Tân Yên"; ("", name) when no type word leads."""
    name = nfc(unit_name).strip()
    for word in _TYPES:
        if name.startswith(word + " "):
            return word, name[len(word) + 1:]
    return "", name


def place_name(unit_name: str) -> str:
    """The place (địa danh) of the place-and-date line for an agency of this unit, per Decree 30: the unit's name
    without its type ("Huyện Tân Yên" → "Tân Yên"), whole where the rest is a number ("Quận 5", "Phường 12") and
    for "Thành phố Hồ Chí Minh". The one rule every document's place comes from."""
    name = nfc(unit_name).strip()
    if name in _WHOLE_PLACE_NAMES:
        return name
    word, rest = split_unit_name(name)
    if word and rest.isdigit():
        return f"{word} {rest}"
    return rest


def committee_of(unit_name: str) -> str:
    """"Ủy ban nhân dân huyện Tân Yên" from "Huyện Tân Yên" (the domain's example of a parent agency, printed
    "ỦY BAN NHÂN DÂN HUYỆN TÂN YÊN")."""
    word, rest = split_unit_name(unit_name)
    return f"Ủy ban nhân dân {word.lower()} {rest}" if word else f"Ủy ban nhân dân {rest}"


def default_issuer(unit_name: str, level: str, scheme: str, on: date) -> Letterhead | None:
    """The issuer in force on `on` for a unit (its name, level and list scheme), or None when the unit issues
    nothing on that date (a unit of the 2024 list from 01/07/2025; a unit of the 2025 list before it): the
    organizer then chooses the issuer (a commune's UBND, the province's Sở...)."""
    if scheme == "2024" and on >= DISTRICTS_ABOLISHED:
        return None
    if scheme == "2025" and on < DISTRICTS_ABOLISHED:
        return None
    committee = committee_of(unit_name)
    place = place_name(unit_name)
    before_merger = on < SECTOR_MERGER
    if level == "province":
        if before_merger:
            issuer = Letterhead(committee, "Sở Thông tin và Truyền thông", place, signer_title="GIÁM ĐỐC",
                                agency_abbr="STTTT")
        else:
            issuer = Letterhead(committee, "Sở Văn hóa, Thể thao và Du lịch", place, signer_title="GIÁM ĐỐC",
                                agency_abbr="SVHTTDL")
    elif level == "district":
        issuer = Letterhead(committee, "Phòng Văn hóa và Thông tin", place, signer_title="TRƯỞNG PHÒNG",
                            agency_abbr="VHTT")
    elif scheme == "2025":  # the commune's own culture-and-society office
        issuer = Letterhead(committee, "Phòng Văn hóa - Xã hội", place, signer_title="TRƯỞNG PHÒNG", agency_abbr="VHXH")
    else:  # a commune of the 2024 list had no offices: its People's Committee issues and signs
        issuer = Letterhead("", committee, place,
                            signer_prefix="TM. ỦY BAN NHÂN DÂN", signer_title="CHỦ TỊCH", agency_abbr="UBND")
    return replace(issuer, recipients=default_recipients(level, scheme, on, issuer.agency_abbr))


def default_recipients(level: str | None, scheme: str, on: date, abbr: str = "") -> tuple[str, ...]:
    """"Nơi nhận:" of a report: the superior body (b/c), the committee, the body in charge of the poverty
    programme (Lao động - Thương binh và Xã hội until 28/02/2025, then Nông nghiệp và Môi trường), the archive."""
    before_merger = on < SECTOR_MERGER
    archive = f"- Lưu: VT, {abbr}." if abbr else "- Lưu: VT."
    if level is None:  # the whole country: the ministry's own report
        return (archive,)
    if level == "province":
        return ("- Bộ Thông tin và Truyền thông (b/c);" if before_merger
                else "- Bộ Văn hóa, Thể thao và Du lịch (b/c);",
                "- UBND tỉnh (b/c);",
                "- Sở Lao động - Thương binh và Xã hội;" if before_merger else "- Sở Nông nghiệp và Môi trường;",
                archive)
    if level == "district":
        return ("- Sở Thông tin và Truyền thông (b/c);" if before_merger
                else "- Sở Văn hóa, Thể thao và Du lịch (b/c);",
                "- UBND huyện (b/c);",
                "- Phòng Lao động - Thương binh và Xã hội;" if before_merger
                else "- Phòng Nông nghiệp và Môi trường;",
                archive)
    if scheme == "2025":
        return ("- Sở Văn hóa, Thể thao và Du lịch (b/c);", "- UBND xã (b/c);", "- Sở Nông nghiệp và Môi trường;",
                archive)
    return ("- Phòng Văn hóa và Thông tin huyện (b/c);",
            "- Phòng Lao động - Thương binh và Xã hội huyện;" if before_merger
            else "- Phòng Nông nghiệp và Môi trường huyện;",
            archive)


def national_issuer(on: date) -> Letterhead:
    """The ministry in charge, for the whole country's report."""
    if on < SECTOR_MERGER:
        return Letterhead("", "Bộ Thông tin và Truyền thông", "Hà Nội", signer_title="BỘ TRƯỞNG", agency_abbr="BTTTT",
                      recipients=("- Lưu: VT, BTTTT.",))
    return Letterhead("", "Bộ Văn hóa, Thể thao và Du lịch", "Hà Nội", signer_title="BỘ TRƯỞNG", agency_abbr="BVHTTDL",
                  recipients=("- Lưu: VT, BVHTTDL.",))
