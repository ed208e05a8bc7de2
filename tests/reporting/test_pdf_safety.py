"""Nothing a chapter says can make the renderer read a server file or the network.

Two layers: the Markdown sanitiser strips images and rewrites link relations before the template,
and pdf.py's URL fetcher loads only data: URIs and static files even for raw HTML.
"""

import base64
import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pikepdf
import pytest
from pypdf import PdfReader

from assessments.reporting import pdf
from assessments.reporting.documents import data_uri, render_report

from ..factories import ChapterFactory

pytestmark = pytest.mark.django_db

# A 1×1 transparent PNG.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
PASSWD_LINE = "root:x:0:0"


class _CountingHandler(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's API)
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(PIXEL)

    def log_message(self, *args):
        pass


@pytest.fixture
def web_server():
    """A real HTTP server on localhost that records every request it receives."""
    _CountingHandler.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", _CountingHandler.requests
    server.shutdown()


def _document(body: str) -> str:
    head = '<!DOCTYPE html><html lang="en-GB"><head><title>Test</title></head>'
    return f"{head}<body>{body}</body></html>"


def _inspect(content: bytes) -> dict:
    with pikepdf.open(io.BytesIO(content)) as document:
        names = document.Root.get("/Names", {})
        annotations = [
            str(annotation.get("/Subtype"))
            for page in document.pages
            for annotation in page.get("/Annots", [])
        ]
        images = [
            name
            for page in document.pages
            for name, xobject in page.get_images().items()
            if xobject.get("/Subtype") == "/Image"
        ]
        return {
            "embedded_files": "/EmbeddedFiles" in names,
            "attachments": annotations.count("/FileAttachment"),
            "images": len(images),
            "text": " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages),
        }


def test_the_fetcher_loads_a_data_uri_image(web_server):
    uri = data_uri(PIXEL, "pixel.png")
    found = _inspect(pdf.render_pdf(_document(f'<p>Logo <img src="{uri}" alt="Logo"></p>')).content)
    assert found["images"] == 1


def test_raw_html_cannot_embed_or_show_a_server_file():
    html = _document(
        '<p>Secrets <img src="file:///etc/passwd" alt="x"></p>'
        '<p><a rel="attachment" href="file:///etc/passwd">passwd</a></p>'
        '<iframe src="file:///etc/passwd"></iframe><object data="file:///etc/passwd"></object>'
        '<link rel="attachment" href="file:///etc/passwd">'
        '<div style="background: url(file:///etc/passwd)">styled</div>'
    )
    found = _inspect(pdf.render_pdf(html).content)
    assert found == found | {"embedded_files": False, "attachments": 0, "images": 0}
    assert PASSWD_LINE not in found["text"]
    assert "Secrets" in found["text"]


def test_raw_html_cannot_reach_the_network(web_server):
    url, requests = web_server
    html = _document(
        f'<link rel="stylesheet" href="{url}/style.css">'
        f'<p>Remote <img src="{url}/tracker.png" alt="x"></p>'
        f'<div style="background: url({url}/background.png)">styled</div>'
        f'<p><a rel="attachment" href="{url}/file.txt">file</a></p>'
    )
    found = _inspect(pdf.render_pdf(html).content)
    assert requests == []
    assert found["images"] == 0
    assert found["embedded_files"] is False


def test_static_files_load_and_nothing_outside_them():
    assert pdf.static_file_for(pdf.BASE_URL + "static/assessments/pdf.css").name == "pdf.css"
    for escape in (
        "static/../manage.py",
        "static/assessments/../../../../etc/passwd",
        "static/%2e%2e/%2e%2e/etc/passwd",
        "static//etc/passwd",
    ):
        assert pdf.static_file_for(pdf.BASE_URL + escape) is None, escape
    fetcher = pdf.SafeURLFetcher()
    with pytest.raises(pdf.RefusedURL):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(pdf.RefusedURL):
        fetcher.fetch("https://example.com/logo.png")


def test_hostile_markdown_in_a_chapter_does_not_end_up_in_the_pdf(assessment, web_server):
    url, requests = web_server
    ChapterFactory(
        assessment=assessment,
        title="Hostile chapter",
        narrative=(
            "Opening paragraph.\n\n"
            '<img src="file:///etc/passwd" alt="passwd">\n\n'
            f"![remote]({url}/tracker.png)\n\n"
            '<a rel="attachment" href="file:///etc/passwd">attached passwd</a>\n\n'
            f'<a rel="attachment" href="{url}/remote.txt">attached remote</a>\n\n'
            "Closing paragraph."
        ),
    )
    html, rendered = render_report(assessment=assessment, variant="public", appendices=[])
    assert "file:" not in html
    assert "<img" not in html
    assert 'rel="attachment"' not in html
    found = _inspect(rendered.content)
    assert requests == []
    assert found["embedded_files"] is False
    assert found["attachments"] == 0
    assert found["images"] == 0
    assert PASSWD_LINE not in found["text"]
    assert "Opening paragraph." in found["text"] and "Closing paragraph." in found["text"]
