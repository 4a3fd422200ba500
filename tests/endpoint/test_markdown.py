"""The Markdown of the OpenAPI descriptions becomes HTML without letting markup or script through."""

from __future__ import annotations

from stm_kg.web.markdown import render_markdown


def test_markdown_becomes_html():
    html = render_markdown("Een `code`-woord, *nadruk* en een lijst:\n\n- een\n- twee\n\n[TOOI](https://standaarden.overheid.nl/tooi)")
    assert "<code>code</code>" in html and "<em>nadruk</em>" in html and "<li>twee</li>" in html
    assert '<a href="https://standaarden.overheid.nl/tooi">TOOI</a>' in html


def test_raw_html_and_script_links_do_not_pass():
    html = render_markdown('<script>alert(1)</script> <img src=x onerror="alert(2)"> [klik](javascript:alert(3))')
    assert "<script" not in html and "<img" not in html and "<a " not in html  # the link stays text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
