"""The ``vetkg`` command line: parse, extract, build, eval, validate, query, serve, push.

Exit codes: 0 every document built, 1 some documents failed (each named on stderr, the
rest still processed and written) or the graph does not conform to its shapes, 2 usage
errors (a bad query, a missing graph, an unreachable endpoint …).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from kg import viz
from kg.analytics.report import analyze, write_report
from kg.analytics.source import OxigraphSource
from kg.core.atomic import write_text_atomic
from kg.core.model import Extraction, ParsedDocument, Problem
from kg.core.version import __version__
from kg.corpus import publish
from kg.corpus.build import BuildResult, build, process_document
from kg.corpus.incremental import sound_store
from kg.errors import QueryError, VetkgError, printable
from kg.evaluation.annotation import as_annotation
from kg.evaluation.errors_report import error_report
from kg.evaluation.scoring import evaluate, load_gold
from kg.rdf.mapping import load_rdflib
from kg.rdf.validate import validate_graph
from kg.reading import collect_paths
from kg.store import NamedQuery, OxigraphStore, graph_file, named_queries, named_query, open_store, parse_params, run
from kg.store.endpoint import DEFAULT_GRAPH_NAME, push
from kg.store.invariants import INVARIANTS
from kg.store.invariants import check as check_invariants
from kg.store.queries import require_utf8
from kg.store.server import DEFAULT_MEMORY_LIMIT_MB, DEFAULT_QUERY_TIMEOUT, serve
from kg.viz.export import export

DEFAULT_INPUT = "seeds"
DEFAULT_OUT = "build"


def _err(msg: str) -> None:
    print(f"vetkg: {printable(msg)}", file=sys.stderr)


def _out(text: str) -> None:
    """Print a status line or a table for a person: each line with the file names and
    document text in it made safe for a terminal (see ``kg.errors.printable``)."""
    print("\n".join(printable(line) for line in text.split("\n")))


def _report_problem(problem: Problem) -> None:
    _err(f"error: {problem.path}: {problem.message}")


def _report_warnings(warnings: Iterable[Problem]) -> None:
    for w in warnings:
        _err(f"warning: {w.path}{':' + str(w.line) if w.line else ''}: {w.message}")


def _report(result: BuildResult, quiet: bool = False) -> None:
    for problem in result.errors:
        _report_problem(problem)
    if not quiet:
        _report_warnings(result.warnings)


def _inputs(args_inputs: list[str]) -> list[str] | None:
    if args_inputs:
        return args_inputs
    if not Path(DEFAULT_INPUT).is_dir():
        _err(f"error: no INPUT given and ./{DEFAULT_INPUT}/ not found; name files or folders")
        return None
    return [DEFAULT_INPUT]


def _stream_documents(
    files: list[str], extract: bool
) -> Iterator[tuple[ParsedDocument | None, Extraction | None, Problem | None]]:
    """Every input document in order, processed one at a time (nothing is held: any number
    of files gives every file's records); problems for inputs that are not documents."""
    paths, problems = collect_paths(files)
    for e in problems:
        yield None, None, Problem(e.path, e.reason, "error")
    for path in paths:
        yield process_document(path, extract)


def cmd_parse(args: argparse.Namespace) -> int:
    ok, count = True, 0
    single = len(args.files) == 1 and Path(args.files[0]).is_file()
    for parsed, _, problem in _stream_documents(args.files, extract=False):
        if problem is not None:
            _report_problem(problem)
            ok = False
        if parsed is None:
            continue
        _report_warnings(parsed.document.warnings)
        text = json.dumps(parsed.to_json(), ensure_ascii=False, indent=2)
        if single:
            sys.stdout.write(text + "\n")
        else:
            sys.stdout.write(("[\n" if count == 0 else ",\n") + text)
        count += 1
    if count and not single:
        sys.stdout.write("\n]\n")
    return 0 if ok else 1


def cmd_extract(args: argparse.Namespace) -> int:
    ok = True
    for parsed, extraction, problem in _stream_documents(args.files, extract=True):
        if problem is not None:
            _report_problem(problem)
            ok = False
        if parsed is not None:
            _report_warnings(parsed.document.warnings)
        if extraction is None:
            continue
        for rec in extraction.records():
            sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return 0 if ok else 1


def cmd_build(args: argparse.Namespace) -> int:
    inputs = _inputs(args.inputs)
    if inputs is None:
        return 2
    cache = None if args.no_cache else Path(args.out) / ".cache"
    result = build(
        inputs,
        args.out,
        progress=not args.no_progress and sys.stderr.isatty(),
        graph_formats=args.format,
        jobs=args.jobs,
        cache=cache,
        views=not args.no_views,
        lang=args.lang,
    )
    broken = publish.take_violation_notes(result) if args.strict else []  # --strict: errors, not warnings
    _report(result, quiet=args.quiet)
    for problem in broken:
        _report_problem(problem)
    if result.documents:
        _out(
            f"built {result.documents} document(s): {result.measures} measures, {result.mentions} "
            f"mentions, {result.relations} relations, {result.triples} triples -> "
            + ", ".join(str(p) for p in result.outputs)
            + (f" ({result.cache_hits} from the cache)" if result.cache_hits else "")
        )
    if publish.summary(result):
        _out(str(publish.summary(result)))
    if result.errors:
        print(f"{len(result.errors)} input(s) failed (see messages above)", file=sys.stderr)
    if broken:
        _err(f"error: {len(broken)} invariant(s) of the graph do not hold (--strict); the outputs are written")
        return 1
    return 0 if result.ok else 1


def cmd_eval(args: argparse.Namespace) -> int:
    try:
        gold = load_gold(args.gold)
    except ValueError as exc:
        _err(f"error: {exc}")
        return 2
    inputs = _inputs(args.inputs)
    if inputs is None:
        return 2
    predictions: dict[str, dict] = {}
    extractions: dict[str, Extraction] = {}  # kept only for --errors, which quotes sentences
    ok = True
    for parsed, extraction, problem in _stream_documents(inputs, extract=True):
        ok = ok and problem is None
        if extraction is not None and parsed is not None:
            predictions[parsed.document.doc_id] = as_annotation(extraction)
            if args.errors:
                extractions[parsed.document.doc_id] = extraction
    report = evaluate(gold, predictions)
    if not report.documents:
        _err("error: no input document matches a gold file by name (file stem)")
        return 1
    _out(f"scored {len(report.documents)} document(s) against {args.gold}")
    if report.unmatched_gold:
        _out(f"gold files with no input document: {', '.join(report.unmatched_gold)}")
    if args.per_document:
        _out(report.per_document_table())
        print("== micro over all documents")
    _out(report.table())
    if args.errors:
        errors = error_report(gold, extractions)
        _out("== every false positive (fp) and false negative (fn), with its sentence")
        _out(errors.table())
    if args.json:
        write_text_atomic(args.json, json.dumps(report.to_json(), ensure_ascii=False, indent=1))
    return 0 if ok else 1


def _open_graph(folder: str) -> OxigraphSource:
    """The graph of a build folder for analytics and views: its own store when it matches
    its files, else its ``graph.nt`` loaded into memory."""
    built = sound_store(folder)
    store = OxigraphStore.open(built) if built is not None else OxigraphStore.from_file(graph_file(folder))
    return OxigraphSource(store.store)


def cmd_analyze(args: argparse.Namespace) -> int:
    out = args.out or args.graph
    written = write_report(analyze(_open_graph(args.graph), lang=args.lang), out)
    _out(
        f"wrote {Path(out) / 'report.html'}, report.md, {sum(p.suffix == '.csv' for p in written)} "
        f"tables (CSV) and {sum(p.suffix == '.png' for p in written)} plots"
    )
    return 0


def cmd_viz(args: argparse.Namespace) -> int:
    graph = _open_graph(args.graph)
    out = (
        Path(args.out)
        if args.out
        else Path(args.graph) / ("graph.html" if args.view == "full" else f"graph-{args.view.replace(':', '-')}.html")
    )
    viz.write_html(graph, out, args.view)
    _out(f"wrote {out}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    g = viz.view_graph(_open_graph(args.graph), args.view)
    default = {"graphml": "graph.graphml", "gexf": "graph.gexf", "csv": "neo4j"}[args.format]
    out = Path(args.out) if args.out else Path(args.graph) / default
    paths = export(g, args.format, out)
    _out(f"wrote {', '.join(map(str, paths))} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """The invariants as SPARQL on the build's store (seconds at any size), then, unless
    ``--no-shacl``, the SHACL shapes with pySHACL (minutes per 100,000 triples)."""
    src = graph_file(args.graph)
    built = sound_store(args.graph)
    store = OxigraphStore.open(built) if built is not None else OxigraphStore.from_file(src)
    failed = 0
    for v in check_invariants(store):
        failed += v.count
        _err(f"{src}: {v.count} violation(s) of: {v.statement} ({v.invariant}); e.g. {v.examples[0][0]}")
    if not failed:
        _out(f"{src}: {len(store)} triples keep every invariant ({len(INVARIANTS)} checked on the store)")
    if args.no_shacl:
        return 1 if failed else 0
    graph = load_rdflib(src.read_text(encoding="utf-8"))  # SHACL runs on rdflib (pySHACL)
    report = validate_graph(graph)
    if report.conforms:
        _out(f"{src}: {len(graph)} triples conform to the vetkg SHACL shapes")
        return 1 if failed else 0
    _out(report.text)
    _err(f"{src}: {report.violations} SHACL violation(s)")
    return 1


def _read_query_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise QueryError(f"query file {path} is not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise QueryError(f"query file {path} cannot be read: {exc.strerror or exc}") from None


def _query_text(arg: str) -> str:
    """QUERY as given: a ``.rq`` file's text, an existing file's text, or the query itself
    (a long inline query is never mistaken for a file name)."""
    path = Path(arg)
    if arg.endswith(".rq"):
        if not path.is_file():
            raise QueryError(f"query file {path} not found")
        return _read_query_file(path)
    try:
        if "\n" not in arg and len(os.fsencode(arg)) < 4096 and path.is_file():
            return _read_query_file(path)
    except OSError:  # a name too long for the file system: it is the query
        pass
    require_utf8(arg, "the query")
    return arg


def cmd_query(args: argparse.Namespace) -> int:
    if args.list:
        for q in named_queries().values():
            params = " ".join(f"--param {p.name}=…" for p in q.params)
            print(f"{q.name:30} {q.title}" + (f"  [{params}]" if params else ""))
        return 0
    if bool(args.query) == bool(args.name):
        _err("error: give a QUERY (text or FILE.rq) or --name NAME (see --list)")
        return 2
    query: str | NamedQuery = named_query(args.name) if args.name else _query_text(args.query)
    names = [p.partition("=")[0].strip() for p in args.param]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise QueryError(f"--param {', '.join(repeated)} given more than once: give each parameter one value")
    built = sound_store(args.graph) if not args.endpoint and args.store is None else None
    store = open_store(args.graph, args.store, args.endpoint, args.graph_name, built=built)
    result = run(store, query, parse_params(args.param))
    out = {"table": result.to_table, "csv": result.to_csv, "json": result.to_json}[args.format]()
    if args.format == "table":  # for a person: the terminal-safe form; CSV and JSON are data
        out = "\n".join(printable(line) for line in out.split("\n"))
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    built = sound_store(args.graph) if args.store is None else None  # a build's own store, as is
    return serve(
        args.graph,
        args.host,
        args.port,
        args.store,
        built=built,
        query_timeout=args.query_timeout,
        memory_limit_mb=args.memory_limit,
        locate=(lambda: sound_store(args.graph)) if args.store is None else None,  # a rebuild's new store
    )


def cmd_push(args: argparse.Namespace) -> int:
    size = push(args.graph, args.endpoint, None if args.default_graph else args.graph_name, replace=not args.append)
    target = "the default graph" if args.default_graph else f"<{args.graph_name}>"
    _out(f"pushed {size} bytes of N-Triples to {target} at {args.endpoint} ({'added' if args.append else 'replaced'})")
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vetkg", description="Build a knowledge graph from Chinese vocational-education policy documents."
    )
    parser.add_argument("--version", action="version", version=f"vetkg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("parse", help="print metadata and outline of documents as JSON")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("extract", help="print mentions and relations as JSON lines")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("build", help="build documents and write outputs to a folder")
    p.add_argument("inputs", nargs="*", metavar="INPUT", help=f"files or folders (default: {DEFAULT_INPUT}/)")
    p.add_argument("--out", default=DEFAULT_OUT, metavar="DIR", help=f"output folder (default: {DEFAULT_OUT}/)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("-q", "--quiet", action="store_true", help="no warnings, errors only")
    p.add_argument(
        "--format",
        action="append",
        default=[],
        choices=["ttl", "jsonld"],
        help="also write the graph as Turtle or JSON-LD (graph.nt and the store always)",
    )
    p.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="extract in N processes (default: the machine's cores; the output is the same as with 1)",
    )
    p.add_argument(
        "--no-views", action="store_true", help="write the records and the graph only (no report.html, graph.html)"
    )
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="re-extract every document (default: reuse DIR/.cache for unchanged ones)",
    )
    p.add_argument(
        "--lang",
        choices=("zh", "en"),
        default="zh",
        help="language of labels in report.html (default zh; CSV tables keep codes)",
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="exit non-zero when the graph breaks one of its invariants (the outputs are written all the same)",
    )
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("eval", help="score extraction against gold annotations")
    p.add_argument("inputs", nargs="*", metavar="INPUT", help=f"files or folders (default: {DEFAULT_INPUT}/)")
    p.add_argument("--gold", required=True, metavar="DIR", help="folder of gold .json files")
    p.add_argument("--json", metavar="FILE", help="also write the scores as JSON")
    p.add_argument("--per-document", action="store_true", help="print every document's scores before the micro average")
    p.add_argument(
        "--errors",
        action="store_true",
        help="then list every false positive and negative per list and document, with its sentence and counts by shape",
    )
    p.set_defaults(func=cmd_eval)

    graph_help = f"build folder holding graph.nt (default: {DEFAULT_OUT}/)"
    p = sub.add_parser("validate", help="check a built graph's invariants (SPARQL) and SHACL shapes")
    p.add_argument("--graph", default=DEFAULT_OUT, metavar="DIR", help=graph_help)
    p.add_argument(
        "--no-shacl",
        action="store_true",
        help="check the invariants on the store only (pySHACL is slow on large graphs)",
    )
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser(
        "query",
        help="run a SPARQL query (text, FILE.rq or --name NAME)",
        description="Run SPARQL on the built graph: a query text, a .rq file or "
        "a named query (--list shows them). The project's prefixes "
        "(vet:, skos:, dcterms: …) are predeclared.",
    )
    p.add_argument("query", nargs="?", metavar="QUERY", help="SPARQL text or a .rq file")
    p.add_argument("--name", metavar="NAME", help="a named query from kg/queries")
    p.add_argument("--list", action="store_true", help="list the named queries")
    p.add_argument("--graph", default=DEFAULT_OUT, metavar="DIR", help=graph_help)
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="K=V",
        help="bind ?K to V (an RDF term, never spliced into the text); repeatable",
    )
    p.add_argument("--format", default="table", choices=["table", "csv", "json"])
    p.add_argument(
        "--store",
        metavar="PATH",
        help="an on-disk Oxigraph store folder, made from graph.nt when absent or stale "
        "(default: the build's own store, or graph.nt in memory)",
    )
    p.add_argument(
        "--endpoint", metavar="URL", help="query a SPARQL endpoint instead (e.g. http://127.0.0.1:7878/query)"
    )
    p.add_argument("--graph-name", metavar="IRI", help="with --endpoint: the default graph to query")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("serve", help="serve the graph read-only with the Oxigraph SPARQL server")
    p.add_argument("--graph", default=DEFAULT_OUT, metavar="DIR", help=graph_help)
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback)")
    p.add_argument("--port", type=int, default=7878)
    p.add_argument("--store", metavar="PATH", help="Oxigraph store folder (default: the build's own store)")
    p.add_argument(
        "--query-timeout",
        type=float,
        default=DEFAULT_QUERY_TIMEOUT,
        metavar="S",
        help=f"stop a query after S seconds (default {DEFAULT_QUERY_TIMEOUT:g})",
    )
    p.add_argument(
        "--memory-limit",
        type=int,
        default=DEFAULT_MEMORY_LIMIT_MB,
        metavar="MB",
        help=f"restart the query engine past MB of memory (default {DEFAULT_MEMORY_LIMIT_MB})",
    )
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("analyze", help="write the analysis report (HTML, Markdown, CSV tables, plots)")
    p.add_argument("--graph", default=DEFAULT_OUT, metavar="DIR", help=graph_help)
    p.add_argument("--out", metavar="DIR", help="report folder (default: the graph folder)")
    p.add_argument(
        "--lang",
        choices=("zh", "en"),
        default="zh",
        help="language of labels in the report (default zh; CSV tables keep codes)",
    )
    p.set_defaults(func=cmd_analyze)

    view_help = "full, responsibility, citations, diffusion or document:ID (file stem, 文号 or IRI)"
    p = sub.add_parser("viz", help="write the interactive graph as an offline HTML page")
    p.add_argument("--graph", default=DEFAULT_OUT, metavar="DIR", help=graph_help)
    p.add_argument("--view", default="full", help=view_help)
    p.add_argument("--out", metavar="FILE", help="HTML file (default: DIR/graph.html or DIR/graph-VIEW.html)")
    p.set_defaults(func=cmd_viz)

    p = sub.add_parser("export", help="export a view for Gephi, Cytoscape or Neo4j")
    p.add_argument("--graph", default=DEFAULT_OUT, metavar="DIR", help=graph_help)
    p.add_argument("--format", required=True, choices=["graphml", "gexf", "csv"])
    p.add_argument("--view", default="full", help=view_help)
    p.add_argument(
        "--out",
        metavar="PATH",
        help="file (graphml, gexf) or folder (csv: nodes.csv, relationships.csv for neo4j-admin import)",
    )
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("push", help="upload the graph to a SPARQL Graph Store Protocol endpoint")
    p.add_argument(
        "--endpoint",
        required=True,
        metavar="URL",
        help="the Graph Store endpoint (Oxigraph: http://HOST:PORT/store; Fuseki: http://HOST:3030/DATASET/data)",
    )
    p.add_argument(
        "--graph-name",
        default=DEFAULT_GRAPH_NAME,
        metavar="IRI",
        help=f"the named graph to write (default: {DEFAULT_GRAPH_NAME})",
    )
    p.add_argument("--default-graph", action="store_true", help="write the default graph instead")
    p.add_argument("--append", action="store_true", help="add to the graph instead of replacing it")
    p.add_argument("--graph", default=DEFAULT_OUT, metavar="DIR", help=graph_help)
    p.set_defaults(func=cmd_push)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except VetkgError as exc:
        _err(f"error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
