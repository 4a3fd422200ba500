"""The linked-data pages in headless Chromium: memberships with labels and quotes, links that land on the linked
resource's page, nothing loaded from outside, and an offline accessibility check (lang, headings, landmarks,
names of images and links, contrast)."""

from __future__ import annotations

import json

import pytest
from headless_chromium import start_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Checks in the manner of axe-core/pa11y, run in the page: a list of problems (empty when it passes).
A11Y_CHECK = r"""
const problems = [];
const html = document.documentElement;
if (!/^[a-z]{2}(-[A-Za-z]+)?$/.test(html.lang || '')) problems.push('html has no valid lang');
document.querySelectorAll('[lang]').forEach(e => { if (!/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(e.lang)) problems.push('bad lang ' + e.lang); });
if (!document.querySelector('main')) problems.push('no main landmark');
if (document.querySelectorAll('main').length > 1) problems.push('more than one main');
if (!document.querySelector('header')) problems.push('no banner');
const headings = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1]);
if (headings.filter(h => h === 1).length !== 1) problems.push('not exactly one h1');
headings.forEach((h, i) => { if (i && h > headings[i - 1] + 1) problems.push('heading skips from h' + headings[i - 1] + ' to h' + h); });
document.querySelectorAll('img').forEach(i => { if (!i.hasAttribute('alt')) problems.push('img without alt'); });
document.querySelectorAll('svg[role=img]').forEach(s => {
  const ids = (s.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
  if (!ids.length || !ids.every(id => document.getElementById(id) && document.getElementById(id).textContent.trim())) problems.push('svg without name');
});
document.querySelectorAll('a[href]').forEach(a => { if (!(a.textContent.trim() || a.getAttribute('aria-label') || a.querySelector('title'))) problems.push('link without text: ' + a.href); });
const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
if (new Set(ids).size !== ids.length) problems.push('duplicate ids');
function rgb(c) { const m = c.match(/[\d.]+/g); return m ? m.slice(0, 4).map(Number) : null; }
function lum([r, g, b]) { return [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0); }
function background(e) { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c && (c.length < 4 || c[3] > 0)) return c; } return [255, 255, 255]; }
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
const seen = new Set();
while (walker.nextNode()) {
  const e = walker.currentNode.parentElement;
  if (!walker.currentNode.textContent.trim() || seen.has(e) || e.closest('svg')) continue;
  seen.add(e);
  const style = getComputedStyle(e);
  if (style.visibility === 'hidden' || style.display === 'none') continue;
  const fg = lum(rgb(style.color)), bg = lum(background(e));
  const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
  const large = parseFloat(style.fontSize) >= 24 || (parseFloat(style.fontSize) >= 18.66 && +style.fontWeight >= 700);
  if (ratio < (large ? 3 : 4.5)) problems.push('contrast ' + ratio.toFixed(2) + ' for ' + e.tagName + ': ' + walker.currentNode.textContent.trim().slice(0, 30));
}
return problems;
"""


@pytest.fixture(scope="module")
def browser():
    driver = start_chromium("--window-size=1200,900",
                            capabilities={"goog:loggingPrefs": {"performance": "ALL", "browser": "ALL"}})
    yield driver
    driver.quit()


def requested_urls(browser) -> list[str]:
    """Every URL Chromium asked for since the last call (from the DevTools performance log)."""
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def test_an_organisation_shows_its_memberships_with_labels_and_quotes(ld_server, browser):
    from selenium.webdriver.common.by import By

    browser.get(f"{ld_server.url}/id/organisatie/comensha")
    assert browser.current_url == f"{ld_server.url}/doc/organisatie/comensha"  # followed the 303
    assert browser.find_element(By.TAG_NAME, "h1").text == "Coördinatiecentrum tegen Mensenhandel"
    section = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby=h-memberships]")
    bodies = [a.text for a in section.find_elements(By.CSS_SELECTOR, "li.membership > p > a:first-of-type")]
    assert "Regiegroep programma Samen tegen mensenhandel" in bodies and "Strategisch Overleg Mensenhandel" in bodies
    quotes = [q.text for q in section.find_elements(By.TAG_NAME, "blockquote")]
    assert "In de regiegroep nemen vertegenwoordigers van de volgende organisaties deel" in quotes
    assert "Het SOM bestaat uit de volgende organisaties" in quotes
    assert "https://" not in " ".join(bodies)  # labels, not URIs


def test_following_a_link_lands_on_the_linked_resource(ld_server, browser):
    from selenium.webdriver.common.by import By

    browser.get(f"{ld_server.url}/doc/organisatie/comensha")
    link = browser.find_element(By.LINK_TEXT, "Regiegroep programma Samen tegen mensenhandel")
    link.click()
    assert browser.current_url == f"{ld_server.url}/doc/overleg/regiegroep"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Regiegroep programma Samen tegen mensenhandel"
    members = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby=h-members]").text
    assert "Coördinatiecentrum tegen Mensenhandel" in members
    browser.find_element(By.LINK_TEXT, "Coördinatiecentrum tegen Mensenhandel").click()
    assert browser.current_url == f"{ld_server.url}/doc/organisatie/comensha"


PAGES = ["/doc/organisatie/comensha", "/doc/motie/bikker-cs-2023-12-21", "/doc/actie/campagne-geenbuit", "/def/ont",
         "/def/ont/Motion", "/def/shapes", "/def/scheme/actielijnen", "/dataset", "/doc/organisatie/bestaat-niet"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_nothing_from_outside_and_pass_the_accessibility_check(ld_server, browser, path):
    requested_urls(browser)  # drop what came before
    browser.get(ld_server.url + path)
    urls = requested_urls(browser)
    assert urls and all(url.startswith(ld_server.url + "/") for url in urls), urls
    problems = browser.execute_script(A11Y_CHECK)
    assert not problems, problems
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "404" not in e["message"]]
    assert not errors, errors


def test_pages_fit_a_phone(ld_server, browser):
    browser.set_window_size(390, 844)
    try:
        for path in ("/doc/organisatie/comensha", "/dataset", "/def/ont/quote"):
            browser.get(ld_server.url + path)
            overflow = browser.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
    finally:
        browser.set_window_size(1200, 900)


def test_the_accessibility_check_can_fail(ld_server, browser):
    browser.get(ld_server.url + "/doc/organisatie/comensha")
    browser.execute_script("""
      const h = document.createElement('h4'); h.textContent = 'te diep'; document.querySelector('h1').after(h);
      const p = document.createElement('p'); p.textContent = 'vaag'; p.style.color = '#dddddd'; document.querySelector('main').append(p);
      const a = document.createElement('a'); a.href = '/x'; document.querySelector('main').append(a);
      document.documentElement.removeAttribute('lang');""")
    problems = " | ".join(browser.execute_script(A11Y_CHECK))
    for expected in ("html has no valid lang", "heading skips", "contrast", "link without text"):
        assert expected in problems, problems
