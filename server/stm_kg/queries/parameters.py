"""Parameter types of the named queries: what a value may look like, and the RDF term it becomes.

Every value arrives as text (a URL query string, a command-line argument). :meth:`ParamType.to_term` checks it
and turns it into a pyoxigraph term; anything that does not fit raises :class:`ParameterError` with a message
for people. The term is later written into the query as N-Triples syntax by pyoxigraph itself, so a value can
never become query code (see :mod:`stm_kg.queries.binding`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import pyoxigraph as ox

from ..config import CANONICAL_BASE
from ..namespaces import PREFIXES

XSD = "http://www.w3.org/2001/XMLSchema#"


class ParameterError(ValueError):
    """A parameter value is missing, unknown or not of its type; ``str(error)`` says which and why.

    ``parameter`` names the parameter (None when the problem is an unknown name list).
    """

    def __init__(self, message: str, parameter: str | None = None):
        super().__init__(message)
        self.parameter = parameter


# An absolute IRI: a scheme, then no character that IRIREF (SPARQL grammar [139]) forbids, nor whitespace.
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]*$")
_PREFIXED = re.compile(r"^([A-Za-z][A-Za-z0-9_\-]*):(.*)$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_DECIMAL = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_LANGUAGE = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_MAX_LENGTH = 2000


def short_prefixes(base: str = CANONICAL_BASE) -> dict[str, str]:
    """Prefixes a client may use in an ``iri`` value instead of a full IRI (``id:overleg/regiegroep``)."""
    prefixes = {name: ns.replace(CANONICAL_BASE, base, 1) for name, ns in PREFIXES.items()}
    prefixes["id"] = f"{base}id/"
    return prefixes


@dataclass(frozen=True)
class ParamType:
    """One parameter type: its name, the JSON-schema it has in OpenAPI, and how text becomes a term."""

    name: str
    description: str
    schema: dict = field(default_factory=dict)

    def to_term(self, text: str, *, base: str = CANONICAL_BASE, parameter: str = "") -> ox.NamedNode | ox.Literal:
        who = f"parameter '{parameter}'" if parameter else "value"
        if len(text) > _MAX_LENGTH:
            raise ParameterError(f"{who}: the value is longer than {_MAX_LENGTH} characters", parameter)
        if "\x00" in text:
            raise ParameterError(f"{who}: the value contains a NUL character", parameter)
        convert = getattr(self, f"_{self.name}")
        return convert(text.strip() if self.name != "string" else text, who, base, parameter)

    # -- one converter per type -------------------------------------------------------------------------

    def _iri(self, text: str, who: str, base: str, parameter: str) -> ox.NamedNode:
        found = _PREFIXED.match(text)
        prefixes = short_prefixes(base)
        if found and found.group(1) in prefixes and not text.startswith(("http:", "https:", "urn:")):
            text = prefixes[found.group(1)] + found.group(2)
        if not _IRI.match(text):
            raise ParameterError(
                f"{who} must be an absolute IRI such as {base}id/overleg/regiegroep (or id:overleg/regiegroep); "
                f"got {text!r}",
                parameter,
            )
        try:
            return ox.NamedNode(text)
        except ValueError as error:
            raise ParameterError(f"{who} is not a valid IRI: {error}", parameter) from None

    def _string(self, text: str, who: str, base: str, parameter: str) -> ox.Literal:
        return ox.Literal(text)

    def _date(self, text: str, who: str, base: str, parameter: str) -> ox.Literal:
        try:
            if not _DATE.match(text):
                raise ValueError
            date.fromisoformat(text)
        except ValueError:
            raise ParameterError(f"{who} must be a date written YYYY-MM-DD (e.g. 2024-06-17); got {text!r}", parameter) from None
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "date"))

    def _integer(self, text: str, who: str, base: str, parameter: str) -> ox.Literal:
        if not _INTEGER.match(text) or len(text) > 19:
            raise ParameterError(f"{who} must be a whole number (e.g. 2024); got {text!r}", parameter)
        return ox.Literal(str(int(text)), datatype=ox.NamedNode(XSD + "integer"))

    def _decimal(self, text: str, who: str, base: str, parameter: str) -> ox.Literal:
        if not _DECIMAL.match(text) or len(text) > 40:
            raise ParameterError(f"{who} must be a decimal number (e.g. 500000 or 2.5); got {text!r}", parameter)
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "decimal"))

    def _boolean(self, text: str, who: str, base: str, parameter: str) -> ox.Literal:
        lowered = text.lower()
        if lowered in ("true", "1", "yes", "ja"):
            return ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))
        if lowered in ("false", "0", "no", "nee"):
            return ox.Literal("false", datatype=ox.NamedNode(XSD + "boolean"))
        raise ParameterError(f"{who} must be true or false; got {text!r}", parameter)

    def _language(self, text: str, who: str, base: str, parameter: str) -> ox.Literal:
        if not _LANGUAGE.match(text):
            raise ParameterError(f"{who} must be a language tag such as nl or en; got {text!r}", parameter)
        return ox.Literal(text.lower())


TYPES: dict[str, ParamType] = {
    t.name: t
    for t in (
        ParamType("iri", "an IRI of a resource (a full IRI, or id:{kind}/{name})", {"type": "string", "format": "iri"}),
        ParamType("string", "any text", {"type": "string"}),
        ParamType("date", "a date YYYY-MM-DD (xsd:date)", {"type": "string", "format": "date"}),
        ParamType("integer", "a whole number (xsd:integer)", {"type": "integer"}),
        ParamType("decimal", "a decimal number (xsd:decimal)", {"type": "number"}),
        ParamType("boolean", "true or false (xsd:boolean)", {"type": "boolean"}),
        ParamType("language", "a language tag (BCP 47), e.g. nl or en, as a plain string", {"type": "string", "pattern": _LANGUAGE.pattern}),
    )
}


@dataclass(frozen=True)
class Parameter:
    """One declared parameter of a named query (``#+ param:`` line)."""

    name: str
    type: ParamType
    required: bool
    default: str | None = None
    choices: tuple[str, ...] = ()
    description: str = ""
    description_en: str = ""

    def to_term(self, text: str, base: str = CANONICAL_BASE) -> ox.NamedNode | ox.Literal:
        if self.choices and text not in self.choices:
            raise ParameterError(
                f"parameter '{self.name}' must be one of {', '.join(self.choices)}; got {text!r}", self.name
            )
        return self.type.to_term(text, base=base, parameter=self.name)

    def openapi(self) -> dict:
        """This parameter as an OpenAPI 3.1 ``parameters`` entry (``in: query``)."""
        schema = dict(self.type.schema)
        if self.choices:
            schema["enum"] = list(self.choices)
        if self.default is not None:
            schema["default"] = _json_value(self.type.name, self.default)
        entry = {
            "name": self.name,
            "in": "query",
            "required": self.required,
            "description": " / ".join(d for d in (self.description, self.description_en) if d),
            "schema": schema,
        }
        if self.default is not None:
            entry["example"] = _json_value(self.type.name, self.default)
        return entry


def _json_value(type_name: str, text: str):
    if type_name == "integer":
        return int(text)
    if type_name == "decimal":
        return float(text)
    if type_name == "boolean":
        return text.lower() in ("true", "1", "yes", "ja")
    return text
