"""The HTML redline in a real browser (headless Chromium via Selenium): layout, toggle, text read back.

Skips with a reason when Chromium or chromedriver is missing, except under CI (the
environment variable CI set), where a missing browser is a failure.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from comparison_fixtures import dprk_comparison, hostile_comparison
from conftest import browser_missing
from redline_reader import expected_texts

from resdiff.model import Comparison
from resdiff.render import render

pytestmark = pytest.mark.browser

# Collect, per article, the text of every span element in each view, in order.
READ_BACK = """
const out = [];
for (const art of document.querySelectorAll('article.pair')) {
  const inline = [...art.querySelectorAll('.inline [data-op]')].map(e => [
    e.dataset.op, e.textContent, Number(e.dataset.o || 0), Number(e.dataset.n || 0),
    e.dataset.oldText === undefined ? null : e.dataset.oldText]);
  const side = [...art.querySelectorAll('.sbs .utext')].map(u => [
    u.dataset.side, u.dataset.label,
    [...u.querySelectorAll('[data-op]')].map(e => e.textContent).join('')]);
  out.push({old: art.dataset.old, new: art.dataset.new, inline: inline, side: side});
}
return out;
"""


def real_comparison() -> Comparison:
    """A/RES/75/190 → A/RES/76/177 through the real parser and engine."""
    from conftest import SERIES

    from resdiff.compare import compare
    from resdiff.ingest import parse_file

    return compare(parse_file(SERIES / "A_RES_75_190.txt"), parse_file(SERIES / "A_RES_76_177.txt"))


def _open(driver: Any, c: Comparison, tmp_path: Path, name: str) -> Path:
    page = tmp_path / f"{name}.html"
    page.write_text(render(c, "html"), encoding="utf-8")
    driver.get(page.as_uri())
    return page


def _rebuild(articles: list[dict[str, Any]]) -> tuple[dict[str, str], ...]:
    inline_old: dict[str, str] = {}
    inline_new: dict[str, str] = {}
    side: dict[str, dict[str, str]] = {"old": {}, "new": {}}
    for art in articles:
        old, new = art["old"].split(), art["new"].split()
        for op, text, o, n, old_text in art["inline"]:
            if op != "insert":
                inline_old[old[o]] = inline_old.get(old[o], "") + (old_text or text)
            if op != "delete":
                inline_new[new[n]] = inline_new.get(new[n], "") + text
        for s, label, text in art["side"]:
            side[s][label] = text
    return inline_old, inline_new, side["old"], side["new"]


@pytest.mark.parametrize("make", [dprk_comparison, hostile_comparison, real_comparison])
def test_browser_reads_back_both_versions(
    driver: Any, make: Any, tmp_path: Path, shots: Path
) -> None:
    c = make()
    _open(driver, c, tmp_path, make.__name__)
    driver.save_screenshot(str(shots / f"{make.__name__}.png"))
    inline_old, inline_new, side_old, side_new = _rebuild(driver.execute_script(READ_BACK))
    old, new = expected_texts(c, "old"), expected_texts(c, "new")
    assert inline_old == old and side_old == old
    assert inline_new == new and side_new == new
    # The page ran no script but its embedded navigation and made no request.
    assert driver.execute_script("return document.scripts.length") == 1
    assert "keydown" in driver.execute_script("return document.scripts[0].textContent")
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0


def test_browser_toggle_and_styles(driver: Any, tmp_path: Path, shots: Path) -> None:
    from selenium.webdriver.common.by import By

    c = dprk_comparison()
    _open(driver, c, tmp_path, "redline")
    inline = driver.find_elements(By.CSS_SELECTOR, "article.k-changed:not(.routine) .inline")[0]
    side = driver.find_elements(By.CSS_SELECTOR, "article.k-changed:not(.routine) .sbs")[0]
    assert inline.is_displayed() and not side.is_displayed()
    driver.save_screenshot(str(shots / "inline.png"))

    # Insertions underlined, deletions struck: marked by more than colour.
    ins = driver.find_element(By.CSS_SELECTOR, "article.k-changed .inline ins")
    dele = driver.find_element(By.CSS_SELECTOR, "article.k-split .inline del")
    assert "underline" in ins.value_of_css_property("text-decoration-line")
    assert "line-through" in dele.value_of_css_property("text-decoration-line")

    # Routine pairs are folded; the text is still in the page.
    routine = driver.find_element(By.CSS_SELECTOR, "article.routine .inline")
    assert not routine.is_displayed()
    assert "Recalling all previous" in routine.get_attribute("textContent")

    # The CSS-only toggle (no script): click the label.
    driver.find_element(By.CSS_SELECTOR, "label[for=view-side]").click()
    assert side.is_displayed() and not inline.is_displayed()
    cols = side.find_elements(By.CSS_SELECTOR, ".col")
    assert cols[0].location["y"] == cols[1].location["y"]  # really side by side
    assert cols[0].location["x"] < cols[1].location["x"]
    driver.save_screenshot(str(shots / "side-by-side.png"))

    # A moved paragraph links to the marker where it stood.
    link = driver.find_element(By.CSS_SELECTOR, "a.moved-from")
    target = link.get_attribute("href").split("#", 1)[1]
    assert driver.find_element(By.ID, target).is_displayed()
    print(f"screenshots in {shots}")


def test_browser_long_redline_navigation(driver: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    _open(driver, real_comparison(), tmp_path, "long")
    # Unchanged paragraphs are folded by default: one click shows the text.
    fold = driver.find_element(By.CSS_SELECTOR, "article.k-unchanged details.fold")
    text = fold.find_element(By.CSS_SELECTOR, ".inline")
    assert not text.is_displayed()
    fold.find_element(By.CSS_SELECTOR, "summary").click()
    assert text.is_displayed()
    # Changes only (no re-run, no script needed): unchanged paragraphs go, changes stay.
    unchanged = driver.find_element(By.CSS_SELECTOR, "article.k-unchanged:not(.change)")
    changed = driver.find_elements(By.CSS_SELECTOR, "article.pair.change")
    assert unchanged.is_displayed()
    driver.find_element(By.CSS_SELECTOR, "label[for=changes-only]").click()
    assert not unchanged.is_displayed() and changed[0].is_displayed()
    driver.find_element(By.CSS_SELECTOR, "label[for=changes-only]").click()
    assert unchanged.is_displayed()
    # Next / previous change: the links, and the n / p keys.
    ids = [e.get_attribute("id") for e in changed]
    first = changed[0].find_element(By.CSS_SELECTOR, "a.next-change")
    assert first.get_attribute("href").endswith("#" + ids[1])
    driver.execute_script("window.scrollTo(0, 0)")
    keys = ActionChains(driver)
    keys.send_keys("n").perform()
    assert driver.execute_script("return location.hash") == "#" + ids[0]
    keys.send_keys("n").perform()
    assert driver.execute_script("return location.hash") == "#" + ids[1]
    keys.send_keys("n").perform()
    keys.send_keys("p").perform()
    assert driver.execute_script("return location.hash") == "#" + ids[1]
    # A footnote marker leads to its footnote, which leads back.
    marker = driver.find_element(By.CSS_SELECTOR, ".inline sup.fnref a")
    target = marker.get_attribute("href").split("#", 1)[1]
    assert driver.find_elements(By.ID, target)


def test_browser_print_layout(driver: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.print_page_options import PrintOptions

    _open(driver, dprk_comparison(), tmp_path, "print")
    pdf = driver.print_page(PrintOptions())
    assert len(pdf) > 1000  # a real document came out
    # The print stylesheet hides the chrome: emulate print media and check.
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not driver.find_element(By.CSS_SELECTOR, ".toolbar").is_displayed()
        ins = driver.find_element(By.CSS_SELECTOR, "article.k-changed .inline ins")
        assert "underline" in ins.value_of_css_property("text-decoration-line")
        assert ins.value_of_css_property("color") in ("rgba(0, 0, 0, 1)", "rgb(0, 0, 0)")
        # Folded paragraphs print unfolded.
        # (Asked of the browser: a WebDriver "displayed" check calls anything in closed
        # details hidden, whatever the style.)
        assert driver.execute_script(
            "return document.querySelector('details.fold:not([open]) .inline').checkVisibility()"
        )
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert not driver.execute_script(
        "return document.querySelector('details.fold:not([open]) .inline').checkVisibility()"
    )


def test_missing_browser_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    # The skip-or-fail decision rests on _missing(): a bogus path must be named.
    import sys

    monkeypatch.setattr(sys.modules["conftest"], "CHROMIUM", "/nonexistent/chromium")
    reason = browser_missing()
    assert reason is not None and "/nonexistent/chromium" in reason
