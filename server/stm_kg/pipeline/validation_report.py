"""Turn a :class:`~stm_kg.pipeline.validation.ValidationOutcome` into a report people and scripts can use.

Four formats of the same content: plain text, the W3C ``sh:ValidationReport`` in Turtle, JSON, and a
standalone HTML page (inline style, nothing loaded from elsewhere). Results are grouped by resource (a blank
node such as a derivation is shown under the named resource that holds it), groups are ordered by their worst
severity, and within a group by severity and property. Every format ends with, or carries, the one-line summary.
"""

from __future__ import annotations

import html
import json
from itertools import groupby
from typing import TYPE_CHECKING, Callable

from rdflib import Literal, URIRef
from rdflib.term import Node

from ..namespaces import PREFIXES, SH, STM_ID

if TYPE_CHECKING:
    from .validation import ValidationOutcome, ValidationResult

FORMATS = ("text", "turtle", "json", "html")
LANGUAGES = ("nl", "en", "both")
_RANK = {SH.Violation: 0, SH.Warning: 1, SH.Info: 2}
_SEVERITY_WORDS = {
    "nl": {SH.Violation: ("fout", "fouten"), SH.Warning: ("waarschuwing", "waarschuwingen"), SH.Info: ("opmerking", "opmerkingen")},
    "en": {SH.Violation: ("violation", "violations"), SH.Warning: ("warning", "warnings"), SH.Info: ("info", "infos")},
}
_VERDICT = {
    "nl": ("voldoet", "voldoet niet"),
    "en": ("conforms", "does not conform"),
}
_LABELS = {
    "nl": {"property": "eigenschap", "value": "waarde", "via": "via", "shape": "regel"},
    "en": {"property": "property", "value": "value", "via": "via", "shape": "rule"},
}


def render(outcome: ValidationOutcome, fmt: str = "text", lang: str = "both") -> str:
    """The report in ``fmt`` (one of :data:`FORMATS`) and ``lang`` (``nl``, ``en`` or ``both``)."""
    renderers: dict[str, Callable[[ValidationOutcome, str], str]] = {
        "text": render_text,
        "turtle": lambda o, _lang: render_turtle(o),
        "json": render_json,
        "html": render_html,
    }
    return renderers[fmt](outcome, lang)


def _languages(lang: str) -> tuple[str, ...]:
    return ("nl", "en") if lang == "both" else (lang,)


def _short(node: Node | None) -> str:
    """Prefixed name (``id:motie/…``, ``org:member``) or the literal's value, for display."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        text = str(node)
        for prefix, namespace in (("id", str(STM_ID)), *PREFIXES.items()):
            if text.startswith(namespace) and len(text) > len(namespace):
                return f"{prefix}:{text[len(namespace):]}"
        return f"<{text}>"
    if isinstance(node, Literal):
        suffix = f"@{node.language}" if node.language else (f"^^{_short(node.datatype)}" if node.datatype else "")
        return f'"{node}"{suffix}'
    return "[]"


def summary(outcome: ValidationOutcome, lang: str = "en") -> str:
    """One line: verdict, counts per severity, resources, triples and files."""
    lines = []
    for language in _languages(lang):
        words = _SEVERITY_WORDS[language]
        counts = ", ".join(
            f"{outcome.count(s)} {words[s][0] if outcome.count(s) == 1 else words[s][1]}" for s in _RANK
        )
        resources = len({r.resource for r in outcome.results})
        files = len(outcome.files)
        if language == "nl":
            tail = f"bij {resources} resources; {outcome.triples:,} triples".replace(",", ".")
            tail += f" in {files} bestand{'en' if files != 1 else ''}" if files else ""
        else:
            tail = f"on {resources} resources; {outcome.triples:,} triples"
            tail += f" in {files} file{'s' if files != 1 else ''}" if files else ""
        verdict = _VERDICT[language][0 if outcome.conforms else 1]
        lines.append(f"{verdict.upper()}: {counts} {tail}")
    return " | ".join(lines)


def groups(outcome: ValidationOutcome) -> list[tuple[Node, list[ValidationResult]]]:
    """Results grouped by resource; groups by worst severity then resource, results by severity then path."""
    ordered = sorted(outcome.results, key=lambda r: str(r.resource))
    grouped = [
        (resource, sorted(items, key=lambda r: (_RANK.get(r.severity, 9), r.path, _short(r.value))))
        for resource, items in groupby(ordered, key=lambda r: r.resource)
    ]
    grouped.sort(key=lambda g: (_RANK.get(g[1][0].severity, 9), str(g[0])))
    return grouped


# -- Text ----


def render_text(outcome: ValidationOutcome, lang: str = "both") -> str:
    languages = _languages(lang)
    out: list[str] = []
    for resource, items in groups(outcome):
        label = items[0].label
        out.append(f"{_short(resource)}" + (f"  ({label})" if label else ""))
        for result in items:
            name = " / ".join(result.name[language] for language in languages if language in result.name)
            out.append(f"  {result.severity_name.upper():<9} {result.path or '(resource)'}" + (f"  [{name}]" if name else ""))
            words = _LABELS[languages[0]]
            if result.via:
                out.append(f"    {words['via']}: {result.via}")
            if result.value is not None:
                out.append(f"    {words['value']}: {_short(result.value)}")
            for language in languages:
                prefix = f"{language}: " if len(languages) > 1 else ""
                out.append(f"    {prefix}{result.message(language)}")
            out.append(f"    {words['shape']}: {_short(result.source_shape)}")
        out.append("")
    out.append(summary(outcome, lang))
    return "\n".join(out) + "\n"


# -- Turtle ----


def render_turtle(outcome: ValidationOutcome) -> str:
    """The W3C ``sh:ValidationReport`` as pySHACL made it, in Turtle."""
    return outcome.report_graph.serialize(format="turtle")


# -- JSON ----


def _result_json(result: ValidationResult, languages: tuple[str, ...]) -> dict:
    return {
        "severity": result.severity_name,
        "focusNode": str(result.focus) if isinstance(result.focus, URIRef) else None,
        "via": result.via or None,
        "path": result.path or None,
        "value": None if result.value is None else str(result.value),
        "valueDisplay": None if result.value is None else _short(result.value),
        "sourceShape": str(result.source_shape) if isinstance(result.source_shape, URIRef) else None,
        "constraint": str(result.component) if result.component else None,
        "name": {language: result.name[language] for language in languages if language in result.name},
        "message": {language: result.message(language) for language in languages},
    }


def render_json(outcome: ValidationOutcome, lang: str = "both") -> str:
    languages = _languages(lang)
    document = {
        "conforms": outcome.conforms,
        "summary": summary(outcome, lang),
        "counts": {
            "violations": outcome.count(SH.Violation),
            "warnings": outcome.count(SH.Warning),
            "infos": outcome.count(SH.Info),
            "resources": len({r.resource for r in outcome.results}),
            "triples": outcome.triples,
        },
        "files": [str(p) for p in outcome.files],
        "resources": [
            {
                "resource": str(resource) if isinstance(resource, URIRef) else None,
                "label": items[0].label or None,
                "results": [_result_json(r, languages) for r in items],
            }
            for resource, items in groups(outcome)
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# -- HTML ----

_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1b1b1b; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.05rem; margin: 1.6rem 0 .4rem; word-break: break-all; }
.summary { padding: .6rem .9rem; border-radius: 4px; background: #e8f4ea; border-left: 5px solid #2e7d32; }
.summary.fails { background: #fdecea; border-left-color: #c62828; }
table { border-collapse: collapse; width: 100%; } td, th { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid #ddd; }
.sev { font-weight: 600; white-space: nowrap; } .Violation { color: #b71c1c; } .Warning { color: #8a5a00; } .Info { color: #1f4e8c; }
code { font-size: .9em; word-break: break-all; } .label { color: #555; font-weight: normal; } .lang { color: #777; font-size: .85em; }
"""


def render_html(outcome: ValidationOutcome, lang: str = "both") -> str:
    languages = _languages(lang)
    esc = html.escape
    words = _LABELS[languages[0]]
    title = "Validatierapport stm-kg" if languages[0] == "nl" else "stm-kg validation report"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{languages[0]}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        f'<p class="summary{"" if outcome.conforms else " fails"}">{esc(summary(outcome, lang))}</p>',
    ]
    for resource, items in groups(outcome):
        label = items[0].label
        parts.append(
            f"<h2><code>{esc(_short(resource))}</code>"
            + (f' <span class="label">{esc(label)}</span>' if label else "")
            + "</h2>"
        )
        parts.append(f"<table><tr><th></th><th>{esc(words['property'])}</th><th>{esc(words['value'])}</th><th></th></tr>")
        for result in items:
            messages = "".join(
                f'<div><span class="lang">{language}</span> {esc(result.message(language))}</div>' for language in languages
            )
            path = result.path or "—"
            if result.via:
                path = f"{result.via} → {path}"
            parts.append(
                f'<tr><td class="sev {esc(result.severity_name)}">{esc(result.severity_name)}</td>'
                f"<td><code>{esc(path)}</code></td>"
                f"<td><code>{esc(_short(result.value))}</code></td>"
                f'<td>{messages}<div class="lang">{esc(words["shape"])}: <code>{esc(_short(result.source_shape))}</code></div></td></tr>'
            )
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
