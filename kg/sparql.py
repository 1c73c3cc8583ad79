"""SPARQL over a built graph: named queries, parameters bound as RDF terms, three stores.

- :class:`RdflibStore` — the graph in memory (the default; fine for thousands of
  documents);
- :class:`OxigraphStore` — an on-disk Oxigraph store (pyoxigraph), bulk-loaded once from
  ``graph.nt`` and reused while the graph is unchanged;
- :class:`EndpointStore` — any SPARQL 1.1 protocol endpoint over HTTP (Oxigraph, Fuseki,
  GraphDB …), e.g. the one ``vetkg serve`` starts.

Every store answers with a :class:`Result` of plain Python values, so the same query
gives comparable answers on each. Parameters (``--param number=…``) are never spliced
into query text: rdflib binds them with ``initBindings``, Oxigraph with
``substitutions``; over HTTP, where the protocol has no binding, they become a
``VALUES`` block of escaped N-Triples terms at the top of the ``WHERE`` group.
"""
from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple, Optional, Sequence

from kg.graph import PREFIXES

XSD = PREFIXES["xsd"]
GRAPH_FILE = "graph.nt"


class QueryError(Exception):
    """A query that cannot run: bad syntax (with line and column), unknown name, missing
    parameter, unreachable endpoint. The CLI prints it and exits 2."""


class GraphNotFound(QueryError):
    pass


# --- named queries ----------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # literal | zh (a literal tagged @zh, as names are) | iri | integer | decimal
    description: str = ""
    default: Optional[str] = None


@dataclass(frozen=True)
class NamedQuery:
    """A ``kg/queries/<name>.rq`` file: its question and parameters come from its header
    comments (``# title:``, ``# question:``, ``# param: NAME TYPE [= DEFAULT] — text``)."""

    name: str
    text: str
    title: str
    question: str
    params: tuple[Param, ...] = ()


_PARAM_RE = re.compile(r"#\s*param:\s*(\w+)\s+(literal|zh|iri|integer|decimal)"
                       r"(?:\s*=\s*(\S+))?\s*(?:—|-{1,2})?\s*(.*)")


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


# --- terms and results ------------------------------------------------------------------


class Term(NamedTuple):
    """An RDF term independent of any library: ``kind`` is iri, literal or bnode. (A
    named tuple: results hold one per cell, so it must be cheap to make.)"""

    kind: str
    value: str
    datatype: Optional[str] = None
    lang: Optional[str] = None

    def to_python(self) -> Any:
        """Numbers as numbers, dates as dates, everything else as its string."""
        if self.kind != "literal" or not self.datatype:
            return self.value
        local = self.datatype[len(XSD):] if self.datatype.startswith(XSD) else ""
        try:
            if local in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger",
                         "short", "byte", "unsignedInt", "unsignedLong"):
                return int(self.value)
            if local == "decimal":
                d = Decimal(self.value)
                return int(d) if d == d.to_integral_value() else d
            if local in ("double", "float"):
                return float(self.value)
            if local == "date":
                return datetime.date.fromisoformat(self.value)
            if local == "gYear":
                return int(self.value)
            if local == "boolean":
                return self.value in ("true", "1")
        except ValueError:
            pass
        return self.value

    def n3(self) -> str:
        """The term in N-Triples syntax, every character that could end it escaped."""
        if self.kind == "iri":
            if re.search(r"[\x00-\x20<>\"{}|^`\\]", self.value):
                raise QueryError(f"not a valid IRI: {self.value!r}")
            return f"<{self.value}>"
        escaped = (self.value.replace("\\", "\\\\").replace('"', '\\"')
                   .replace("\n", "\\n").replace("\r", "\\r"))
        if self.lang:
            return f'"{escaped}"@{self.lang}'
        if self.datatype and self.datatype != XSD + "string":
            return f'"{escaped}"^^<{self.datatype}>'
        return f'"{escaped}"'


@dataclass
class Result:
    """A SELECT answer (``columns`` and ``rows`` of :class:`Term` or None), or an ASK
    answer (``boolean``)."""

    columns: list[str] = field(default_factory=list)
    rows: list[list[Optional[Term]]] = field(default_factory=list)
    boolean: Optional[bool] = None

    def values(self) -> list[list[Any]]:
        """Rows of plain Python values (None for unbound)."""
        return [[c.to_python() if c is not None else None for c in row] for row in self.rows]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.values()]

    def to_table(self, max_width: int = 60) -> str:
        if self.boolean is not None:
            return "true" if self.boolean else "false"
        cells = [[_display(v, max_width) for v in row] for row in self.values()]
        widths = [max([_width(c)] + [_width(r[i]) for r in cells])
                  for i, c in enumerate(self.columns)]
        lines = ["  ".join(_pad(c, w) for c, w in zip(self.columns, widths)),
                 "  ".join("-" * w for w in widths)]
        lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths)) for row in cells]
        lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
        return "\n".join(lines)

    def to_csv(self) -> str:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        if self.boolean is not None:
            writer.writerow(["boolean"])
            writer.writerow(["true" if self.boolean else "false"])
            return buf.getvalue()
        writer.writerow(self.columns)
        for row in self.values():
            writer.writerow(["" if v is None else str(v) for v in row])
        return buf.getvalue()

    def to_json(self) -> str:
        """SPARQL 1.1 Query Results JSON."""
        if self.boolean is not None:
            return json.dumps({"head": {}, "boolean": self.boolean})
        bindings = []
        for row in self.rows:
            b = {}
            for col, t in zip(self.columns, row):
                if t is None:
                    continue
                d: dict[str, str] = {"type": "uri" if t.kind == "iri" else t.kind, "value": t.value}
                if t.lang:
                    d["xml:lang"] = t.lang
                elif t.datatype:
                    d["datatype"] = t.datatype
                b[col] = d
            bindings.append(b)
        return json.dumps({"head": {"vars": self.columns}, "results": {"bindings": bindings}},
                          ensure_ascii=False, indent=1)

    def comparable(self, ordered: bool = False) -> list[tuple]:
        """Rows as tuples of plain values, sorted unless the query fixes the order —
        for comparing answers across stores."""
        rows = [tuple("" if v is None else (str(v) if not isinstance(v, (int, Decimal, float))
                                           else float(v)) for v in r) for r in self.values()]
        return rows if ordered else sorted(rows, key=repr)


def _display(v: Any, max_width: int) -> str:
    s = "" if v is None else str(v)
    s = s.replace("\n", " ")
    return s if _width(s) <= max_width else s[:max_width // 2 - 1] + "…"


def _width(s: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, w: int) -> str:
    return s + " " * (w - _width(s))


# --- parameters -------------------------------------------------------------------------


def bind_params(query: Optional[NamedQuery], given: dict[str, str]) -> dict[str, Term]:
    """``--param`` strings → typed terms: by the named query's declared type; for an ad-hoc
    query a value in ``<…>`` is an IRI, anything else a plain literal."""
    declared = {p.name: p for p in (query.params if query else ())}
    if query:
        unknown = sorted(set(given) - set(declared))
        if unknown:
            raise QueryError(f"query {query.name!r} has no parameter {', '.join(unknown)}; "
                             f"its parameters: {', '.join(declared) or 'none'}")
    out: dict[str, Term] = {}
    for name, p in declared.items():
        if name not in given and p.default is None:
            raise QueryError(f"query {query.name!r} needs --param {name}=… ({p.description})")
    for name in list(declared) + [n for n in given if n not in declared]:
        raw = given.get(name, declared[name].default if name in declared else None)
        if raw is None:
            continue
        ptype = declared[name].type if name in declared else (
            "iri" if raw.startswith("<") and raw.endswith(">") else "literal")
        out[name] = _term(name, raw, ptype)
    return out


def _term(name: str, raw: str, ptype: str) -> Term:
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
    block = (" VALUES (" + " ".join("?" + n for n in names) + ") { ("
             + " ".join(bindings[n].n3() for n in names) + ") } ")
    return query[:pos + 1] + block + query[pos + 1:]


def _where_brace(query: str) -> Optional[int]:
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
            quote = query[i:i + 3] if query[i:i + 3] in ('"""', "'''") else ch
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
        if query[i:i + 5].upper() == "WHERE" and (i == 0 or not query[i - 1].isalnum()):
            seen_where = True
            i += 5
            continue
        i += 1
    if re.match(r"\s*(?:(?:PREFIX|BASE)[^\n]*\n\s*)*(?:SELECT|ASK)", _strip_comments(query), re.I):
        return first_brace
    return None


def _strip_comments(query: str) -> str:
    return re.sub(r"(?m)^\s*#.*$", "", query)


# --- stores -----------------------------------------------------------------------------


def graph_file(graph_dir: str | Path) -> Path:
    """``DIR/graph.nt`` of a build folder, or a clear error."""
    d = Path(graph_dir)
    if not d.exists():
        raise GraphNotFound(f"graph folder {d} does not exist (run `vetkg build --out {d}` first)")
    if not d.is_dir():
        raise GraphNotFound(f"{d} is not a folder (name the build folder holding graph.nt)")
    f = d / GRAPH_FILE
    if not f.is_file():
        raise GraphNotFound(f"{d} holds no graph ({GRAPH_FILE} not found; run `vetkg build --out {d}`)")
    return f


def load_graph(graph_dir: str | Path):
    """The built graph of a folder (``graph.nt``) as an ``rdflib.Graph``."""
    import rdflib

    g = rdflib.Graph()
    g.parse(graph_file(graph_dir), format="nt")
    return g


class RdflibStore:
    """The graph in memory (rdflib)."""

    name = "rdflib"

    def __init__(self, graph):
        self.graph = graph

    @classmethod
    def open(cls, graph_dir: str | Path) -> "RdflibStore":
        return cls(load_graph(graph_dir))

    def query(self, text: str, bindings: Optional[dict[str, Term]] = None) -> Result:
        import rdflib
        from rdflib.plugins.sparql import prepareQuery

        try:
            prepared = prepareQuery(text, initNs=PREFIXES)
        except Exception as exc:  # pyparsing's ParseException carries line and column
            raise QueryError(f"SPARQL syntax error: {_syntax_message(exc)}") from None
        init = {rdflib.Variable(k): _to_rdflib(t) for k, t in (bindings or {}).items()}
        try:
            res = self.graph.query(prepared, initBindings=init)
        except Exception as exc:  # an evaluation error inside rdflib
            raise QueryError(f"rdflib cannot evaluate the query: {type(exc).__name__}: {exc}") from None
        if res.type == "ASK":
            return Result(boolean=bool(res.askAnswer))
        if res.type != "SELECT":
            raise QueryError("only SELECT and ASK queries are answered as tables")
        cols = [str(v) for v in res.vars]
        return Result(cols, [[_from_rdflib(row[i]) for i in range(len(cols))] for row in res])


class OxigraphStore:
    """An on-disk Oxigraph store, (re)loaded in bulk from ``graph.nt`` when it changed."""

    name = "oxigraph"
    STAMP = "vetkg-source.sha1"

    def __init__(self, store, path: Optional[Path] = None):
        self.store = store
        self.path = path

    @classmethod
    def open(cls, graph_dir: str | Path, path: Optional[str | Path] = None) -> "OxigraphStore":
        import pyoxigraph as ox

        src = graph_file(graph_dir)
        if path is None:  # in memory
            store = ox.Store()
            store.bulk_load(path=str(src), format=ox.RdfFormat.N_TRIPLES)
            return cls(store)
        return cls(load_oxigraph(src, Path(path)), Path(path))

    def query(self, text: str, bindings: Optional[dict[str, Term]] = None) -> Result:
        import pyoxigraph as ox

        subs = {ox.Variable(k): _to_oxigraph(t) for k, t in (bindings or {}).items()}
        try:
            res = self.store.query(text, substitutions=subs or None, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from None
        except RuntimeError as exc:  # e.g. a bound variable missing from the projection
            raise QueryError(f"Oxigraph cannot run the query: {exc}") from None
        if isinstance(res, ox.QueryBoolean):
            return Result(boolean=bool(res))
        if not isinstance(res, ox.QuerySolutions):
            raise QueryError("only SELECT and ASK queries are answered as tables")
        # Oxigraph writes the solutions as SPARQL JSON in Rust; parsing that is several
        # times faster than converting every term object in Python.
        return parse_results_json(res.serialize(format=ox.QueryResultsFormat.JSON))


def load_oxigraph(src: Path, path: Path):
    """The Oxigraph store at ``path`` holding exactly ``src``: reused when its stamp
    matches the source's checksum, otherwise rebuilt in a fresh folder and swapped in."""
    import shutil

    import pyoxigraph as ox

    digest = hashlib.sha1(src.read_bytes()).hexdigest()
    stamp = path / OxigraphStore.STAMP
    if stamp.is_file() and stamp.read_text().strip() == digest:
        return ox.Store(str(path))
    if path.exists() and not stamp.is_file() and any(path.iterdir()):
        raise QueryError(f"{path} exists and is not a vetkg Oxigraph store; name a new folder")
    tmp = path.with_name(path.name + ".loading")
    shutil.rmtree(tmp, ignore_errors=True)
    store = ox.Store(str(tmp))
    store.bulk_load(path=str(src), format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    del store
    (tmp / OxigraphStore.STAMP).write_text(digest + "\n")
    if path.exists():
        shutil.rmtree(path)
    tmp.rename(path)
    return ox.Store(str(path))


class EndpointStore:
    """A SPARQL 1.1 protocol endpoint (``http://host:port/query``)."""

    name = "endpoint"

    def __init__(self, url: str, graph_name: Optional[str] = None, timeout: float = 60):
        if not re.match(r"^https?://", url):
            raise QueryError(f"endpoint {url!r} is not an http(s) URL")
        self.url = url
        self.graph_name = graph_name
        self.timeout = timeout

    def query(self, text: str, bindings: Optional[dict[str, Term]] = None) -> Result:
        params = [("query", sparql_prefixes() + inject_values(text, bindings or {}))]
        if self.graph_name:
            params.append(("default-graph-uri", self.graph_name))
        data = urllib.parse.urlencode(params).encode("utf-8")
        req = urllib.request.Request(self.url, data=data, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json"})
        body = http_call(req, self.timeout, f"SPARQL endpoint {self.url}")
        return parse_results_json(body)


def http_call(req: urllib.request.Request, timeout: float, what: str) -> bytes:
    """Send ``req``; a refused request or an unreachable server is a QueryError that
    says which and why."""
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip()[:500]
        raise QueryError(f"{what} refused the request: HTTP {exc.code} {exc.reason}"
                         + (f": {detail}" if detail else "")) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise QueryError(f"cannot reach {what}: {reason}") from None


_JSON_KINDS = {"uri": "iri", "literal": "literal", "typed-literal": "literal", "bnode": "bnode"}


def parse_results_json(body: bytes) -> Result:
    """A SPARQL 1.1 Query Results JSON document as a :class:`Result`."""
    data = json.loads(body)
    if "boolean" in data:
        return Result(boolean=bool(data["boolean"]))
    cols = data["head"]["vars"]
    kinds = _JSON_KINDS
    xsd_string = XSD + "string"

    def term(d: Optional[dict]) -> Optional[Term]:
        if d is None:
            return None
        lang = d.get("xml:lang")
        dt = d.get("datatype") or (None if lang or d["type"] != "literal" else xsd_string)
        return Term(kinds[d["type"]], d["value"], dt, lang)

    return Result(cols, [[term(b.get(c)) for c in cols] for b in data["results"]["bindings"]])


def open_store(graph_dir: str | Path = "build", store: str = "rdflib",
               endpoint: Optional[str] = None, graph_name: Optional[str] = None):
    """The store named by the CLI's ``--store`` (``rdflib``, ``oxigraph``,
    ``oxigraph:PATH``) or ``--endpoint``."""
    if endpoint:
        return EndpointStore(endpoint, graph_name)
    if store == "rdflib":
        return RdflibStore.open(graph_dir)
    if store == "oxigraph":
        return OxigraphStore.open(graph_dir)
    if store.startswith("oxigraph:") and len(store) > len("oxigraph:"):
        return OxigraphStore.open(graph_dir, store[len("oxigraph:"):])
    raise QueryError(f"unknown store {store!r}: use rdflib, oxigraph or oxigraph:PATH")


def run(store, query: str | NamedQuery, params: Optional[dict[str, str]] = None) -> Result:
    """Run a query text or a named query on ``store`` with ``--param`` style strings."""
    named = query if isinstance(query, NamedQuery) else None
    text = named.text if named else query
    return store.query(text, bind_params(named, params or {}))


def is_ordered(query: str | NamedQuery) -> bool:
    text = query.text if isinstance(query, NamedQuery) else query
    return bool(re.search(r"\bORDER\s+BY\b", _strip_comments(text), re.I))


# --- conversions ------------------------------------------------------------------------


def _syntax_message(exc: Exception) -> str:
    line, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
    msg = getattr(exc, "msg", None) or str(exc)
    return f"line {line}, column {col}: {msg}" if line is not None else msg


def _to_rdflib(t: Term):
    import rdflib

    if t.kind == "iri":
        return rdflib.URIRef(t.value)
    return rdflib.Literal(t.value, lang=t.lang, datatype=rdflib.URIRef(t.datatype) if t.datatype else None)


def _from_rdflib(v) -> Optional[Term]:
    import rdflib

    if v is None:
        return None
    if isinstance(v, rdflib.URIRef):
        return Term("iri", str(v))
    if isinstance(v, rdflib.BNode):
        return Term("bnode", str(v))
    dt = str(v.datatype) if v.datatype else (None if v.language else XSD + "string")
    return Term("literal", str(v), dt, v.language)


def _to_oxigraph(t: Term):
    import pyoxigraph as ox

    if t.kind == "iri":
        return ox.NamedNode(t.value)
    if t.lang:
        return ox.Literal(t.value, language=t.lang)
    return ox.Literal(t.value, datatype=ox.NamedNode(t.datatype) if t.datatype else None)


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
