"""Certificate pages: ms/page of a 1,000-page batch against the same pages without their QR code
(the floor), and the peak memory of the batch. Goal: under 10 ms a page.

Usage: python scripts/bench/certificates.py [--pages 1000]
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def _pages(count: int):
    from trainer.certificates.models import new_verification_code
    from trainer.certificates.pdf import CertificateData
    from trainer.documents.layout import Letterhead

    head = Letterhead(parent_agency="ỦY BAN NHÂN DÂN HUYỆN TÂN YÊN", agency="PHÒNG VĂN HÓA VÀ THÔNG TIN",
                      place_name="Tân Yên", signer_prefix="KT. TRƯỞNG PHÒNG", signer_title="PHÓ TRƯỞNG PHÒNG",
                      signer_name="Trần Văn Bình")
    for i in range(count):
        code = new_verification_code()
        yield CertificateData(
            full_name=f"Nguyễn Thị Hằng {i}", birth_date=date(1985, 3, 15), unit_name="Thị trấn Nhã Nam",
            position="Công chức Văn hóa - Xã hội",
            curriculum_title="Chương trình bồi dưỡng kiến thức, kỹ năng chuyên môn, nghiệp vụ thông tin cơ sở cho "
                             "công chức văn hóa - xã hội cấp xã phụ trách đài truyền thanh cấp xã",
            course_title="Lớp bồi dưỡng thông tin cơ sở năm 2024", start_date=date(2024, 10, 1),
            end_date=date(2024, 10, 3), venue="Hội trường UBND huyện Tân Yên", hours=14, letterhead=head,
            serial=f"{i + 1:04d}/2024", code=code, issued_on=date(2024, 10, 5),
            verify_url=f"https://trainer.example.vn/verify/{code}")


def main() -> int:
    """Time both batches in one run and print ms/page, the ratio and the peak memory."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=1000)
    args = parser.parse_args()
    from config import TestingConfig
    from trainer import create_app
    from trainer.certificates.pdf import render_certificates
    from trainer.documents.fonts import font_set

    with create_app(TestingConfig).app_context():
        font_set()  # registering the fonts is start-up, not per page
        render_certificates(list(_pages(5)))  # warm-up
        items = list(_pages(args.pages))
        timings = {}
        for label, with_qr in (("floor", False), ("certificates", True)):
            started = time.perf_counter()
            pdf = render_certificates(items, with_qr=with_qr)
            timings[label] = (time.perf_counter() - started) * 1000 / args.pages
            timings[label + "_size"] = len(pdf) / 1024 / 1024
        tracemalloc.start()  # a separate pass: tracing allocations slows the code it measures
        render_certificates(items)
        timings["certificates_peak"] = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
    floor, ours = timings["floor"], timings["certificates"]
    print(f"certificate page floor (no QR): {floor:.1f} ms/page (1.00 of floor)")
    print(f"certificate page: {ours:.1f} ms/page ({ours / floor:.2f}x floor; goal < 10 ms/page)")
    print(f"certificate QR part: {ours - floor:.1f} ms/page")
    print(f"certificate batch peak memory: {timings['certificates_peak']:.0f} MB for {args.pages} pages "
          f"({timings['certificates_size']:.1f} MB PDF)")
    return 0 if ours < 10 else 2


if __name__ == "__main__":
    sys.exit(main())
