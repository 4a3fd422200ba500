"""The query page in headless Chromium: type a query, run it, see the rows; nothing loads from elsewhere; the
examples open in tabs of their own, and the tabs survive a reload."""

from __future__ import annotations

import pytest
from headless_chromium import start_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUERY = "SELECT ?name WHERE { ?p <http://xmlns.com/foaf/0.1/name> ?name }"


@pytest.fixture(scope="module")
def browser():
    driver = start_chromium()
    yield driver
    driver.quit()


def test_type_a_query_run_it_and_see_the_rows(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server.url + "/")
    wait = WebDriverWait(browser, 20)
    editor = wait.until(ready.element_to_be_clickable((By.CSS_SELECTOR, ".yasqe .CodeMirror")))
    editor.click()
    typing = browser.switch_to.active_element
    typing.send_keys(Keys.CONTROL, "a")
    typing.send_keys(Keys.DELETE)
    typing.send_keys(QUERY)
    typed = browser.execute_script("return window.stmKgYasgui.getTab().getYasqe().getValue()")
    assert typed.replace("}}", "}") == QUERY
    browser.execute_script("window.stmKgYasgui.getTab().getYasqe().setValue(arguments[0])", QUERY)  # drop auto-closed braces
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    cell = wait.until(ready.presence_of_element_located((By.XPATH, "//div[contains(@class,'yasr')]//td[contains(., 'Mirjam Bikker')]")))
    assert cell.is_displayed()
    resources = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert resources and all(url.startswith(server.url) for url in resources), resources
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, errors


TABS = "return window.stmKgYasgui.persistentConfig.getTabs()"
ACTIVE = "return window.stmKgYasgui.getTab().getId()"
#: The query of a tab: its editor's text, or what YASGUI keeps for a tab not drawn yet (after a reload).
VALUE = """const tab = window.stmKgYasgui.getTab(arguments[0]);
return tab.getYasqe() ? tab.getYasqe().getValue() : window.stmKgYasgui.persistentConfig.getTab(arguments[0]).yasqe.value;"""
#: True when the editor of the active tab shows its first line that is not a comment or PREFIX, unscrolled.
QUERY_IN_VIEW = """
const yasqe = window.stmKgYasgui.getTab().getYasqe();
const lines = yasqe.getValue().split("\\n");
const first = lines.findIndex(l => l.trim() && !l.startsWith("#") && !/^PREFIX\\b/i.test(l.trim()));
const top = yasqe.charCoords({line: first, ch: 0}, "local").top;
return yasqe.getScrollInfo().top === 0 && top < yasqe.getScrollInfo().clientHeight;
"""


def open_query_page(browser, url: str):
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(url)
    WebDriverWait(browser, 20).until(
        lambda b: b.execute_script("return !!(window.stmKgYasgui && window.stmKgYasgui.getTab() && window.stmKgYasgui.getTab().getYasqe())"))


def test_an_example_opens_in_its_own_tab_and_the_users_tab_survives_a_reload(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    open_query_page(browser, server.url + "/")
    browser.execute_script("localStorage.clear()")  # a first visit
    open_query_page(browser, server.url + "/")
    (own,) = browser.execute_script(TABS)
    assert browser.execute_script(QUERY_IN_VIEW), "the editor opens scrolled away from the query"
    browser.find_element(By.CSS_SELECTOR, ".yasqe .CodeMirror").click()
    typing = browser.switch_to.active_element
    typing.send_keys(Keys.CONTROL, "a")
    typing.send_keys(Keys.DELETE)
    typing.send_keys("SELECT ?name WHERE { ?p <http://xmlns.com/foaf/0.1/name> ?name } LIMIT 2")
    mine = browser.execute_script(VALUE, own)
    assert "foaf/0.1/name" in mine

    browser.find_element(By.CSS_SELECTOR, 'button.example[data-name="leden-overleg"]').click()
    WebDriverWait(browser, 20).until(lambda b: len(b.execute_script(TABS)) == 2)
    assert browser.execute_script(ACTIVE) == "example-leden-overleg"
    shown = browser.execute_script(VALUE, "example-leden-overleg")
    assert shown.startswith("#+ title: Wie zit er in de Regiegroep")
    assert "#+ description:" in shown and "#+ param: body iri" in shown and "SELECT ?member" in shown
    assert "#+ expect:" not in shown and "#+ tags:" not in shown
    assert browser.execute_script(QUERY_IN_VIEW), "the example opens scrolled away from the query"
    tab_names = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".tabsList .tab")]
    assert any(name.startswith("Wie zit er in de Regiegroep") for name in tab_names), tab_names
    assert browser.execute_script(VALUE, own) == mine  # the user's tab is untouched

    browser.refresh()
    open_query_page(browser, server.url + "/")
    assert browser.execute_script(TABS) == [own, "example-leden-overleg"]
    assert browser.execute_script(VALUE, own) == mine
    browser.find_element(By.CSS_SELECTOR, 'button.example[data-name="leden-overleg"]').click()
    assert browser.execute_script(TABS) == [own, "example-leden-overleg"]  # back to its tab, not a third one
    assert browser.execute_script(ACTIVE) == "example-leden-overleg"
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, errors


def test_api_docs_render_the_markdown_of_the_openapi_descriptions(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server.url + "/api/docs")
    intro = browser.find_element(By.CSS_SELECTOR, ".intro .description")
    assert "queries/*.rq" in [code.text for code in intro.find_elements(By.TAG_NAME, "code")]
    assert "Samen tegen mensenhandel" in [em.text for em in intro.find_elements(By.TAG_NAME, "em")]
    assert "`" not in intro.text and "*Samen" not in intro.text  # no Markdown left as text
    operation = browser.find_element(By.CSS_SELECTOR, "section#leden-overleg .description")
    examples = [code.text for code in operation.find_elements(By.TAG_NAME, "code")]
    assert any(text.startswith("/api/v1/leden-overleg") for text in examples), examples
    assert len(operation.find_elements(By.TAG_NAME, "p")) >= 3  # paragraphs: Dutch, English, the example call
