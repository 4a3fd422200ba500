"""Start headless Chromium under Selenium for the browser tests (query page, linked-data pages, axe-core)."""

from __future__ import annotations

import shutil

import pytest

#: Flags every browser test uses: headless, no sandbox (containers), and nothing that calls home.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run")


def start_chromium(*flags: str, capabilities: dict | None = None):
    """A Selenium driver of headless Chromium with :data:`FLAGS` and ``flags``; fails the test without Chromium.

    ``capabilities``: extra ones, e.g. ``{"goog:loggingPrefs": {"performance": "ALL"}}``. Quit it when done.
    """
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        pytest.fail("headless Chromium is needed: apt-get install chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in (*FLAGS, *flags):
        options.add_argument(flag)
    for name, value in (capabilities or {}).items():
        options.set_capability(name, value)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    return driver
