"""Named queries (``kg/queries/*.rq``) and their parameters, bound as RDF terms.

A named query declares its title, question and typed parameters in header comments.
``--param`` strings become :class:`kg.store.results.Term` values by the declared type and
are handed to the engine as bindings — never spliced into the query text. Over HTTP,
where the protocol has no bindings, they become a ``VALUES`` block of escaped terms.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

from kg.errors import QueryError
from kg.rdf.namespaces import PREFIXES, XSD
from kg.store.results import Term


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # literal | zh (a literal tagged @zh, as names are) | iri | integer | decimal
    description: str = ""
    default: str | None = None


@dataclass(frozen=True)
class NamedQuery:
    """A ``kg/queries/<name>.rq`` file: its question and parameters come from its header
    comments (``# title:``, ``# question:``, ``# param: NAME TYPE [= DEFAULT] — text``)."""

    name: str
    text: str
    title: str
    question: str
    params: tuple[Param, ...] = ()


_PARAM_RE = re.compile(
    r"#\s*param:\s*(\w+)\s+(literal|zh|iri|integer|decimal)"
    r"(?:\s*=\s*(\S+))?\s*(?:—|-{1,2})?\s*(.*)"
)


def _parse_named(name: str, text: str) -> NamedQuery:
    title = question = ""
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            continue
        if m := re.match(r"#\s*title:\s*(.*)", line):
            title = m.group(1).strip()
        elif m := re.match(r"#\s*question:\s*(.*)", line):
            question = (question + " " + m.group(1).strip()).strip()
        elif m := _PARAM_RE.match(line):
            params.append(Param(m.group(1), m.group(2), m.group(4).strip(), m.group(3)))
    return NamedQuery(name, text, title or name, question, tuple(params))


def named_queries() -> dict[str, NamedQuery]:
    """Every shipped named query by name, in name order."""
    folder = resources.files("kg").joinpath("queries")
    out = {}
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".rq"):
            name = entry.name[:-3]
            out[name] = _parse_named(name, entry.read_text(encoding="utf-8"))
    return out


def named_query(name: str) -> NamedQuery:
    queries = named_queries()
    if name not in queries:
        raise QueryError(f"unknown named query {name!r}; named queries: {', '.join(queries)}")
    return queries[name]


def bind_params(query: NamedQuery | None, given: dict[str, str]) -> dict[str, Term]:
    """``--param`` strings → typed terms: by the named query's declared type; for an ad-hoc
    query a value in ``<…>`` is an IRI, anything else a plain literal."""
    declared = {p.name: p for p in (query.params if query else ())}
    if query:
        unknown = sorted(set(given) - set(declared))
        if unknown:
            raise QueryError(
                f"query {query.name!r} has no parameter {', '.join(unknown)}; "
                f"its parameters: {', '.join(declared) or 'none'}"
            )
    out: dict[str, Term] = {}
    for name, p in declared.items():
        if query is not None and name not in given and p.default is None:
            raise QueryError(f"query {query.name!r} needs --param {name}=… ({p.description})")
    for name in list(declared) + [n for n in given if n not in declared]:
        raw = given.get(name, declared[name].default if name in declared else None)
        if raw is None:
            continue
        ptype = (
            declared[name].type
            if name in declared
            else ("iri" if raw.startswith("<") and raw.endswith(">") else "literal")
        )
        out[name] = _term(name, raw, ptype)
    return out


def _term(name: str, raw: str, ptype: str) -> Term:
    require_utf8(raw, f"--param {name}")
    if ptype == "iri":
        value = raw[1:-1] if raw.startswith("<") and raw.endswith(">") else raw
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value):
            raise QueryError(f"--param {name}: {raw!r} is not an absolute IRI")
        term = Term("iri", value)
        term.n3()  # validates
        return term
    if ptype == "integer":
        if not re.fullmatch(r"[+-]?\d+", raw):
            raise QueryError(f"--param {name}: {raw!r} is not an integer")
        return Term("literal", str(int(raw)), XSD + "integer")
    if ptype == "decimal":
        try:
            return Term("literal", str(Decimal(raw)), XSD + "decimal")
        except ArithmeticError:
            raise QueryError(f"--param {name}: {raw!r} is not a number") from None
    if ptype == "zh":
        return Term("literal", raw, lang="zh")
    return Term("literal", raw)


def require_utf8(text: str, what: str) -> None:
    """Refuse text holding bytes that were not UTF-8 (argv arrives with them as lone
    surrogates), which neither Oxigraph nor the SPARQL protocol can carry."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogateescape")
        raise QueryError(f"{what} is not valid UTF-8 text ({raw!r})") from None


# What makes a query fetch from elsewhere (SERVICE) or change a store (the update
# operations): a served or opened graph answers queries, never these.
_FETCH = "SERVICE"
_UPDATE = frozenset({"LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "INSERT", "DELETE", "WITH"})
_TOKENS = re.compile(
    r"""
      (?P<comment>\#[^\n\r]*)
    | (?P<string>
          \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        | '''(?:[^'\\]|\\.|'(?!''))*'''
        | "(?:[^"\\\n\r]|\\.)*"
        | '(?:[^'\\\n\r]|\\.)*'
      )
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<variable>[?$]\w*)
    | (?P<language>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<name>
          [^\W\d][\w.\-]*(?::[\w.\-:%\\]*)?
        | _?:[\w.\-:%\\]*
      )
    """,
    re.X | re.S,
)
_CODEPOINT = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))")


def _keywords(query: str) -> set[str]:
    """The bare words of ``query``, upper-cased: words outside comments, strings and IRIs
    that are not variables, prefixed names, blank nodes or language tags."""
    words: set[str] = set()
    for m in _TOKENS.finditer(query):
        word = m.group("name")
        if not word:
            continue
        if ":" in word:  # a prefixed name or blank node: only what follows a dot could be a word
            words.update(part.upper() for part in word.split(":", 1)[1].split(".")[1:])
        else:
            words.update(part.upper() for part in word.split("."))
    return words


def refuse_unsafe(query: str) -> None:
    """Refuse a query that would make the engine fetch a URL (``SERVICE``) or that is an
    update (``LOAD``, ``INSERT`` …): the graph is served and opened read-only, and a query
    any web page can send must not make the server send requests of its own.

    Lexical and cautious: the words are looked for as written and with SPARQL's
    ``\\uXXXX`` escapes decoded (the parser decodes them first). A query that only mentions
    them in a string, an IRI or a name runs; anything that could be the keyword is refused."""
    require_utf8(query, "the query")
    words = _keywords(query)
    if _CODEPOINT.search(query):
        words |= _keywords(_CODEPOINT.sub(_decode_codepoint, query))
    if _FETCH in words:
        raise QueryError(
            "the query uses SERVICE, which vetkg refuses: a query may not make the server or the store "
            "fetch from another endpoint"
        )
    update = sorted(words & _UPDATE)
    if update:
        raise QueryError(f"the query is an update ({', '.join(update)}), which vetkg refuses: the graph is read-only")


def _decode_codepoint(m: re.Match) -> str:
    value = int(m.group(1) or m.group(2), 16)
    return chr(value) if value <= 0x10FFFF else m.group(0)


def inject_values(query: str, bindings: dict[str, Term]) -> str:
    """``query`` with a ``VALUES`` block of the bindings at the top of its WHERE group
    (for HTTP endpoints, which have no binding mechanism). Values are escaped N-Triples
    terms; comments, strings and IRIs are skipped when looking for the group."""
    if not bindings:
        return query
    pos = _where_brace(query)
    if pos is None:
        raise QueryError("cannot bind parameters: the query has no WHERE { … } group")
    names = list(bindings)
    block = (
        " VALUES (" + " ".join("?" + n for n in names) + ") { (" + " ".join(bindings[n].n3() for n in names) + ") } "
    )
    return query[: pos + 1] + block + query[pos + 1 :]


def _where_brace(query: str) -> int | None:
    i, n = 0, len(query)
    seen_where = False
    first_brace = None
    while i < n:
        ch = query[i]
        if ch == "#":
            j = query.find("\n", i)
            i = n if j == -1 else j
            continue
        if ch in "\"'":
            quote = query[i : i + 3] if query[i : i + 3] in ('"""', "'''") else ch
            j = i + len(quote)
            while j < n and not query.startswith(quote, j):
                j += 2 if query[j] == "\\" else 1
            i = j + len(quote)
            continue
        if ch == "<" and re.match(r"<[^\s<>\"{}|^`]*>", query[i:]):
            i = query.index(">", i) + 1
            continue
        if ch == "{":
            if seen_where:
                return i
            if first_brace is None:
                first_brace = i
        if query[i : i + 5].upper() == "WHERE" and (i == 0 or not query[i - 1].isalnum()):
            seen_where = True
            i += 5
            continue
        i += 1
    if re.match(r"\s*(?:(?:PREFIX|BASE)[^\n]*\n\s*)*(?:SELECT|ASK)", _strip_comments(query), re.I):
        return first_brace
    return None


def _strip_comments(query: str) -> str:
    return re.sub(r"(?m)^\s*#.*$", "", query)


def is_ordered(query: str | NamedQuery) -> bool:
    text = query.text if isinstance(query, NamedQuery) else query
    return bool(re.search(r"\bORDER\s+BY\b", _strip_comments(text), re.I))


def sparql_prefixes() -> str:
    """``PREFIX`` lines for the project's namespaces (for ad-hoc queries)."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def split_param(arg: str) -> tuple[str, str]:
    if "=" not in arg:
        raise QueryError(f"--param {arg!r}: expected NAME=VALUE")
    k, v = arg.split("=", 1)
    if not re.fullmatch(r"[A-Za-z_]\w*", k):
        raise QueryError(f"--param {arg!r}: {k!r} is not a variable name")
    return k, v


def parse_params(args: Sequence[str]) -> dict[str, str]:
    return dict(split_param(a) for a in args)
