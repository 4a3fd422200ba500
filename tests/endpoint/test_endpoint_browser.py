"""The query page in headless Chromium: type a query, run it, see the rows; nothing loads from elsewhere."""

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
