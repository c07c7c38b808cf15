"""Writes the demo course's PDFs as PNG files into $MONEY_PNG_DIR (skipped unless set): for a person to look at."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from tests.conftest import login
from tests.finance.demo import finished_course
from trainer.certificates.services import issue_certificates
from trainer.extensions import db
from trainer.finance.paperwork import save_documents

OUT = os.environ.get("MONEY_PNG_DIR")


@pytest.mark.skipif(not OUT, reason="MONEY_PNG_DIR not set")
def test_write_pngs(client, world, f):
    demo = finished_course(world, f)
    issue_certificates(demo["course"], actor=world["organizer"], store_pdfs=False)
    save_documents(world["organizer"], demo["course"], {
        "open_decision": {"number": "5", "signed_on": date(2024, 9, 25)}, "summons": {"number": "7"}})
    db.session.commit()
    login(client, world["organizer"].email)
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/courses/{demo['course'].id}/dossier.zip").data))
    for name in archive.namelist():
        if name.endswith(".pdf"):
            pdf = pdfium.PdfDocument(archive.read(name))
            for i in range(len(pdf)):
                pdf[i].render(scale=1.4).to_pil().save(Path(OUT) / f"{name[:-4]}-p{i + 1}.png")
            Path(OUT, name).write_bytes(archive.read(name))
