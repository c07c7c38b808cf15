"""Every PDF of a finished course's dossier renders to images: A4, each page with ink, the expected page
counts. With MONEY_PNG_DIR set, the pages are also written there as PNG files, for a person to read."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium

from tests.conftest import login
from tests.finance.demo import finished_course
from trainer.certificates.services import issue_certificates
from trainer.extensions import db
from trainer.finance.paperwork import save_documents

OUT = os.environ.get("MONEY_PNG_DIR")
A4_POINTS = (595, 842)
# Decisions: the decision, then its annex; summons: one letter per commune (two in the demo).
PAGES = {"01-quyet-dinh-mo-lop.pdf": 2, "02-giay-trieu-tap.pdf": 2, "09-quyet-dinh-cong-nhan-hoan-thanh.pdf": 2,
         "06-danh-sach-ky-nhan-ho-tro-hoc-vien.pdf": 1, "07-danh-sach-chi-thu-lao-giang-vien.pdf": 1}


def test_every_dossier_pdf_renders_with_ink_on_a4(client, world, f):
    demo = finished_course(world, f)
    issue_certificates(demo["course"], actor=world["organizer"], store_pdfs=False)
    save_documents(world["organizer"], demo["course"], {
        "open_decision": {"number": "5", "signed_on": date(2024, 9, 25)}, "summons": {"number": "7"}})
    db.session.commit()
    login(client, world["organizer"].email)
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/courses/{demo['course'].id}/dossier.zip").data))
    pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
    assert set(PAGES) <= set(pdfs)
    for name in pdfs:
        pdf = pdfium.PdfDocument(archive.read(name))
        if name in PAGES:
            assert len(pdf) == PAGES[name], name
        for i in range(len(pdf)):
            size = tuple(round(v) for v in pdf[i].get_size())
            assert size in (A4_POINTS, A4_POINTS[::-1]), (name, size)
            image = pdf[i].render(scale=1.4).to_pil().convert("L")
            dark = sum(image.histogram()[:128])
            assert dark > 500, f"{name} page {i + 1} is nearly blank"
            if OUT:
                image.save(Path(OUT) / f"{name[:-4]}-p{i + 1}.png")
        pdf.close()
