"""The web pages of stm-kg pass axe-core (WCAG 2.0 and 2.1, levels A and AA) in headless Chromium: the query page,
resource pages, the ontology, its terms, shapes and concept schemes, the dataset, the API pages and a 404 page, at a
desktop width and, for two of them, at a phone width. axe-core is a test dependency (tests/accessibility/package.json),
injected into each page; nothing is shipped with the server."""

from __future__ import annotations

import pytest
import requests

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

#: Runs axe on the whole document and hands back what the report needs (execute_async_script: the last argument is
#: the callback).
RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})
  .then(r => done({
    violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                                         targets: v.nodes.map(n => n.target.join(' '))})),
    passes: r.passes.map(p => p.id),
    incomplete: r.incomplete.map(i => i.id)}))
  .catch(e => done({error: String(e && e.stack || e)}));
"""

#: Page -> the HTTP status it answers with.
PAGES = {
    "/": 200,                                              # the query page
    "/doc/organisatie/comensha": 200,                      # an organisation
    "/doc/motie/bikker-cs-2023-12-21": 200,                # a motion
    "/doc/document/nota-2024-06-17-versterkt-actieplan": 200,  # a document
    "/doc/lidmaatschap/regiegroep-ministerie-van-justitie-en-veiligheid": 200,  # a membership
    "/def/ont": 200,                                       # the ontology as one document
    "/def/ont/Motion": 200,                                # a term
    "/def/shapes": 200,
    "/def/scheme/actielijnen": 200,                        # a concept scheme
    "/dataset": 200,
    "/api": 200,
    "/api/docs": 200,
    "/doc/organisatie/bestaat-niet": 404,
}
DESKTOP = (1280, 900)
PHONE = (390, 844)
PHONE_PAGES = ["/", "/doc/organisatie/comensha"]
VIEWS = [("desktop", path) for path in PAGES] + [("phone", path) for path in PHONE_PAGES]

#: (page, axe rule id) -> the elements axe flags today: only these (page, rule) assertions are xfail(strict=True),
#: at every width they are checked at. Each page's other rules must pass. Remove an entry when its page is fixed
#: (the xfail then passes, which fails the run).


def report(title: str, violations: list[dict]) -> str:
    lines = [f"axe-core found {len(violations)} violation(s) on {title}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        lines.extend(f"    {target}" for target in v["targets"])
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe_results(a11y_server, chromium, axe_source):
    """(view, page) -> axe's result there; axe runs once per page and width."""
    cache: dict[tuple[str, str], dict] = {}

    def run(view: str, path: str) -> dict:
        if (view, path) not in cache:
            size = PHONE if view == "phone" else DESKTOP
            chromium.set_window_size(*size)
            try:
                width = chromium.execute_script("return window.innerWidth")
                assert width <= size[0], f"the window is {width}px wide, not {size[0]}px"
                cache[view, path] = axe_check(a11y_server, chromium, axe_source, path)
            finally:
                chromium.set_window_size(*DESKTOP)
        return cache[view, path]

    return run


def axe_check(server, browser, axe_source: str, path: str) -> dict:
    status = requests.get(server.url + path, headers={"Accept": "text/html"}, timeout=30).status_code
    assert status == PAGES[path], f"{path} answered {status}"
    browser.get(server.url + path)
    assert browser.execute_script("return document.contentType") == "text/html", path
    browser.execute_script(axe_source)
    result = browser.execute_async_script(RUN_AXE, TAGS)
    assert "error" not in result, result.get("error")
    assert result["passes"], f"axe passed no rule at all on {path}: the page is probably empty"
    return result


@pytest.mark.parametrize(("view", "path"), VIEWS, ids=[f"{v}:{p}" for v, p in VIEWS])
def test_page_has_no_axe_violations(axe_results, view, path):
    """Every WCAG 2.1 A/AA rule of axe-core passes."""
    violations = axe_results(view, path)["violations"]
    assert not violations, report(f"{path} ({view})", violations)


def test_axe_can_fail(a11y_server, chromium, axe_source):
    """The check is real: a page spoilt in four known ways gives those four rule ids."""
    chromium.get(a11y_server.url + "/doc/organisatie/comensha")
    chromium.execute_script("""
      const main = document.querySelector('main') || document.body;
      const img = document.createElement('img'); img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw='; main.append(img);
      const p = document.createElement('p'); p.textContent = 'nauwelijks leesbaar'; p.style.color = '#eeeeee';
      p.style.background = '#ffffff'; main.append(p);
      const a = document.createElement('a'); a.href = '/x'; main.append(a);
      document.documentElement.removeAttribute('lang');""")
    chromium.execute_script(axe_source)
    result = chromium.execute_async_script(RUN_AXE, TAGS)
    found = {v["id"] for v in result["violations"]}
    assert {"image-alt", "color-contrast", "link-name", "html-has-lang"} <= found, report("the spoilt page", result["violations"])
