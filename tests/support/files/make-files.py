#!/usr/bin/env python3
"""Writes the small test files of tests/integration/support_test.cpp into this folder: a real
tiny PDF, PNG, JPEG, an Excel 97 workbook (.xls) and a PowerPoint 97 file (.ppt) (OLE2
compound files with the stream each program names), a valid PowerPoint template (.potx), a
.potx « zip bomb » (a few KB that expand to 64 MB), and a .potx that is a plain presentation.
Run it again to regenerate them: python3 tests/support/files/make-files.py"""
import os
import struct
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def pdf():
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        None,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    stream = b"BT /F1 12 Tf 20 50 Td (Capture SAS) Tj ET"
    objects[3] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def png():
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))  # 4×4 red
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def jpeg():
    # A 1×1 grey baseline JPEG (JFIF), written segment by segment.
    soi = b"\xff\xd8"
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    dqt = b"\xff\xdb" + struct.pack(">H", 67) + b"\x00" + bytes([1] * 64)
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 1, 1, 1) + b"\x01\x11\x00"
    # DC table: one code of length 1 for category 0; AC table: one code of length 1 for EOB.
    dht_dc = b"\xff\xc4" + struct.pack(">H", 20) + b"\x00" + bytes([1] + [0] * 15) + b"\x00"
    dht_ac = b"\xff\xc4" + struct.pack(">H", 20) + b"\x10" + bytes([1] + [0] * 15) + b"\x00"
    sos = b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00\x00\x3f\x00"
    data = b"\x00"  # DC diff 0 (code 0), EOB (code 0), padded
    return soi + app0 + dqt + sof + dht_dc + dht_ac + sos + data + b"\xff\xd9"


def summary_information(application):
    """A SummaryInformation property set naming the application (PIDSI_APPNAME)."""
    text = application.encode("latin-1") + b"\x00"
    text = text.ljust((len(text) + 3) // 4 * 4, b"\x00")
    prop = struct.pack("<II", 0x1E, len(text)) + text  # VT_LPSTR
    section = struct.pack("<II", 8 + 8 + len(prop), 1) + struct.pack("<II", 0x12, 16) + prop
    fmtid = bytes.fromhex("e0859ff2f94f6810ab9108002b27b3d9")
    return (struct.pack("<HHI", 0xFFFE, 0, 0x00020005) + b"\x00" * 16 + struct.pack("<I", 1)
            + fmtid + struct.pack("<I", 48) + section)


def compound(streams):
    """An OLE2 compound file (version 3, 512-byte sectors) holding these (name, data) streams,
    each padded to the 4096-byte cut-off so that it lives in regular sectors."""
    free, end, fatsect, nostream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108
    fat = [fatsect, end]
    starts, body = [], b""
    for _, data in streams:
        data = data.ljust(4096, b"\x00")
        n = len(data) // 512
        first = len(fat)
        starts.append(first)
        fat += [first + i + 1 for i in range(n - 1)] + [end]
        body += data
    fat += [free] * (128 - len(fat))

    def entry(name, kind, right, child, start, size):
        encoded = name.encode("utf-16-le") + b"\x00\x00" if name else b""
        return (encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), kind, 1 if name else 0)
                + struct.pack("<III", nostream, right, child) + b"\x00" * 16 + b"\x00" * 4
                + b"\x00" * 16 + struct.pack("<II", start, size) + b"\x00" * 4)

    # Siblings in a chain of right links (names in the order of the file format: by length).
    ordered = sorted(range(len(streams)), key=lambda i: (len(streams[i][0]), streams[i][0].upper()))
    directory = entry("Root Entry", 5, nostream, 1, end, 0)
    entries = [None] * len(streams)
    for pos, i in enumerate(ordered):
        right = 2 + pos if pos + 1 < len(ordered) else nostream
        entries[pos] = entry(streams[i][0], 2, right, nostream, starts[i], 4096)
    directory += b"".join(entries)
    directory += entry("", 0, nostream, nostream, 0, 0) * (4 - 1 - len(streams))
    return header + struct.pack("<128I", *fat) + directory + body


CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.{main}.main+xml"/>
</Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="ppt/presentation.xml"/>
</Relationships>"""
PRESENTATION = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>"""


def potx(name, main="template", bomb=False):
    with zipfile.ZipFile(os.path.join(HERE, name), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=main))
        z.writestr("_rels/.rels", RELS)
        z.writestr("ppt/presentation.xml", PRESENTATION)
        if bomb:
            z.writestr("ppt/media/image1.png", b"\x00" * (64 * 1024 * 1024))


write("capture.pdf", pdf())
write("capture.png", png())
write("photo.jpg", jpeg())
write("tableau.xls", compound([("Workbook", b"\x09\x08\x10\x00\x00\x06\x05\x00"),
                                ("\x05SummaryInformation", summary_information("Microsoft Excel"))]))
write("diaporama.ppt", compound([("PowerPoint Document", b"\x00\x00\xe8\x03"),
                                 ("\x05SummaryInformation",
                                  summary_information("Microsoft Office PowerPoint"))]))
potx("modele.potx")
potx("bombe.potx", bomb=True)
potx("presentation.potx", main="presentation")
