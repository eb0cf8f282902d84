"""parse_document on every accepted file type, and on the ways a user can get a file wrong."""
from __future__ import annotations

import codecs
import io
import json

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.errors import UserError
from index.ingest.decode import decode_bytes, looks_binary
from index.ingest.parsers import ACCEPTED_EXTENSIONS, parse_document

QUOTE_TEXT = "The minister said: \u201cWe will not back down\u201d, adding that the plan\u2019s cost was \u00a33m."


def one(data: bytes, filename: str):
    docs = parse_document(data, filename)
    assert len(docs) == 1
    assert docs[0].label == filename
    assert docs[0].error is None
    return docs[0]


def raises_naming(data: bytes, filename: str) -> str:
    with pytest.raises(UserError) as info:
        parse_document(data, filename)
    message = str(info.value)
    assert filename in message
    assert "\n" not in message
    return message


# --- plain text and encodings -------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252"])
def test_txt_encodings_round_trip(encoding: str) -> None:
    text = f"Headline\n\n{QUOTE_TEXT}\n"
    assert one(text.encode(encoding), "a.txt").text == text


def test_txt_utf16_big_endian_with_bom() -> None:
    text = f"Headline\n\n{QUOTE_TEXT}"
    assert one(codecs.BOM_UTF16_BE + text.encode("utf-16-be"), "a.txt").text == text


def test_txt_latin1() -> None:
    text = "Caf\u00e9 na\u00efve r\u00e9sum\u00e9, \u00fcber gr\u00f6\u00dfe Stra\u00dfe.\n"
    assert one(text.encode("latin-1"), "a.txt").text == text


def test_txt_cp1252_curly_quote_bytes() -> None:
    data = b"He said \x93hello\x94 and it\x92s fine."
    assert one(data, "a.txt").text == "He said \u201chello\u201d and it\u2019s fine."


def test_txt_windows_and_mac_newlines_normalised() -> None:
    assert one(b"one\r\n\r\ntwo\rthree", "a.txt").text == "one\n\ntwo\nthree"


def test_txt_text_not_otherwise_changed() -> None:
    # Decomposed "e" + combining accent and double spaces must survive as they are.
    text = "Cafe\u0301  with   spaces\t tab \n"
    assert one(text.encode("utf-8"), "a.txt").text == text


def test_txt_has_no_metadata() -> None:
    doc = one(b"By JOHN SMITH\n\nJanuary 12, 2026\n\nBody text.", "a.txt")
    assert doc.declared.authors == [] and doc.html_meta.published is None


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t ", "\ufeff".encode("utf-8")])
def test_empty_file_rejected(data: bytes) -> None:
    assert "empty" in raises_naming(data, "empty.txt")


def test_binary_rejected() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
    assert "binary" in raises_naming(png, "photo.txt")
    assert looks_binary(png)


def test_control_characters_rejected() -> None:
    assert looks_binary(bytes(range(1, 9)) * 20 + b"some text")
    assert not looks_binary("plain text\twith a tab\n".encode())


def test_utf16_with_bom_is_not_binary() -> None:
    data = "hello world".encode("utf-16")
    assert b"\x00" in data and not looks_binary(data)
    assert decode_bytes(data) == "hello world"


def test_unknown_extension_names_accepted_types() -> None:
    message = raises_naming(b"hello", "notes.rtf")
    assert all(ext in message for ext in ACCEPTED_EXTENSIONS)
    raises_naming(b"hello", "README")


def test_extension_case_insensitive() -> None:
    assert one(b"hello", "A.TXT").text == "hello"


# --- markdown -----------------------------------------------------------------------


def test_markdown_front_matter() -> None:
    data = (
        "---\n"
        "title: Trump orders Greenland plan\n"
        "site_name: The Mail on Sunday\n"
        "byline: GLEN OWEN & DAN HODGES\n"
        "date: 2026-01-12\n"
        "link: https://www.dailymail.co.uk/news/x\n"
        "---\n\n"
        "President Donald Trump has ordered a plan.\n\nSecond paragraph.\n"
    ).encode()
    doc = one(data, "story.md")
    assert doc.text == "President Donald Trump has ordered a plan.\n\nSecond paragraph.\n"
    assert doc.declared.title == "Trump orders Greenland plan"
    assert doc.declared.outlet == "The Mail on Sunday"
    assert doc.declared.authors == ["GLEN OWEN", "DAN HODGES"]
    assert doc.declared.published == "2026-01-12"
    assert doc.declared.url == "https://www.dailymail.co.uk/news/x"


def test_markdown_author_list_and_unreadable_date() -> None:
    data = b"---\nauthors: [Ann Lee, Bob Roy]\npublished: sometime soon\n---\nBody."
    doc = one(data, "a.markdown")
    assert doc.declared.authors == ["Ann Lee", "Bob Roy"]
    assert doc.declared.published is None
    assert doc.text == "Body."


def test_markdown_without_front_matter_is_all_text() -> None:
    text = "# Heading\n\nSome text.\n\n---\n\nMore.\n"
    doc = one(text.encode(), "a.md")
    assert doc.text == text and doc.declared.title is None


def test_markdown_non_mapping_front_matter_kept_as_text() -> None:
    text = "---\njust a line\n---\nBody.\n"
    assert one(text.encode(), "a.md").text == text


def test_markdown_malformed_yaml() -> None:
    assert "YAML" in raises_naming(b"---\ntitle: [unclosed\n---\nBody.", "bad.md")


def test_markdown_front_matter_without_body() -> None:
    raises_naming(b"---\ntitle: Only metadata\n---\n\n", "meta.md")


# --- HTML ---------------------------------------------------------------------------

ARTICLE_HTML = """<!DOCTYPE html>
<html><head>
<title>Trump orders Greenland plan | Example News</title>
<meta property="og:site_name" content="Example News">
<meta name="author" content="Glen Owen">
<meta property="article:published_time" content="2026-01-12T09:30:00Z">
<link rel="canonical" href="https://www.example.com/news/greenland.html">
</head><body>
<nav><a href="/">Home</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Trump orders Greenland plan</h1>
<p>President Donald Trump has ordered his special forces commanders to draw up a plan for the invasion of Greenland, sources say.</p>
<p>Sources say that the policy \u2018hawks\u2019 around the US President have been emboldened by the success of the operation in Venezuela.</p>
<p>British diplomats believe that the President is also motivated by a desire to distract American voters from the economy.</p>
</article>
<footer>Copyright 2026 Example News. All rights reserved.</footer>
</body></html>"""


def test_html_article_and_metadata() -> None:
    doc = one(ARTICLE_HTML.encode(), "page.html")
    assert "President Donald Trump has ordered" in doc.text
    assert "\u2018hawks\u2019" in doc.text
    assert "Copyright" not in doc.text and "Sport" not in doc.text
    assert "sources say.\n\nSources say" in doc.text  # paragraphs separated by a blank line
    meta = doc.html_meta
    assert meta.outlet == "Example News"
    assert meta.authors == ["Glen Owen"]
    assert meta.published == "2026-01-12"
    assert meta.url == "https://www.example.com/news/greenland.html"
    assert meta.title and "Greenland" in meta.title
    assert doc.declared.title is None


def test_html_without_date_stays_unknown() -> None:
    html = ARTICLE_HTML.replace('<meta property="article:published_time" content="2026-01-12T09:30:00Z">', "")
    html = html.replace("Copyright 2026 ", "")
    assert one(html.encode(), "page.htm").html_meta.published is None


def test_html_without_article_text() -> None:
    assert "no article text" in raises_naming(b"<html><head><title>x</title></head><body></body></html>", "e.html")


def test_html_deeply_nested() -> None:
    html = "<html><body>" + "<div>" * 5000 + "<p>deep text</p>" + "</div>" * 5000 + "</body></html>"
    try:
        docs = parse_document(html.encode(), "deep.html")
    except UserError as err:
        assert "deep.html" in str(err)
    else:
        assert all(isinstance(d.text, str) for d in docs)


def test_html_url_like_content_never_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    import htmldate.utils
    import trafilatura.downloads

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(htmldate.utils, "fetch_url", no_network)
    monkeypatch.setattr(trafilatura.downloads, "fetch_url", no_network)
    with pytest.raises(UserError):
        parse_document(b"https://example.com/article", "link.html")


# --- PDF ----------------------------------------------------------------------------


def minimal_pdf(text: str, info: str = "") -> bytes:
    """A one-page PDF with a Helvetica text stream and a correct xref table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< {info} >>".encode("latin-1"),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_pdf_text_and_metadata() -> None:
    data = minimal_pdf(
        "Trump ordered a plan for Greenland.",
        "/Title (Greenland plan) /Author (Glen Owen) /CreationDate (D:20250101000000Z)",
    )
    doc = one(data, "report.pdf")
    assert doc.text == "Trump ordered a plan for Greenland."
    assert doc.html_meta.title == "Greenland plan"
    assert doc.html_meta.authors == ["Glen Owen"]
    assert doc.html_meta.published is None  # a file date is not a publication date


def test_pdf_without_text_layer() -> None:
    assert "no text layer" in raises_naming(minimal_pdf(""), "scan.pdf")


def test_pdf_malformed() -> None:
    raises_naming(b"%PDF-1.4\nthis is not really a pdf", "broken.pdf")
    raises_naming(minimal_pdf("cut short")[:120], "truncated.pdf")


def test_pdf_encrypted() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(minimal_pdf("secret text"))))
    writer.encrypt(user_password="pw", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert "encrypted" in raises_naming(buffer.getvalue(), "locked.pdf")


# --- DOCX ---------------------------------------------------------------------------


def make_docx(paragraphs: list[str], title: str = "", author: str = "") -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.core_properties.title = title
    document.core_properties.author = author
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_and_metadata() -> None:
    data = make_docx(["First paragraph.", "", QUOTE_TEXT], title="Greenland", author="Ann Lee & Bob Roy")
    doc = one(data, "story.docx")
    assert doc.text == f"First paragraph.\n\n{QUOTE_TEXT}"
    assert doc.html_meta.title == "Greenland"
    assert doc.html_meta.authors == ["Ann Lee", "Bob Roy"]
    assert doc.html_meta.published is None  # created/modified are file dates


def test_docx_corrupt() -> None:
    raises_naming(bytes(range(256)) * 4, "corrupt.docx")
    raises_naming(b"PK\x03\x04" + b"\x01" * 200, "zipish.docx")


def test_docx_without_text() -> None:
    assert "no article text" in raises_naming(make_docx(["", "  "]), "blank.docx")


# --- JSONL --------------------------------------------------------------------------


def test_jsonl_good_and_bad_lines() -> None:
    lines = [
        json.dumps({"text": "First article.", "title": "One", "outlet": "Example News",
                    "url": "https://example.com/1", "published": "January 12, 2026",
                    "authors": ["Ann Lee", "Bob Roy"]}),
        "{not json",
        "",
        json.dumps(["a list"]),
        json.dumps({"title": "no text"}),
        json.dumps({"text": "Second article.\r\nLine two.", "authors": "Ann Lee and Bob Roy", "published": "whenever"}),
        json.dumps({"text": "   "}),
        json.dumps({"text": 42}),
    ]
    docs = parse_document("\n".join(lines).encode(), "feed.jsonl")
    assert [d.label for d in docs] == [f"feed.jsonl:{n}" for n in (1, 2, 4, 5, 6, 7, 8)]
    good = [d for d in docs if d.error is None]
    bad = [d for d in docs if d.error is not None]
    assert [d.text for d in good] == ["First article.", "Second article.\nLine two."]
    first = good[0].declared
    assert (first.title, first.outlet, first.url, first.published, first.authors) == (
        "One", "Example News", "https://example.com/1", "2026-01-12", ["Ann Lee", "Bob Roy"])
    assert good[1].declared.authors == ["Ann Lee", "Bob Roy"]
    assert good[1].declared.published is None
    for doc in bad:  # the error names the file's line (the label names the file)
        assert doc.text == "" and doc.error.startswith(f"line {doc.label.rsplit(':', 1)[1]}: ")
    assert [d.error for d in bad][:2] == ["line 2: not valid JSON",
                                          'line 4: not an article: each line must be one JSON object such as {"text": "..."}']


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8])
def test_jsonl_errors_name_the_files_lines_without_parser_wording(newline, bom) -> None:
    """Blank lines count, a byte-order mark or CRLF/CR line ends do not shift the numbers,
    and the JSON parser's own words (columns, char offsets) stay out of the message."""
    good = json.dumps({"text": "A ferry ran aground on Tuesday."})
    lines = [good, "", '{"text": "unclosed', "   ", good.replace("Tuesday", "Friday"), '{"text": 1,}']
    docs = parse_document(bom + newline.join(lines).encode(), "batch.jsonl")
    errors = {d.label: d.error for d in docs if d.error}
    assert errors == {"batch.jsonl:3": "line 3: not valid JSON", "batch.jsonl:6": "line 6: not valid JSON"}
    for message in errors.values():
        assert "column" not in message and "char" not in message and "Expecting" not in message


def test_jsonl_line_labels_round_trip() -> None:
    from index.ingest.parsers import jsonl_label, jsonl_line_of

    assert jsonl_line_of(jsonl_label("my feed.JSONL", 12)) == ("my feed.JSONL", 12)
    assert jsonl_line_of("story.txt") is None and jsonl_line_of("feed.jsonl") is None


def test_unreadable_files_say_so_without_library_wording() -> None:
    with pytest.raises(UserError) as bad_yaml:
        parse_document(b"---\ntitle: [unclosed\n---\nBody text of the article.\n", "story.md")
    assert str(bad_yaml.value).startswith("story.md: the metadata block between the --- lines at the top (line ")
    assert "not valid YAML" in str(bad_yaml.value) and "<unicode string>" not in str(bad_yaml.value)
    with pytest.raises(UserError) as bad_pdf:
        parse_document(b"%PDF-1.4 not really a pdf", "scan.pdf")
    assert str(bad_pdf.value) == "could not read scan.pdf as a PDF; the file may be damaged"
    with pytest.raises(UserError) as bad_docx:
        parse_document(b"PK not a zip", "memo.docx")
    assert str(bad_docx.value) == "could not read memo.docx as a Word document: it is not a valid .docx file"


def test_jsonl_all_bad_lines_give_error_entries() -> None:
    docs = parse_document(b"nope\n[1]\n", "bad.jsonl")
    assert len(docs) == 2 and all(d.error for d in docs)


def test_jsonl_empty() -> None:
    raises_naming(b"\n\n", "empty.jsonl")


# --- never anything but documents or UserError --------------------------------------


@pytest.mark.parametrize("extension", [".txt", ".html", ".jsonl", ".md"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=400), st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass"))))
def test_random_input_never_crashes(extension: str, data: bytes) -> None:
    try:
        docs = parse_document(data, "x" + extension)
    except UserError:
        return
    assert all(isinstance(d.text, str) for d in docs)
