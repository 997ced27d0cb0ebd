"""`resdiff serve` over HTTP: every page and its JSON twin, safety, uploads, caching.

One real server (a subprocess on a free loopback port) over a copy of the small store;
requests are made as a browser makes them. JSON twins are compared with what the
command line prints for the same question.
"""

from __future__ import annotations

import http.client
import io
import json
import zipfile
from collections.abc import Iterator
from html import escape
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import jsonschema
import pytest
from conftest import SERIES
from web_fixtures import Server, request, serving

from resdiff.cli import run
from resdiff.schemas import load_schema

pytestmark = pytest.mark.xdist_group("web")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, shared_corpus: Path) -> Iterator[Server]:
    with serving(tmp_path_factory) as running:
        yield running


L41 = (SERIES / "A_C.3_80_L.41.txt").read_text(encoding="utf-8")

# Every page type, as a browser asks for it.
PAGES = [
    "/",
    "/series",
    "/series?committee=Third+Committee&session=79",
    "/series/A/RES/72/188",
    "/doc/A/RES/76/177",
    "/diff?" + urlencode({"old": "A/RES/75/190", "new": "A/RES/76/177"}),
    "/history?q=songbun",
    "/trace/A/RES/76/177/" + quote("OP2(a)(xii)"),
    "/blame/A/RES/76/177",
    "/agreed?" + urlencode({"q": "full, safe and unhindered access"}),
    "/review",
    "/review/A/C.3/80/L.41",
]


def cli_json(server: Server, *args: str, capsys: pytest.CaptureFixture[str]) -> object:
    code = run(["--db", f"sqlite:///{server.db}", *args, "--format", "json"])
    out = capsys.readouterr().out
    assert code in (0, 1), out
    return json.loads(out)


def api_json(server: Server, path: str) -> object:
    status, headers, body = server.get("/api" + path)
    assert status == 200, body[:300]
    assert headers["content-type"].startswith("application/json")
    return json.loads(body)


# --- pages -----------------------------------------------------------------------------


def test_binds_loopback_and_prints_its_url(server: Server) -> None:
    assert urlsplit(server.url).hostname == "127.0.0.1"


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_with_safety_headers(server: Server, path: str) -> None:
    status, headers, body = server.get(path)
    assert status == 200, body[:500]
    assert headers["content-type"] == "text/html; charset=utf-8"
    csp = headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    html = body.decode("utf-8")
    # No inline script, no remote asset: every script and stylesheet is a local file.
    assert "<script>" not in html and "<style" not in html
    for attr in ('src="http', 'href="http', 'src="//', 'href="//'):
        assert attr not in html


def test_symbols_with_slashes_and_encoded_slashes(server: Server) -> None:
    plain = server.get("/doc/A/RES/76/177")
    encoded = server.get("/doc/A%2FRES%2F76%2F177")
    assert plain[0] == encoded[0] == 200
    assert b"A/RES/76/177" in plain[2]
    assert b"PP1" in plain[2] and b"Reaffirming" in plain[2]


def test_series_page_lists_versions_amendments_and_redlines(server: Server) -> None:
    status, _h, body = server.get("/series/A/RES/80/192")
    html = body.decode()
    assert status == 200
    for symbol in ("A/RES/79/160", "A/C.3/80/L.2", "A/RES/80/192"):
        assert symbol in html
    # The amendment sits under the draft it amends, not in the chain of full texts.
    assert "amendment to A/C.3/80/L.2" in html
    assert html.index("A/C.3/80/L.56") > html.index("A/C.3/80/L.2")
    assert "/diff?old=A%2FRES%2F79%2F160&amp;new=A%2FC.3%2F80%2FL.2" in html
    assert 'name="old"' in html and 'name="new"' in html  # the compare form
    # The JSON twin says the same: the amendment is no version, it amends L.2.
    twin = api_json(server, "/series/A/RES/80/192")
    assert isinstance(twin, dict)
    assert "A/C.3/80/L.56" not in [v["symbol"] for v in twin["versions"]]
    assert [(a["symbol"], a["amends"]) for a in twin["amendments"]] == [
        ("A/C.3/80/L.56", "A/C.3/80/L.2")
    ]


def test_series_filters(server: Server) -> None:
    third = api_json(server, "/series?committee=third+committee")
    assert isinstance(third, list) and third
    none = api_json(server, "/series?title=no+such+title+anywhere")
    assert none == []
    by_session = api_json(server, "/series?session=72")
    assert [s["key"] for s in by_session] == ["A/RES/72/188"]  # type: ignore[index]


def test_redline_page_offers_downloads_that_match_the_cli(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    query = urlencode({"old": "A/RES/75/190", "new": "A/RES/76/177"})
    status, _h, body = server.get("/diff?" + query)
    html = body.decode()
    assert status == 200 and "<ins" in html and "<del" in html
    for fmt in ("docx", "md", "json"):
        assert escape(f"/download/diff?{query}&format={fmt}") in html
    status, headers, docx = server.get(f"/download/diff?{query}&format=docx")
    assert status == 200
    assert headers["content-disposition"].startswith("attachment;")
    assert zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").count(b"<w:ins ") > 10
    status, _h, md = server.get(f"/download/diff?{query}&format=md")
    code = run(
        ["--db", f"sqlite:///{server.db}", "diff", "A/RES/75/190", "A/RES/76/177", "-f", "md"]
    )
    assert code == 1
    assert md.decode() == capsys.readouterr().out


def test_history_twin_is_the_history_json(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    got = api_json(server, "/history?q=songbun")
    assert got == cli_json(server, "history", "songbun", capsys=capsys)
    jsonschema.validate(got, load_schema("history"))
    assert got["first"]["symbol"] == "A/RES/72/188"  # type: ignore[index]


@pytest.mark.parametrize(
    ("path", "args"),
    [
        ("/doc/A/RES/76/177", ["show", "A/RES/76/177"]),
        ("/series", ["series", "list"]),
        ("/series/A/RES/72/188", ["series", "show", "A/RES/72/188"]),
        (
            "/diff?old=A/RES/75/190&new=A/RES/76/177",
            ["diff", "A/RES/75/190", "A/RES/76/177"],
        ),
        ("/trace/A/RES/76/177/OP2(a)(xii)", ["trace", "A/RES/76/177", "OP2(a)(xii)"]),
        ("/blame/A/RES/76/177", ["blame", "A/RES/76/177"]),
        ("/agreed?q=" + quote("human rights situation"), ["agreed", "human rights situation"]),
        ("/review/A/C.3/80/L.41", ["review", "A/C.3/80/L.41"]),
    ],
)
def test_json_twins_are_what_the_cli_prints(
    server: Server, path: str, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert api_json(server, path) == cli_json(server, *args, capsys=capsys)


def test_home_twin_counts_what_is_stored(server: Server) -> None:
    home = api_json(server, "/")
    assert isinstance(home, dict)
    assert home["documents"] == sum(home["kinds"].values()) >= 14
    assert home["series"] == 3
    assert len(home["recent"]) == min(15, home["documents"])


def test_history_of_a_missing_phrase_says_so(server: Server) -> None:
    status, _h, body = server.get("/history?q=" + quote("zzz no such phrase"))
    assert status == 200
    assert "is in no stored version" in body.decode()


def test_a_review_with_nothing_before_it_asks_what_to_compare_with(server: Server) -> None:
    # A/RES/72/188 opens its series: no adopted resolution precedes it. The page said to
    # "pass --against SYMBOL", an option of the command line; it now offers the choice.
    status, _h, body = server.get("/review/A/RES/72/188")
    html = body.decode()
    assert status == 404
    assert "no adopted resolution precedes it" in html and "--against" not in html
    assert 'action="/review/A/RES/72/188"' in html and 'name="against"' in html
    status, _h, body = server.get("/review/A/RES/72/188?against=A/RES/73/180")
    assert status == 200


def test_a_phrase_holding_no_word_gets_a_clear_400(server: Server) -> None:
    # "," is in every text: no page claims it is agreed language in 897 resolutions.
    for path in ("/agreed?q=" + quote(","), "/history?q=" + quote("“")):
        status, _h, body = server.get(path)
        assert status == 400, path
        assert "holds no word to look for" in body.decode()


# --- safety ----------------------------------------------------------------------------


TRAVERSALS = [
    "/doc/..%2F..%2Fetc%2Fpasswd",
    "/doc/../../etc/passwd",
    "/doc/%2e%2e/%2e%2e/etc/passwd",
    "/doc/%2Fetc%2Fpasswd",
    "/doc//etc/passwd",
    "/static/../pyproject.toml",
    "/static/..%2Fpyproject.toml",
    "/static/%2e%2e/pyproject.toml",
    "/static/%2e%2e%2fpyproject.toml",
    "/static/redline.css/../../pyproject.toml",
    "/static/web.css",  # a template file, not a served asset
    "/blame/..%2F..%2Fpyproject.toml",
    "/series/..%2F..%2Fpyproject.toml",
    "/trace/..%2F..%2Fetc%2Fpasswd/PP1",
    # Files that exist relative to the server's folder: never parsed, only looked up.
    "/doc/pyproject.toml",
    "/doc/corpus/A_RES_72_188.txt",
    "/review/corpus/000_4a554fcc2369da89.txt",
    "/blame/corpus/A_RES_76_177.txt",
    "/trace/corpus/A_RES_76_177.txt/PP1",
    "/diff?old=corpus/A_RES_75_190.txt&new=corpus/A_RES_76_177.txt",
    "/api/doc/corpus/A_RES_72_188.txt",
    "/download/review/corpus/000_4a554fcc2369da89.txt?format=docx",
]


def raw_get(server: Server, path: str, host: str | None = None) -> tuple[int, bytes]:
    """GET with the path sent exactly as given (no client-side dot-segment removal)."""
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=60)
    try:
        conn.putrequest("GET", path, skip_host=host is not None)
        if host is not None:
            conn.putheader("Host", host)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_answers_404(server: Server, path: str) -> None:
    status, body = raw_get(server, path)
    assert status == 404, body[:300]
    for secret in (b"root:x:", b"[build-system]", b"Reaffirming", b"PK\x03\x04"):
        assert secret not in body


@pytest.mark.parametrize(
    "path",
    [
        "/history?q=" + quote("<script>alert(1)</script>"),
        "/agreed?q=" + quote('"><script>alert(1)</script>'),
        "/doc/" + quote("<script>alert(1)</script>"),
        "/series?title=" + quote("</title><script>alert(1)</script>"),
        "/trace/A/RES/76/177/" + quote("<img src=x onerror=alert(1)>"),
    ],
)
def test_every_value_is_escaped(server: Server, path: str) -> None:
    status, _h, body = server.get(path)
    html = body.decode()
    assert status in (200, 404)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html or "&lt;img" in html


def test_json_is_data_not_markup(server: Server) -> None:
    status, headers, body = server.get("/api/history?q=" + quote("</script><b>x</b>"))
    assert status == 200 and headers["content-type"].startswith("application/json")
    assert json.loads(body)["phrase"] == "</script><b>x</b>"


def test_other_host_names_are_refused_on_loopback(server: Server) -> None:
    status, body = raw_get(server, "/", host="attacker.example:80")
    assert status == 421 and b"Reaffirming" not in body
    assert raw_get(server, "/", host=f"localhost:{urlsplit(server.url).port}")[0] == 200


def test_unknown_pages_are_404_pages(server: Server) -> None:
    status, headers, body = server.get("/no/such/page")
    assert status == 404 and b"Not found" in body
    assert "content-security-policy" in headers
    status, headers, body = server.get("/api/doc/NO/SUCH/1")
    assert status == 404 and json.loads(body)["status"] == 404


def test_bad_parameters_are_400_pages(server: Server) -> None:
    for path in ("/series?session=abc", "/history?q=x&fuzzy=lots", "/diff?old=A/RES/72/188"):
        status, _h, body = server.get(path)
        assert status == 400, (path, body[:300])
        assert b"Traceback" not in body


def test_unchanged_pages_are_not_sent_again(server: Server) -> None:
    status, headers, _body = server.get("/series/A/RES/72/188")
    assert status == 200
    again = server.get("/series/A/RES/72/188", headers={"If-None-Match": headers["etag"]})
    assert again[0] == 304 and again[2] == b""


# --- uploads ---------------------------------------------------------------------------


def multipart(
    fields: dict[str, str], file: tuple[str, bytes] | None
) -> tuple[bytes, dict[str, str]]:
    boundary = "resdiffboundary7MA4YWxkTrZu0gW"
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode() + b"\r\n")
    if file is not None:
        fname, data = file
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{fname}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
        )
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def post(
    server: Server,
    path: str,
    fields: dict[str, str],
    file: tuple[str, bytes] | None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    body, head = multipart(fields, file)
    return request(server.url.rstrip("/") + path, data=body, headers={**head, **(headers or {})})


def a_new_draft(tag: str) -> bytes:
    """L.41 with its last paragraph reworded: a draft no store holds yet."""
    text = L41.replace(
        "Decides to continue the consideration",
        f"Decides, in the light of {tag}, to continue the consideration",
        1,
    )
    assert text != L41
    return text.encode("utf-8")


def documents(server: Server) -> int:
    home = api_json(server, "/")
    assert isinstance(home, dict)
    return int(home["documents"])


def test_upload_is_reviewed_not_stored(server: Server) -> None:
    before = documents(server)
    status, _h, body = post(server, "/review", {"against": ""}, ("L41-new.txt", a_new_draft("a")))
    html = body.decode()
    assert status == 200, html[:500]
    assert "was reviewed and not stored" in html
    assert "A/RES/79/171" in html  # the baseline found by itself
    start = html.index('href="data:application/vnd.openxmlformats')
    href = html[start + 6 : html.index('"', start + 6)]
    import base64

    docx = base64.b64decode(href.split(",", 1)[1])
    assert b"<w:ins " in zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml")
    assert documents(server) == before


def test_upload_twin_is_the_review_json(server: Server) -> None:
    status, _h, body = post(server, "/api/review", {}, ("draft.txt", a_new_draft("b")))
    assert status == 200
    data = json.loads(body)
    jsonschema.validate(data, load_schema("review"))
    assert data["baseline"]["symbol"] == "A/RES/79/171"


def test_upload_is_stored_only_when_asked(server: Server) -> None:
    before = documents(server)
    status, _h, body = post(server, "/review", {"store": "1"}, ("L41-c.txt", a_new_draft("c")))
    assert status == 200 and b"was stored as" in body
    assert documents(server) == before + 1  # and the cached pages saw the change
    status, _h, body = post(server, "/review", {"store": "1"}, ("L41-c.txt", a_new_draft("c")))
    assert status == 200 and b"was already stored" in body
    assert documents(server) == before + 1


def test_an_upload_not_in_utf8_is_read_with_the_encoding_chosen_in_the_form(
    server: Server,
) -> None:
    # A draft saved as Windows Western text: the error page advises the form's encoding
    # box (a browser user has no command-line option), and the box reads it.
    draft = a_new_draft("e").decode("utf-8").replace("’", "'").replace("“", '"')
    draft = draft.replace("”", '"').replace("–", "-").replace("—", "-")
    data = draft.replace("Decides", "Décides", 1).encode("cp1252")
    status, _h, body = post(server, "/review", {}, ("L41-win.txt", data))
    html = body.decode()
    assert status == 422, html[:500]
    assert "not UTF-8 text" in html and "Text encoding" in html and "--encoding" not in html
    status, _h, body = post(server, "/review", {"encoding": "cp1252"}, ("L41-win.txt", data))
    assert status == 200, body[:500]
    assert "Décides" in body.decode() and "A/RES/79/171" in body.decode()
    status, _h, body = post(server, "/review", {"encoding": "rot13"}, ("L41-win.txt", data))
    assert status == 400 and b"unknown text encoding" in body
    status, _h, body = request(server.url.rstrip("/") + "/review")
    assert status == 200 and b'name="encoding"' in body and b"cp1252" in body


def test_cross_site_posts_are_refused(server: Server) -> None:
    before = documents(server)
    for headers in (
        {"Origin": "http://attacker.example", "Sec-Fetch-Site": "cross-site"},
        {"Origin": "http://attacker.example"},
    ):
        status, _h, body = post(
            server, "/review", {"store": "1"}, ("x.txt", a_new_draft("d")), headers
        )
        assert status == 403, body[:300]
    assert documents(server) == before


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<w:document>" + b" " * (60 * 2**20) + b"</w:document>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "status", "says"),
    [
        ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, 422, "PNG image has no text"),
        ("empty.txt", b"   \n", 422, "no text"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, 422, "save it as .docx"),
        ("bomb.docx", zip_bomb(), 422, "zip bomb"),
        ("cut.pdf", b"%PDF-1.7\n1 0 obj\n<<", 422, "PDF"),
    ],
)
def test_bad_uploads_get_the_ingest_error_as_a_page(
    server: Server, name: str, data: bytes, status: int, says: str
) -> None:
    got, headers, body = post(server, "/review", {}, (name, data))
    html = body.decode()
    assert got == status, html[:500]
    assert says in html and "Traceback" not in html
    assert "content-security-policy" in headers


def test_uploads_past_the_cap_are_refused_before_reading(server: Server) -> None:
    big = b"x" * (21 * 2**20)
    status, _h, body = post(server, "/review", {}, ("big.txt", big))
    assert status == 413 and b"20 MB" in body
    # Without a declared length (chunked), the cap holds while reading.
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=60)
    payload, head = multipart({}, ("big.txt", big))
    chunks = (payload[i : i + 2**20] for i in range(0, len(payload), 2**20))
    try:
        conn.request("POST", "/review", body=chunks, headers=head, encode_chunked=True)
        resp = conn.getresponse()
        assert resp.status == 413 and b"20 MB" in resp.read()
    finally:
        conn.close()
    # A huge declared length is refused at once, before a byte of it is read.
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=60)
    try:
        conn.putrequest("POST", "/review")
        conn.putheader("Content-Type", head["Content-Type"])
        conn.putheader("Content-Length", str(10 * 2**30))
        conn.endheaders()
        resp = conn.getresponse()
        assert resp.status == 413 and b"20 MB" in resp.read()
    finally:
        conn.close()


def test_missing_file_is_a_400_page(server: Server) -> None:
    status, _h, body = post(server, "/review", {"against": "A/RES/79/171"}, None)
    assert status == 400 and b"no file was sent" in body


# --- the command ------------------------------------------------------------------------


def test_another_host_is_warned_and_a_bad_store_fails_before_listening(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    code = run(["--db", f"sqlite:///{tmp_path / 'none.db'}", "serve", "--host", "0.0.0.0"])
    out, err = capfd.readouterr()
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert lines[0].startswith("resdiff: warning: listening on 0.0.0.0")
    assert lines[1].startswith("resdiff: error: no database at") and len(lines) == 2


def test_a_busy_port_is_one_line(server: Server, capfd: pytest.CaptureFixture[str]) -> None:
    port = str(urlsplit(server.url).port)
    assert run(["--db", f"sqlite:///{server.db}", "serve", "--port", port]) == 2
    assert capfd.readouterr().err.strip() == (
        f"resdiff: error: cannot listen on 127.0.0.1:{port}: it is in use; "
        "choose another with --port"
    )


def test_the_server_logged_no_error(server: Server) -> None:
    assert not [line for line in server.stderr if "internal error" in line or "Traceback" in line]


def test_short_load_has_no_errors(server: Server) -> None:
    from benchmarks.bench_web import load

    urls = [p for p in PAGES if p != "/review"]
    figures = load(server.url, urls, clients=6, seconds=3.0)
    assert figures.errors == [] and figures.requests > len(urls)


def test_only_serve_loads_the_web_stack() -> None:
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from resdiff.cli import run\n"
        "run(['--help'])\n"
        "import resdiff.web.site\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'starlette', 'uvicorn', 'multipart', 'python_multipart'}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"
