"""A course's decisions and letters in the Decree 30 layout: the decision to open the class (with its trainee
list), a summons letter (giấy triệu tập) per commune, the decision recognising completion (with the certificate
holders). Pure: data in, PDF bytes out.

Number and date are the user's: without them the document leaves "Số: ……/QĐ-..." and "…, ngày … tháng … năm …"
blank, to be filled by hand."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from trainer.documents.fonts import font_set, text
from trainer.documents.layout import (
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    CourseInfo,
    Letterhead,
    SignatureBlock,
    date_range,
    date_words,
    draw_header,
    header_height,
    number_later_pages,
    para,
    paragraph_styles,
)

# The programme's legal bases, cited by every decision (domain/curricula.md).
BASES = (
    "Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ phê duyệt Chương trình mục tiêu quốc "
    "gia giảm nghèo bền vững giai đoạn 2021 - 2025;",
    "Căn cứ Thông tư số 06/2022/TT-BTTTT của Bộ trưởng Bộ Thông tin và Truyền thông hướng dẫn thực hiện Dự án 6 "
    "“Truyền thông và giảm nghèo về thông tin” thuộc Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn "
    "2021 - 2025;",
    "Căn cứ Quyết định số 1288/QĐ-BTTTT ngày 17/7/2023 của Bộ trưởng Bộ Thông tin và Truyền thông ban hành 04 "
    "Chương trình nâng cao năng lực cho cán bộ thông tin và truyền thông;",
)
FUNDING = ("Kinh phí tổ chức lớp học từ nguồn kinh phí thực hiện Dự án 6 thuộc Chương trình mục tiêu quốc gia giảm "
           "nghèo bền vững giai đoạn 2021 - 2025; nội dung và mức chi theo định mức chi hiện hành của tỉnh.")
_PREFIXES = ("KT.", "TM.", "TL.", "TUQ.", "Q.")


@dataclass(frozen=True)
class Person:
    """A trainee as a decision or letter lists them."""

    full_name: str
    birth_date: date | None = None
    position: str = ""
    workplace: str = ""  # "UBND xã Cao Xá"
    serial: str = ""  # the certificate's register number (completion decision)


@dataclass(frozen=True)
class Numbering:
    """The number and date the user entered (blank when not yet)."""

    number: str = ""
    signed_on: date | None = None


@dataclass(frozen=True)
class CourseLetter:
    """What one of the course's documents prints."""

    letterhead: Letterhead
    course: CourseInfo
    numbering: Numbering
    people: tuple[Person, ...] = ()
    bases: tuple[str, ...] = ()  # further "Căn cứ ..." lines entered by the user
    opens_at: datetime | None = None  # local time of the first session (summons)
    groups: tuple[tuple[str, tuple[Person, ...]], ...] = field(default=())  # summons: (workplace, people)
    open_decision: Numbering | None = None  # cited by the completion decision


def number_line(numbering: Numbering, kind: str, agency_abbr: str) -> str:
    """"Số: 05/QĐ-VHTT" (zero-padded under 10), the user's own text when it has a "/", or a blank to fill in."""
    number = text(numbering.number)
    suffix = f"/{kind}-{agency_abbr}" if agency_abbr else f"/{kind}"
    if not number:
        return f"Số: ……{suffix}"
    if "/" in number:
        return f"Số: {number}"
    return f"Số: {int(number):02d}{suffix}" if number.isdigit() else f"Số: {number}{suffix}"


def date_line(place: str, day: date | None) -> str:
    """"Tân Yên, ngày 05 tháng 01 năm 2025", or the blank form "Tân Yên, ngày … tháng … năm …"."""
    words = date_words(day) if day else "ngày … tháng … năm …"
    return f"{text(place)}, {words}" if text(place) else words[0].upper() + words[1:]


def authority(letterhead: Letterhead) -> str:
    """Who decides, as the line above "QUYẾT ĐỊNH:" names them: "TRƯỞNG PHÒNG VĂN HÓA VÀ THÔNG TIN", "ỦY BAN
    NHÂN DÂN XÃ ...", "GIÁM ĐỐC SỞ ..."."""
    agency = text(letterhead.agency).upper()
    head = text(letterhead.signer_prefix).upper()
    for prefix in _PREFIXES:
        if head.startswith(prefix):
            head = head[len(prefix):].strip()
            break
    head = head or text(letterhead.signer_title).upper()
    if not head or agency.startswith(head) or head.startswith("ỦY BAN"):
        return agency
    last = head.split()[-1]
    if agency.startswith(last + " "):
        return f"{head} {agency[len(last) + 1:]}"
    return f"{head} {agency}"


class DocumentHead(Flowable):
    """The header blocks with the number under the agency and the place-and-date line (italic) level with it on
    the right, as Decree 30 sets them."""

    def __init__(self, letterhead: Letterhead, number: str, dated: str) -> None:
        """Head a document numbered `number`, dated `dated`."""
        super().__init__()
        self.letterhead, self.number, self.dated = letterhead, number, dated

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """The frame's width and the header's height."""
        self.width = avail_width
        self.height = header_height(self.letterhead, avail_width, self.number)
        return self.width, self.height

    def draw(self) -> None:
        """Draw the header, then the date on the number's baseline, centred in the right column."""
        bottom = draw_header(self.canv, self.letterhead, left=0, right=self.width, top=self.height, number=self.number)
        self.canv.setFont(font_set().italic, 13)
        self.canv.drawCentredString(self.width * 0.71, bottom + 13 * 0.25, self.dated)


def _styles() -> dict:
    """Body styles: justified 13-14 pt paragraphs with a first-line indent, articles, the bases in italic."""
    styles = paragraph_styles()
    body = styles["body"].clone("letter", fontSize=13.5, leading=19, alignment=TA_JUSTIFY, firstLineIndent=10 * mm,
                                spaceAfter=3)
    styles.update({"letter": body, "basis": body.clone("basis", fontName=font_set().italic),
                   "plain": body.clone("plain", firstLineIndent=0),
                   "recipients_head": styles["body"].clone("rh", fontName=font_set().bold_italic, fontSize=12,
                                                           leading=14),
                   "recipient": styles["body"].clone("rc", fontSize=11, leading=13.5)})
    return styles


def _archive(letterhead: Letterhead) -> str:
    """"VT, VHTT": the records office, then the drafting unit's abbreviation."""
    return f"VT, {text(letterhead.agency_abbr)}" if text(letterhead.agency_abbr) else "VT"


def _summary_rule() -> HRFlowable:
    """The short line under a document's summary (Decree 30)."""
    return HRFlowable(width="22%", thickness=0.6, color="black", spaceBefore=3, spaceAfter=0, hAlign="CENTER")


def _closing(letterhead: Letterhead, recipients: list[str]) -> Table:
    """"Nơi nhận:" on the left, level with the signature block on the right."""
    styles = _styles()
    left = [Paragraph("Nơi nhận:", styles["recipients_head"])]
    left += [Paragraph(para(line), styles["recipient"]) for line in recipients]
    table = Table([[left, SignatureBlock(letterhead, None, share=1.0)]], colWidths=["45%", "55%"])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _people_table(people: tuple[Person, ...], width: float, *, serials: bool = False) -> Table:
    """STT, name, year of birth, position or register number, workplace; the header repeats on every page."""
    styles = paragraph_styles()
    third = ("Số vào sổ GCN", "serial") if serials else ("Chức vụ", "position")
    head = ["STT", "Họ và tên", "Năm sinh", third[0], "Đơn vị công tác"]
    body = [[Paragraph(label, styles["cell_head"]) for label in head]]
    for index, person in enumerate(people, start=1):
        year = str(person.birth_date.year) if person.birth_date else ""
        values = [str(index), person.full_name, year, getattr(person, third[1]), person.workplace]
        body.append([Paragraph(para(v), styles["cell_center" if i in (0, 2) else "cell"])
                     for i, v in enumerate(values)])
    shares = (0.07, 0.28, 0.1, 0.25, 0.3)
    table = Table(body, colWidths=[s * width for s in shares], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    return table


def _document(title: str, story: list) -> bytes:
    """Build an A4 portrait document with page numbers from page 2."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
                            topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=title, creator="trainer")
    doc.build(story, onLaterPages=number_later_pages)
    return buffer.getvalue()


def _class_name(course: CourseInfo) -> str:
    """"lớp bồi dưỡng CT1 Tân Yên" from the title "Lớp bồi dưỡng CT1 Tân Yên"."""
    title = text(course.title)
    return "lớp " + title[4:] if title.lower().startswith("lớp ") else f"lớp “{title}”"


def _decision(data: CourseLetter, summary: str, articles: list[str], annex_title: str, *, serials: bool) -> bytes:
    """A decision: header, type and summary, authority, bases, articles, closing; the people as its annex."""
    styles = _styles()
    head = data.letterhead
    width = A4[0] - MARGIN_LEFT - MARGIN_RIGHT
    number = number_line(data.numbering, "QĐ", text(head.agency_abbr))
    story: list = [DocumentHead(head, number, date_line(head.place_name, data.numbering.signed_on)),
                   Spacer(1, 8 * mm), Paragraph("QUYẾT ĐỊNH", styles["title"]),
                   Paragraph(para(summary), styles["subtitle"]), _summary_rule(), Spacer(1, 5 * mm),
                   Paragraph(para(authority(head)), styles["subtitle"]), Spacer(1, 4 * mm)]
    story += [Paragraph(para(basis), styles["basis"]) for basis in (*BASES, *data.bases)]
    story += [Spacer(1, 3 * mm), Paragraph("QUYẾT ĐỊNH:", styles["subtitle"]), Spacer(1, 3 * mm)]
    for index, article in enumerate(articles, start=1):
        story.append(Paragraph(f"<b>Điều {index}.</b> {para(article)}", styles["letter"]))
    recipients = [f"- Như Điều {len(articles)};", f"- Lưu: {_archive(head)}."]
    story += [Spacer(1, 6 * mm), KeepTogether(_closing(head, recipients)), PageBreak(),
              Paragraph(annex_title, styles["title"])]
    cited = number.removeprefix("Số:").strip()
    signed = f" ngày {data.numbering.signed_on:%d/%m/%Y}" if data.numbering.signed_on else " ngày …/…/……"
    story += [Paragraph(para(f"(Kèm theo Quyết định số {cited}{signed})"),
                        styles["center"]),
              Paragraph(para(f"{text(data.course.title)}, {date_range(data.course.start_date, data.course.end_date)}"),
                        styles["center"]), Spacer(1, 4 * mm), _people_table(data.people, width, serials=serials),
              Spacer(1, 2 * mm), Paragraph(f"Tổng số: {len(data.people)} người.", styles["plain"])]
    return _document(summary, story)


def render_open_decision(data: CourseLetter) -> bytes:
    """The decision to open the class, with its trainee list as the annex."""
    course = data.course
    where = f", tại {text(course.venue)}" if text(course.venue) else ""
    dates = date_range(course.start_date, course.end_date)
    articles = [f"Mở {_class_name(course)} ({text(course.curriculum_title)}) {dates}{where}, cho {len(data.people)} "
                "học viên có tên trong danh sách kèm theo Quyết định này.",
                FUNDING,
                "Quyết định này có hiệu lực kể từ ngày ký. Các cơ quan, đơn vị có liên quan và các học viên có tên "
                "tại Điều 1 chịu trách nhiệm thi hành Quyết định này./."]
    return _decision(data, f"Về việc mở {_class_name(course)}", articles, "DANH SÁCH HỌC VIÊN", serials=False)


def render_completion_decision(data: CourseLetter) -> bytes:
    """The decision recognising completion, with the certificate holders as the annex."""
    course = data.course
    opened = data.open_decision
    bases = data.bases
    if opened is not None and text(opened.number):
        day = f" ngày {opened.signed_on:%d/%m/%Y}" if opened.signed_on else ""
        cited = number_line(opened, "QĐ", text(data.letterhead.agency_abbr)).removeprefix("Số:").strip()
        bases = (f"Căn cứ Quyết định số {cited}{day} về việc mở {_class_name(course)};", *bases)
    articles = [f"Công nhận {len(data.people)} học viên có tên trong danh sách kèm theo Quyết định này đã hoàn thành "
                f"{_class_name(course)} ({text(course.curriculum_title)}), "
                f"{date_range(course.start_date, course.end_date)}, và được cấp giấy chứng nhận.",
                "Quyết định này có hiệu lực kể từ ngày ký.",
                "Các cơ quan, đơn vị có liên quan và các học viên có tên tại Điều 1 chịu trách nhiệm thi hành "
                "Quyết định này./."]
    letter = CourseLetter(data.letterhead, course, data.numbering, data.people, bases)
    return _decision(letter, f"Về việc công nhận hoàn thành {_class_name(course)}", articles,
                     "DANH SÁCH HỌC VIÊN HOÀN THÀNH KHÓA HỌC ĐƯỢC CẤP GIẤY CHỨNG NHẬN", serials=True)


def render_summons(data: CourseLetter) -> bytes:
    """One summons letter per commune (each on its own pages), listing its officers, with time and place."""
    styles = _styles()
    head = data.letterhead
    width = A4[0] - MARGIN_LEFT - MARGIN_RIGHT
    course = data.course
    number = number_line(data.numbering, "GTT", text(head.agency_abbr))
    when = (f"{data.opens_at:%H} giờ {data.opens_at:%M}, ngày {data.opens_at:%d/%m/%Y} (khai giảng); "
            if data.opens_at else "")
    story: list = []
    for index, (workplace, people) in enumerate(data.groups):
        if index:
            story.append(PageBreak())
        story += [DocumentHead(head, number, date_line(head.place_name, data.numbering.signed_on)),
                  Spacer(1, 8 * mm), Paragraph("GIẤY TRIỆU TẬP", styles["title"]),
                  Paragraph(para(f"Tham dự {_class_name(course)}"), styles["subtitle"]), _summary_rule(),
                  Spacer(1, 6 * mm),
                  Paragraph(para(f"Trân trọng triệu tập các ông (bà) có tên sau đây, thuộc {workplace}:"),
                            styles["letter"]),
                  _people_table(people, width), Spacer(1, 3 * mm),
                  Paragraph(para(f"Tham dự {_class_name(course)} ({text(course.curriculum_title)})."),
                            styles["letter"]),
                  Paragraph(para(f"Thời gian: {when}lớp học {date_range(course.start_date, course.end_date)}."),
                            styles["letter"]),
                  Paragraph(para(f"Địa điểm: {text(course.venue) or '(sẽ thông báo sau)'}."), styles["letter"]),
                  Paragraph(para(f"Đề nghị {workplace} tạo điều kiện để các ông (bà) có tên trên tham dự đầy đủ, đúng "
                                 "thời gian. Học viên mang theo giấy triệu tập này khi đến lớp./."), styles["letter"]),
                  Spacer(1, 6 * mm),
                  KeepTogether(_closing(head, ["- Như trên;", f"- {workplace};", f"- Lưu: {_archive(head)}."]))]
    if not story:
        story = [Paragraph("Khóa học chưa có học viên để triệu tập.", styles["plain"])]
    return _document(f"Giấy triệu tập - {text(course.title)}", story)
