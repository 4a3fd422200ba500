"""The catalogue of named queries: ``queries/{name}.rq`` files, their headers and their parameters.

A query file starts with header comment lines ``#+ key: value`` (grlc's decorator comments are the model; the
format is described in ``queries/README.md``). :meth:`Catalogue.load` reads every file of the folder and
checks it: a broken header is a :class:`QueryFileError` naming the file and line, so a mistake fails the
tests and the server start, not a user's request.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..config import CANONICAL_BASE, QUERIES_DIR, base_uri
from ..syntax import LexError, code, leading_comments, query_form
from .binding import bind_values
from .parameters import TYPES, Parameter, ParameterError

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_HEADER = re.compile(r"^#\+\s*([A-Za-z][A-Za-z0-9_-]*(?:@[a-z]{2})?)\s*:\s?(.*?)\s*$")
_PARAM_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_KEYS = {
    "title", "title@en", "description", "description@en", "param", "expect", "tags", "federated", "endpoint",
}


class QueryFileError(ValueError):
    """A query file is malformed; the message names the file (and line)."""


class UnknownQuery(KeyError):
    """No query of that name in the catalogue."""

    def __str__(self) -> str:
        return f"no named query {self.args[0]!r}"


@dataclass(frozen=True)
class BoundQuery:
    """A query with its parameter values bound: ``text`` is ready to run on any SPARQL 1.1 engine.

    ``values`` are the terms that were bound (None for an optional parameter left unbound), for logging and
    for showing the user what ran; they are already in ``text`` as a VALUES block.
    """

    name: str
    text: str
    values: dict[str, ox.NamedNode | ox.Literal | None]
    form: str


@dataclass(frozen=True)
class NamedQuery:
    """One named query: the file's header and text."""

    name: str
    path: Path
    text: str
    form: str
    title: str
    title_en: str
    description: str
    description_en: str
    parameters: tuple[Parameter, ...] = ()
    expectations: tuple[tuple[int, str], ...] = ()
    tags: tuple[str, ...] = ()
    federated: bool = False
    endpoints: tuple[str, ...] = ()
    base: str = CANONICAL_BASE

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise ParameterError(f"query '{self.name}' has no parameter '{name}'", name)

    # -- binding ---------------------------------------------------------------------------------------

    def bind(self, params: Mapping[str, str] | None = None, *, strict: bool = True) -> BoundQuery:
        """Check ``params`` (text values by parameter name) and bind them; raise :class:`ParameterError`.

        A parameter that is absent (or given as an empty string) takes its default; an optional one without a
        default stays unbound. With ``strict`` (the default) a name the query does not declare is an error;
        the web API passes ``strict=False`` after removing its own parameters (``page``, ``per_page``).
        """
        params = dict(params or {})
        if strict:
            unknown = sorted(set(params) - set(self.parameter_names))
            if unknown:
                accepted = ", ".join(self.parameter_names) or "none"
                raise ParameterError(
                    f"query '{self.name}' has no parameter {', '.join(repr(u) for u in unknown)} (accepted: {accepted})",
                    unknown[0],
                )
        values: dict[str, ox.NamedNode | ox.Literal | None] = {}
        for p in self.parameters:
            text = params.get(p.name)
            if text is None or text == "":
                text = p.default
            if text is None:
                if p.required:
                    raise ParameterError(
                        f"query '{self.name}' needs parameter '{p.name}' ({p.type.description})", p.name
                    )
                values[p.name] = None
                continue
            values[p.name] = p.to_term(text, self.base)
        return BoundQuery(self.name, bind_values(self.text, values), values, self.form)

    def example_text(self) -> str:
        """The query with its defaults bound, for an example tab; the plain text when a required value has none."""
        try:
            return self.bind({}).text
        except ParameterError:
            return self.text

    # -- descriptions for the web API ------------------------------------------------------------------

    def variables(self) -> list[str] | None:
        """The projected variables of a SELECT query, read from its tokens (None for ``SELECT *`` or other forms):
        the variables between SELECT and the WHERE group outside brackets, and each one after ``AS``."""
        if self.form != "SELECT":
            return None
        tokens = code(self.text)
        start, _ = query_form(tokens)
        names, previous = [], None
        for token in tokens[start + 1:]:
            if token.depth == 0 and (token.keyword == "WHERE" or token.kind == "{" or token.keyword == "FROM"):
                break
            if token.kind == "*" and token.depth == 0:
                return None
            if token.kind in ("VAR1", "VAR2") and (token.depth == 0 or (previous and previous.keyword == "AS")):
                names.append(token.text[1:])
            previous = token
        return list(dict.fromkeys(names))

    def openapi_parameters(self) -> list[dict]:
        """The parameters as OpenAPI 3.1 ``in: query`` parameter objects."""
        return [p.openapi() for p in self.parameters]

    def response_schema(self) -> dict:
        """JSON Schema (OpenAPI 3.1) of the plain JSON answer: a list of objects, one key per variable.

        Values are strings (IRIs and text), numbers or booleans, per :func:`stm_kg.queries.runner.plain_value`;
        a variable left unbound in a row is absent from that object. An ASK query answers ``{"boolean": ...}``.
        """
        if self.form == "ASK":
            return {"type": "object", "properties": {"boolean": {"type": "boolean"}}, "required": ["boolean"]}
        if self.form != "SELECT":
            return {"type": "string", "description": "an RDF graph (Turtle, N-Triples, JSON-LD ...)"}
        value = {"type": ["string", "number", "boolean"]}
        names = self.variables()
        item: dict = {"type": "object"}
        if names is not None:
            item["properties"] = {name: value for name in names}
            item["additionalProperties"] = False
        else:
            item["additionalProperties"] = value
        return {"type": "array", "items": item}

    def openapi_operation(self) -> dict:
        """An OpenAPI 3.1 GET operation for ``/api/{name}`` (without the paging parameters of the web layer)."""
        return {
            "operationId": self.name.replace("-", "_"),
            "summary": self.title,
            "description": f"{self.description}\n\n{self.title_en}: {self.description_en}",
            "tags": list(self.tags),
            "parameters": self.openapi_parameters(),
            "responses": {
                "200": {
                    "description": "the answer",
                    "content": {"application/json": {"schema": self.response_schema()}},
                },
                "400": {"description": "a parameter is missing, unknown or not of its type"},
            },
        }


@dataclass
class Catalogue(Mapping[str, NamedQuery]):
    """All named queries of a folder, by name (file stem), sorted by name."""

    queries: dict[str, NamedQuery] = field(default_factory=dict)
    base: str = CANONICAL_BASE

    @classmethod
    def load(cls, folder: Path = QUERIES_DIR, base: str | None = None) -> "Catalogue":
        """Read and check every ``*.rq`` of ``folder``; IRIs under the canonical base are moved to ``base``."""
        base = base or base_uri()
        queries = {}
        for path in sorted(Path(folder).glob("*.rq")):
            query = read_query(path, base)
            queries[query.name] = query
        return cls(queries, base)

    def __getitem__(self, name: str) -> NamedQuery:
        try:
            return self.queries[name]
        except KeyError:
            raise UnknownQuery(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.queries)

    def __len__(self) -> int:
        return len(self.queries)

    def local(self) -> list[NamedQuery]:
        """The queries that need no other endpoint (not federated)."""
        return [q for q in self.queries.values() if not q.federated]

    def openapi_paths(self, prefix: str = "/api") -> dict:
        """``paths`` entries ``{prefix}/{name}`` for every query, for the web API's OpenAPI document."""
        return {f"{prefix}/{q.name}": {"get": q.openapi_operation()} for q in self.queries.values()}


def read_query(path: Path, base: str = CANONICAL_BASE) -> NamedQuery:
    """Parse one query file; raise :class:`QueryFileError` for a header that does not follow the format."""
    name = path.stem
    where = f"{path.name}"
    if not _NAME.match(name):
        raise QueryFileError(f"{where}: a query name is lower-case letters, digits and '-'")
    raw = path.read_text(encoding="utf-8")
    text = raw.replace(CANONICAL_BASE, base) if base != CANONICAL_BASE else raw
    header: dict[str, list[tuple[int, str]]] = {}
    for comment in leading_comments(text):
        line, number = comment.text, comment.line
        if not line.startswith("#+"):
            continue
        found = _HEADER.match(line)
        if not found or found.group(1) not in _KEYS:
            raise QueryFileError(f"{where}:{number}: unknown header line {line!r} (keys: {', '.join(sorted(_KEYS))})")
        header.setdefault(found.group(1), []).append((number, found.group(2)))

    def one(key: str, required: bool = True) -> str:
        lines = header.get(key, [])
        if required and not lines:
            raise QueryFileError(f"{where}: the header needs '#+ {key}:'")
        return " ".join(v for _, v in lines).strip()

    try:
        tokens = code(text)
    except LexError as error:
        raise QueryFileError(f"{where}:{error.line}:{error.column}: {error.reason}") from None
    form = query_form(tokens)
    if form is None:
        raise QueryFileError(f"{where}: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    parameters = tuple(_parse_param(where, number, value) for number, value in header.get("param", []))
    declared = [p.name for p in parameters]
    if len(set(declared)) != len(declared):
        raise QueryFileError(f"{where}: a parameter is declared twice")
    used = {token.text[1:] for token in tokens if token.kind == "VAR2"}
    for p in parameters:
        if p.name not in used:
            raise QueryFileError(f"{where}: parameter '{p.name}' is declared but the query never uses ${p.name}")
        if p.default is not None:
            try:
                p.to_term(p.default, base)
            except ParameterError as error:
                raise QueryFileError(f"{where}: the default of '{p.name}' is not of its type: {error}") from None
    undeclared = used - set(declared)
    if undeclared:
        raise QueryFileError(
            f"{where}: ${', $'.join(sorted(undeclared))} look like parameters ($name) but are not declared with '#+ param:'"
        )
    federated = one("federated", required=False).lower() in ("true", "yes")
    return NamedQuery(
        name=name,
        path=path,
        text=text,
        form=form[1],
        title=one("title"),
        title_en=one("title@en"),
        description=one("description"),
        description_en=one("description@en"),
        parameters=parameters,
        expectations=tuple(header.get("expect", [])),
        tags=tuple(t.strip() for t in one("tags", required=False).split(",") if t.strip()),
        federated=federated,
        endpoints=tuple(v for _, v in header.get("endpoint", [])),
        base=base,
    )


def _parse_param(where: str, number: int, value: str) -> Parameter:
    """``NAME TYPE [optional|required] [default=VALUE] [values=a|b|c] -- Nederlands | English``."""
    spec, _, described = value.partition(" -- ")
    description, _, description_en = described.partition(" | ")
    try:
        words = shlex.split(spec)
    except ValueError as error:
        raise QueryFileError(f"{where}:{number}: cannot read the param line: {error}") from None
    if len(words) < 2:
        raise QueryFileError(f"{where}:{number}: a param line is 'NAME TYPE [optional] [default=...] -- description'")
    name, type_name, *options = words
    if not _PARAM_NAME.match(name):
        raise QueryFileError(f"{where}:{number}: parameter name {name!r} must be lower-case letters, digits and _")
    if type_name not in TYPES:
        raise QueryFileError(f"{where}:{number}: unknown parameter type {type_name!r} (types: {', '.join(TYPES)})")
    required, default, choices = True, None, ()
    for option in options:
        if option == "optional":
            required = False
        elif option == "required":
            required = True
        elif option.startswith("default="):
            default = option[len("default="):]
            required = False
        elif option.startswith("values="):
            choices = tuple(option[len("values="):].split("|"))
        else:
            raise QueryFileError(f"{where}:{number}: unknown param option {option!r}")
    return Parameter(name, TYPES[type_name], required, default, choices, description.strip(), description_en.strip())
