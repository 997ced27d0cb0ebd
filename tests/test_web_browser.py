"""The web app as people use it: headless Chromium drives the real server (and the static site).

Search a phrase, open a series and compare two versions, upload a draft and download
its tracked DOCX, move with the keyboard only, read with JavaScript off; axe-core
(vendored in tests/vendor/axe-core) finds no serious or critical accessibility
violation on any page type; the browser reports no policy violation or script error.
Screenshots of every page type land in the `shots` folder for a person to look at.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from conftest import CHROMEDRIVER, CHROMIUM, FLAGS, SERIES, browser_missing, not_run
from web_fixtures import Server, serving

from resdiff.cli import run

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("web")]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"

# One of each page type: (name, path).
PAGE_TYPES = [
    ("home", "/"),
    ("series-list", "/series"),
    ("series", "/series/A/RES/72/188"),
    ("document", "/doc/A/RES/76/177"),
    ("redline", "/diff?" + urlencode({"old": "A/RES/75/190", "new": "A/RES/76/177"})),
    ("history", "/history?q=songbun"),
    ("trace", "/trace/A/RES/76/177/" + quote("OP2(a)(xii)")),
    ("blame", "/blame/A/RES/76/177"),
    ("agreed", "/agreed?" + urlencode({"q": "full, safe and unhindered access"})),
    ("upload", "/review"),
    ("review", "/review/A/C.3/80/L.41"),
    ("not-found", "/doc/NO/SUCH/1"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, shared_corpus: Path) -> Iterator[Server]:
    with serving(tmp_path_factory) as running:
        yield running


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, downloads: Path) -> Iterator[Any]:
    """Chromium with its console log readable and downloads saved to ``downloads``."""
    reason = browser_missing()
    if reason:
        not_run(f"browser checks need headless Chromium: {reason}")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-web')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    d.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    try:
        yield d
    finally:
        d.quit()


def wait_for(condition: Callable[[], Any], seconds: float = 60.0) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the page")
        time.sleep(0.1)


def console_problems(browser: Any) -> list[str]:
    """Policy violations and script errors the browser logged since the last call."""
    return [
        entry["message"]
        for entry in browser.get_log("browser")
        if entry["level"] == "SEVERE" and "status of 404" not in entry["message"]
    ]


def axe(browser: Any, *, preload: bool = True) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the current page (``preload``: axe
    fetches the stylesheets itself, which a page opened from disk does not allow)."""
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    found = browser.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        axe.run(document, {resultTypes: ["violations"], preload: arguments[0]}).then(
          r => done(r.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))),
          e => done([{id: "axe-error", impact: "critical", help: String(e), nodes: []}]));
        """,
        preload,
    )
    return [v for v in found if v["impact"] in ("serious", "critical")]


# --- what people do ----------------------------------------------------------------------


def test_search_a_phrase(browser: Any, server: Server) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(server.url)
    box = browser.find_element(By.ID, "q")
    box.send_keys("songbun", Keys.ENTER)
    wait_for(lambda: "/history" in browser.current_url)
    first = browser.find_element(By.ID, "first-h").find_element(By.XPATH, "..")
    assert "A/RES/72/188" in first.text and "OP2(a)(xi)" in first.text
    statuses = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".history .badge")]
    assert statuses[0] == "NEW" and set(statuses[1:]) == {"KEPT"}
    assert console_problems(browser) == []


def test_open_a_series_and_compare_two_versions(browser: Any, server: Server) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(server.url)
    browser.find_element(By.LINK_TEXT, "Series").click()
    wait_for(lambda: browser.current_url.endswith("/series"))
    browser.find_element(By.PARTIAL_LINK_TEXT, "Democratic People").click()
    wait_for(lambda: "/series/" in browser.current_url)
    rows = browser.find_elements(By.CSS_SELECTOR, ".versions tbody tr")
    assert [r.find_element(By.CSS_SELECTOR, "td:nth-child(2)").text for r in rows][:2] == [
        "A/RES/72/188",
        "A/RES/73/180",
    ]
    Select(browser.find_element(By.ID, "c-old")).select_by_value("A/RES/73/180")
    Select(browser.find_element(By.ID, "c-new")).select_by_value("A/RES/76/177")
    browser.find_element(By.CSS_SELECTOR, ".compare-form button").click()
    wait_for(lambda: "/diff?" in browser.current_url)
    assert "A/RES/73/180 → A/RES/76/177" in browser.find_element(By.TAG_NAME, "h1").text
    assert browser.find_elements(By.CSS_SELECTOR, ".redline ins")
    assert browser.find_elements(By.CSS_SELECTOR, ".redline del")
    # The side-by-side switch works (radio buttons and CSS, no script).
    browser.find_element(By.CSS_SELECTOR, "label.tab-side").click()
    # (Unchanged and routine paragraphs are folded: look at a changed one.)
    shown = browser.find_elements(By.CSS_SELECTOR, ".pair.change:not(.routine) .sbs")
    assert shown[0].is_displayed()
    assert console_problems(browser) == []


def test_upload_a_draft_and_download_its_docx(
    browser: Any, server: Server, downloads: Path, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    draft = tmp_path / "my-draft.txt"
    text = (SERIES / "A_C.3_80_L.41.txt").read_text(encoding="utf-8")
    draft.write_text(
        text.replace("to continue the consideration", "to continue, urgently, the consideration"),
        encoding="utf-8",
    )
    browser.get(server.url + "review")
    browser.find_element(By.ID, "u-file").send_keys(str(draft))
    browser.find_element(By.CSS_SELECTOR, ".upload-form button").click()
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, ".review-summary"))
    assert "was reviewed and not stored" in browser.find_element(By.CLASS_NAME, "notice").text
    assert "A/RES/79/171" in browser.find_element(By.CLASS_NAME, "baseline-how").text
    browser.find_element(By.PARTIAL_LINK_TEXT, "Download Word").click()
    saved = wait_for(lambda: [p for p in downloads.glob("review-my-draft*.docx")])
    data = wait_for(lambda: saved[0].read_bytes() if zipfile.is_zipfile(saved[0]) else b"")
    document = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    assert b"<w:ins " in document and b"urgently" in document
    assert console_problems(browser) == []


def test_keyboard_only(browser: Any, server: Server) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    def press(*keys: str) -> None:
        ActionChains(browser).send_keys(*keys).perform()

    def active(prop: str) -> Any:
        return browser.execute_script(f"return document.activeElement.{prop}")

    browser.get(server.url)
    press(Keys.TAB)
    assert active("className") == "skip"
    outline = browser.execute_script("return getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    press(Keys.ENTER)
    assert active("id") == "content"
    press(Keys.TAB)
    assert active("id") == "q"
    press("full, safe and unhindered access", Keys.ENTER)
    wait_for(lambda: "/history" in browser.current_url)
    for _ in range(60):  # tab to the first document link of the results
        press(Keys.TAB)
        if "/doc/" in (active("href") or ""):
            break
    target = active("href")
    assert "/doc/" in target
    press(Keys.ENTER)
    wait_for(lambda: browser.current_url == target)
    # "/" jumps to the search box from anywhere.
    press("/")
    assert active("id") == "nav-q"
    assert console_problems(browser) == []


def test_reading_needs_no_javascript(browser: Any, server: Server) -> None:
    from selenium.webdriver.common.by import By

    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        browser.get(server.url + PAGE_TYPES[4][1].lstrip("/"))
        assert browser.find_elements(By.CSS_SELECTOR, ".redline ins")
        browser.find_element(By.CSS_SELECTOR, "label.tab-side").click()
        # (Unchanged and routine paragraphs are folded: look at a changed one.)
        shown = browser.find_elements(By.CSS_SELECTOR, ".pair.change:not(.routine) .sbs")
        assert shown[0].is_displayed()
        # Without script the changes-only switch works too (a checkbox and CSS).
        unchanged = browser.find_element(By.CSS_SELECTOR, ".pair.k-unchanged:not(.change)")
        browser.find_element(By.CSS_SELECTOR, "label.tab-changes").click()
        assert not unchanged.is_displayed()
        browser.get(server.url + "history?q=songbun")
        assert "A/RES/72/188" in browser.find_element(By.TAG_NAME, "main").text
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


@pytest.mark.parametrize(("name", "path"), PAGE_TYPES)
def test_no_serious_accessibility_violation(
    browser: Any, server: Server, shots: Path, name: str, path: str
) -> None:
    browser.get(server.url.rstrip("/") + path)
    wait_for(lambda: browser.execute_script("return document.readyState") == "complete")
    browser.save_screenshot(str(shots / f"web-{name}.png"))
    assert axe(browser) == []
    assert console_problems(browser) == []
    # The header reads as one column: every line of it starts where the heading starts.
    edges = browser.execute_script(
        "return [...document.querySelectorAll('header.top > *')]"
        ".filter(e => e.offsetParent).map(e => [e.tagName + '.' + e.className,"
        " Math.round(e.getBoundingClientRect().left)])"
    )
    assert len({left for _name, left in edges}) == 1, edges


def test_static_site_opens_from_disk_and_searches(
    browser: Any, server: Server, shots: Path, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    out = tmp_path / "site"
    assert run(["--db", f"sqlite:///{server.db}", "site", str(out)]) == 0
    browser.get((out / "index.html").as_uri())
    browser.find_element(By.ID, "site-q").send_keys("right to food")
    results = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#site-results a"))
    assert {r.text for r in results} >= {"A/RES/79/171", "A/C.3/80/L.41"}
    browser.save_screenshot(str(shots / "site-home.png"))
    assert axe(browser, preload=False) == []
    next(r for r in results if r.text == "A/RES/79/171").click()
    wait_for(lambda: browser.current_url.endswith("A_RES_79_171.html"))
    browser.find_element(By.PARTIAL_LINK_TEXT, "Blame").click()
    wait_for(lambda: "/blame/" in browser.current_url)
    browser.save_screenshot(str(shots / "site-blame.png"))
    assert browser.find_elements(By.CSS_SELECTOR, ".blame-unit span[data-origin]")
    assert console_problems(browser) == []
