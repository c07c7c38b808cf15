"""The first look at an upload: what kind of file it is, and whether its zip may be opened at all.

An .xlsx is a zip of XML parts, and a 1 MB zip can declare a part of a gigabyte. Nothing here
decompresses more than the first bytes of a part: the zip's directory is read (its size checked
first, from the end record), then every part's declared uncompressed size, their total and the
compression ratio are checked against what a real workbook of the accepted size needs. Python's
zipfile never hands out more than a part's declared size (and then fails its CRC), so these
declared sizes bound everything parsing can unpack. Finally no XML part may carry a DTD: entity
declarations are how an XML file multiplies its size while being parsed.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from typing import Any
from xml.parsers import expat

from trainer.core.errors import N_, DomainError, Num

MAX_BYTES = 10 * 1024 * 1024  # the upload itself
MAX_PARTS = 500  # a workbook has a dozen parts; a few per extra sheet
MAX_DIRECTORY_BYTES = 256 * 1024  # the zip's central directory (about 100 bytes a part)
# Declared uncompressed sizes. Worksheets and the shared strings are streamed, and their elements are
# counted by excel.scan before openpyxl sees them; the parts below openpyxl reads whole into a tree.
MAX_PART_BYTES = 40 * 1024 * 1024  # a sheet of 10,000 rows × 20 columns of inline text is about 14 MB
MAX_STRINGS_BYTES = 16 * 1024 * 1024  # xl/sharedStrings.xml (held in memory as a list)
MAX_TREE_BYTES = {"xl/styles.xml": 2 * 1024 * 1024, "[Content_Types].xml": 512 * 1024,
                  "docProps/core.xml": 512 * 1024, "docProps/custom.xml": 512 * 1024,
                  "xl/theme/theme1.xml": 2 * 1024 * 1024}
MAX_RELS_BYTES = 1024 * 1024  # the package's and the workbook's relationships, and the workbook part (excel.reader)
MAX_TOTAL_BYTES = 160 * 1024 * 1024
MAX_RATIO = 200  # real parts compress 3-100 times (a bloated style sheet the most); a zip bomb 1,000 times
RATIO_FLOOR = 2 * 1024 * 1024  # small parts may compress better (a sheet of repeated blanks)
PROLOG_BYTES = 64 * 1024  # an XML part's declaration and comments before its first element

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97-2003) and other compound files
_ZIP_MAGIC = b"PK\x03\x04"
_END = b"PK\x05\x06"
_END64_LOCATOR = b"PK\x06\x07"
# Each message is one msgid (its advice written out in it), so that it translates whole; numbers are Num,
# written 10.100 in Vietnamese and 10,100 in English.


def bad_file(code: str, message: str, status: int = 422, **params: Any) -> DomainError:
    """A whole-file error, its message (a template filled from `params`) also under the `file` field."""
    error = DomainError(code, message, status=status, params=params)
    error.fields = {"file": error.message}
    return error


def thousands(number: int) -> Num:
    """An integer written with the thousands separator of the message's language (10.100 in Vietnamese)."""
    return Num(number)


def megabytes(size: int) -> Num:
    """A size in whole MB (the message writes the unit: "%(size)s MB")."""
    return Num(max(1, round(size / 1024 / 1024)))


def read_bytes(fileobj: Any) -> bytes:
    """The upload's bytes, refusing more than 10 MB before anything is parsed, and files that are no .xlsx.

    Raises DomainError('file_too_large' (413) | 'empty_file' | 'legacy_xls' | 'encrypted_file' | 'not_xlsx').
    """
    data = fileobj.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise bad_file("file_too_large", N_("Tệp quá lớn: giới hạn là 10 MB. Hãy chia danh sách thành nhiều tệp."),
                       status=413)
    if not data:
        raise bad_file("empty_file", N_("Tệp rỗng, không có dữ liệu."))
    if data.startswith(_OLE2_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:  # Excel keeps a password-protected .xlsx this way
            raise bad_file("encrypted_file", N_("Tệp có đặt mật khẩu mở nên không đọc được. Hãy mở tệp trong "
                                                "Excel, bỏ mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc) rồi lưu "
                                                "lại."))
        raise bad_file("legacy_xls", N_("Tệp .xls (Excel 97-2003) không được hỗ trợ. Hãy mở tệp trong Excel, chọn "
                                        "Lưu thành (Save As) kiểu Excel Workbook (.xlsx), rồi tải lên tệp .xlsx đó."))
    if not data.startswith(_ZIP_MAGIC):
        raise bad_file("not_xlsx", _not_a_zip_message(data))
    return data


def _not_a_zip_message(data: bytes) -> str:
    """Why a file that is not a zip cannot be a workbook, in the words of what it seems to be."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or b"<table" in head:
        return N_("Tệp là một trang web (HTML) được đặt đuôi Excel, thường do phần mềm khác xuất ra. Hãy mở tệp "
                  "trong Excel, chọn Lưu thành (Save As) kiểu Excel Workbook (.xlsx), rồi tải lên tệp .xlsx đó.")
    if head.startswith(b"<?xml"):
        return N_("Tệp là XML (có thể là Bảng tính XML 2003), không phải .xlsx. Hãy mở tệp trong Excel, chọn Lưu "
                  "thành (Save As) kiểu Excel Workbook (.xlsx), rồi tải lên tệp .xlsx đó.")
    try:
        text = data[:4096].decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    if text and any(sep in text for sep in (",", ";", "\t")) and "\x00" not in text:
        return N_("Tệp là văn bản CSV (hoặc tệp văn bản) được đổi đuôi thành .xlsx, không phải bảng tính Excel. "
                  "Hãy mở tệp trong Excel, chọn Lưu thành (Save As) kiểu Excel Workbook (.xlsx), rồi tải lên tệp "
                  ".xlsx đó.")
    return N_("Tệp không phải là bảng tính Excel .xlsx. Hãy dùng tệp mẫu, hoặc mở tệp trong Excel và lưu dưới dạng "
              "Excel Workbook (.xlsx).")


def _corrupt(detail: str = "", **params: Any) -> DomainError:
    """The zip or its XML cannot be read: cut short while uploading, or damaged; `detail` (a msgid filled from
    `params`) says where."""
    if not detail:
        return bad_file("corrupt_file", N_("Tệp bị hỏng hoặc chưa được tải lên hết. Hãy mở tệp trong Excel để kiểm "
                                           "tra, lưu lại rồi tải lên lần nữa."))
    return bad_file("corrupt_file", detail, **params)


_BAD_ZIP64 = N_("Tệp bị hỏng hoặc chưa được tải lên hết (phần kết zip64 không hợp lệ). Hãy mở tệp trong Excel để "
                "kiểm tra, lưu lại rồi tải lên lần nữa.")


def _directory_size(data: bytes) -> tuple[int, int]:
    """(parts, bytes) of the zip's central directory, read from its end record without reading the directory."""
    tail = data[-(65535 + 22):]
    at = tail.rfind(_END)
    if at < 0 or len(tail) - at < 22:
        raise _corrupt(N_("Tệp bị hỏng hoặc chưa được tải lên hết (không thấy phần kết của tệp nén). Hãy mở tệp "
                          "trong Excel để kiểm tra, lưu lại rồi tải lên lần nữa."))
    _sig, _disk, _start, _here, parts, size, _offset, _comment = struct.unpack("<4s4H2LH", tail[at:at + 22])
    if parts == 0xFFFF or size == 0xFFFFFFFF:  # zip64: the real counts are in the zip64 end record
        locator = tail[at - 20:at] if at >= 20 else b""
        if not locator.startswith(_END64_LOCATOR):
            raise _corrupt(_BAD_ZIP64)
        (offset,) = struct.unpack("<Q", locator[8:16])
        record = data[offset:offset + 56]
        if len(record) < 56 or not record.startswith(b"PK\x06\x06"):
            raise _corrupt(_BAD_ZIP64)
        parts, size = struct.unpack("<QQ", record[32:48])
    return parts, size


def _too_big(name: str, size: int, limit: int) -> DomainError:
    """A part unpacks to more than a real workbook needs: a zip bomb, or something that is no list of people."""
    return bad_file("unpacked_too_large",
                    N_("Tệp khi giải nén quá lớn: phần “%(part)s” chiếm %(size)s MB (giới hạn %(limit)s MB). Một danh "
                       "sách vài nghìn người chỉ cần vài MB; tệp này có thể đã bị cố ý làm phình to. Hãy chép danh "
                       "sách sang tệp mẫu mới rồi lưu lại."),
                    part=name[:80], size=megabytes(size), limit=megabytes(limit))


def _limit_of(name: str) -> int:
    """The declared size a part may have."""
    if name in MAX_TREE_BYTES:
        return MAX_TREE_BYTES[name]
    if name == "_rels/.rels" or name.endswith("workbook.xml.rels"):
        return MAX_RELS_BYTES  # a sheet's relationships (a link per e-mail address) are never read
    if name.lower().endswith("sharedstrings.xml"):
        return MAX_STRINGS_BYTES
    return MAX_PART_BYTES


def _check_kind(names: set[str], content_types: bytes) -> None:
    """Refuse the zips that are other office files: macro-enabled or binary workbooks, OpenDocument sheets."""
    lowered = {n.lower() for n in names}
    if any(n.endswith("vbaproject.bin") for n in lowered) or b"macroEnabled" in content_types:
        raise bad_file("macro_workbook", N_("Tệp có macro (.xlsm) không được nhận vì macro có thể chứa mã độc. Hãy "
                                            "mở tệp trong Excel, chọn Lưu thành (Save As) kiểu Excel Workbook (.xlsx), "
                                            "rồi tải lên tệp .xlsx đó."))
    if "xl/workbook.bin" in lowered:
        raise bad_file("not_xlsx", N_("Tệp là Excel dạng nhị phân (.xlsb), không phải .xlsx. Hãy mở tệp trong "
                                      "Excel, chọn Lưu thành (Save As) kiểu Excel Workbook (.xlsx), rồi tải lên tệp "
                                      ".xlsx đó."))
    if "mimetype" in lowered and "content.xml" in lowered:
        raise bad_file("not_xlsx", N_("Tệp là bảng tính OpenDocument (.ods, LibreOffice), không phải .xlsx. "
                                      "Hãy chọn Lưu thành (Save As) kiểu Excel 2007-365 (.xlsx)."))
    if "[content_types].xml" not in lowered or not any(n.startswith("xl/") for n in lowered):
        raise bad_file("not_xlsx", N_("Tệp nén này không phải là bảng tính Excel .xlsx. Hãy dùng tệp mẫu, hoặc mở "
                                      "tệp trong Excel và lưu dưới dạng Excel Workbook (.xlsx)."))


def refuse_dtd(*_args: Any) -> None:
    """expat handler: XML parts of a workbook never declare a DTD or entities."""
    raise bad_file("unsafe_file", N_("Tệp có khai báo XML (DTD, entity) mà bảng tính Excel không bao giờ dùng; tệp "
                                     "không được nhận. Hãy chép danh sách sang tệp mẫu mới rồi lưu lại."))


class _RootReached(Exception):
    """The first element of a part started: its prolog is over."""


def check_prolog(archive: zipfile.ZipFile, name: str) -> None:
    """Read an XML part up to its first element and refuse a DOCTYPE (or anything but XML) before it."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd

    def root(*_args: Any) -> None:
        raise _RootReached

    parser.StartElementHandler = root
    try:
        with archive.open(name) as part:
            chunk = part.read(PROLOG_BYTES)
            parser.Parse(chunk, len(chunk) < PROLOG_BYTES)
    except _RootReached:
        return
    except expat.ExpatError:
        raise _corrupt(N_("Tệp bị hỏng hoặc chưa được tải lên hết (phần “%(part)s” không phải XML hợp lệ). Hãy mở "
                          "tệp trong Excel để kiểm tra, lưu lại rồi tải lên lần nữa."), part=name[:80]) from None
    raise _corrupt(N_("Tệp bị hỏng hoặc chưa được tải lên hết (phần “%(part)s” không có nội dung XML). Hãy mở tệp "
                      "trong Excel để kiểm tra, lưu lại rồi tải lên lần nữa."), part=name[:80])


def open_package(data: bytes) -> zipfile.ZipFile:
    """The upload as a zip, after every check that needs no parsing; the caller closes it.

    Raises DomainError('corrupt_file' | 'not_xlsx' | 'macro_workbook' | 'unpacked_too_large' | 'unsafe_file').
    """
    parts, directory = _directory_size(data)
    if parts > MAX_PARTS or directory > MAX_DIRECTORY_BYTES:
        raise bad_file("unsafe_file", N_("Tệp nén có %(parts)s phần, quá nhiều cho một bảng tính (giới hạn "
                                         "%(limit)s). Hãy chép danh sách sang tệp mẫu mới rồi lưu lại."),
                       parts=thousands(parts), limit=MAX_PARTS)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise _corrupt() from None
    try:
        _check_parts(archive)
    except BaseException:
        archive.close()
        raise
    return archive


def _check_parts(archive: zipfile.ZipFile) -> None:
    """Declared sizes, total, ratio, the kind of file, and no DTD in any XML part."""
    infos = archive.infolist()
    names = {info.filename for info in infos}
    total = 0
    for info in infos:
        limit = _limit_of(info.filename)
        if info.file_size > limit:
            raise _too_big(info.filename, info.file_size, limit)
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise bad_file("unpacked_too_large",
                           N_("Tệp có phần “%(part)s” khi giải nén lớn gấp %(ratio)s lần khi nén (tệp Excel thật chỉ "
                              "gấp vài chục lần): tệp có thể đã bị cố ý làm phình to. Hãy chép danh sách sang tệp mẫu "
                              "mới rồi lưu lại."), part=info.filename[:80], ratio=thousands(ratio))
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise bad_file("unpacked_too_large",
                       N_("Tệp khi giải nén quá lớn: phần “toàn bộ tệp” chiếm %(size)s MB (giới hạn %(limit)s MB). Một "
                          "danh sách vài nghìn người chỉ cần vài MB; tệp này có thể đã bị cố ý làm phình to. Hãy chép "
                          "danh sách sang tệp mẫu mới rồi lưu lại."),
                       size=megabytes(total), limit=megabytes(MAX_TOTAL_BYTES))
    try:
        content_types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
        _check_kind(names, content_types)
        for info in infos:
            if info.filename.endswith((".xml", ".rels")) and info.file_size:
                check_prolog(archive, info.filename)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        raise _corrupt() from None  # RuntimeError: an encrypted part; NotImplementedError: an unknown compression


__all__ = ["MAX_BYTES", "bad_file", "check_prolog", "megabytes", "open_package", "read_bytes", "refuse_dtd",
           "thousands"]
