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
from pathlib import Path
from typing import Optional, Sequence

from kg import __version__  # noqa: E402

DEFAULT_INPUT = "seeds"
DEFAULT_OUT = "build"


def _err(msg: str) -> None:
    print(f"vetkg: {msg}", file=sys.stderr)


def _report(result, quiet: bool = False) -> None:
    for problem in result.errors:
        _err(f"error: {problem.path}: {problem.message}")
    if not quiet:
        for w in result.warnings:
            _err(f"warning: {w.path}{':' + str(w.line) if w.line else ''}: {w.message}")


def _inputs(args_inputs: list[str]) -> Optional[list[str]]:
    if args_inputs:
        return args_inputs
    if not Path(DEFAULT_INPUT).is_dir():
        _err(f"error: no INPUT given and ./{DEFAULT_INPUT}/ not found; name files or folders")
        return None
    return [DEFAULT_INPUT]


def cmd_parse(args: argparse.Namespace) -> int:
    from kg.build import build

    result = build(args.files, extract=False)
    _report(result)
    docs = [p.to_json() for p in result.parsed]
    if docs:
        print(json.dumps(docs[0] if len(docs) == 1 and len(args.files) == 1 else docs,
                         ensure_ascii=False, indent=2))
    return 0 if result.ok else 1


def cmd_extract(args: argparse.Namespace) -> int:
    from kg.build import build

    result = build(args.files, extract=True)
    _report(result)
    for ex in result.extractions:
        for rec in ex.records():
            sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return 0 if result.ok else 1


def cmd_build(args: argparse.Namespace) -> int:
    from kg.build import build

    inputs = _inputs(args.inputs)
    if inputs is None:
        return 2
    cache = None if args.no_cache else Path(args.out) / ".cache"
    result = build(inputs, args.out, progress=not args.no_progress and sys.stderr.isatty(),
                   graph_formats=["ttl", "nt", *args.format] if args.format else None,
                   jobs=args.jobs, cache=cache, views=not args.no_views)
    _report(result, quiet=args.quiet)
    if result.documents:
        print(f"built {result.documents} document(s): {result.measures} measures, {result.mentions} "
              f"mentions, {result.relations} relations, {result.triples} triples -> "
              + ", ".join(str(p) for p in result.outputs)
              + (f" ({result.cache_hits} from the cache)" if result.cache_hits else ""))
    if result.errors:
        print(f"{len(result.errors)} input(s) failed (see messages above)", file=sys.stderr)
    return 0 if result.ok else 1


def cmd_eval(args: argparse.Namespace) -> int:
    from kg.annotation import as_annotation
    from kg.atomic import write_text_atomic
    from kg.build import build
    from kg.evaluate import evaluate, load_gold

    try:
        gold = load_gold(args.gold)
    except ValueError as exc:
        _err(f"error: {exc}")
        return 2
    inputs = _inputs(args.inputs)
    if inputs is None:
        return 2
    result = build(inputs, extract=True)
    _report(result, quiet=True)
    predictions = {e.document.doc_id: as_annotation(e) for e in result.extractions}
    report = evaluate(gold, predictions)
    if not report.documents:
        _err("error: no input document matches a gold file by name (file stem)")
        return 1
    print(f"scored {len(report.documents)} document(s) against {args.gold}")
    if report.unmatched_gold:
        print(f"gold files with no input document: {', '.join(report.unmatched_gold)}")
    if args.per_document:
        print(report.per_document_table())
        print("== micro over all documents")
    print(report.table())
    if args.json:
        write_text_atomic(args.json, json.dumps(report.to_json(), ensure_ascii=False, indent=1))
    return 0 if result.ok else 1


def cmd_analyze(args: argparse.Namespace) -> int:
    from kg.report import analyze, write_report
    from kg.sparql import load_graph

    out = args.out or args.graph
    from kg.incremental import sound_store

    store = sound_store(args.graph)
    if store is not None:  # a large build: read its store, not graph.nt into memory
        from kg.analytics.source import OxigraphSource

        graph = OxigraphSource.open(store)
    else:
        graph = load_graph(args.graph)
    written = write_report(analyze(graph), out)
    print(f"wrote {Path(out) / 'report.html'}, report.md, {sum(p.suffix == '.csv' for p in written)} "
          f"tables (CSV) and {sum(p.suffix == '.png' for p in written)} plots")
    return 0


def cmd_viz(args: argparse.Namespace) -> int:
    from kg import viz
    from kg.sparql import load_graph

    graph = load_graph(args.graph)
    out = Path(args.out) if args.out else Path(args.graph) / (
        "graph.html" if args.view == "full" else f"graph-{args.view.replace(':', '-')}.html")
    try:
        viz.write_html(graph, out, args.view)
    except viz.ViewError as exc:
        _err(f"error: {exc}")
        return 2
    print(f"wrote {out}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from kg import viz
    from kg.export import export
    from kg.sparql import load_graph

    graph = load_graph(args.graph)
    try:
        g = viz.view_graph(graph, args.view)
    except viz.ViewError as exc:
        _err(f"error: {exc}")
        return 2
    default = {"graphml": "graph.graphml", "gexf": "graph.gexf", "csv": "neo4j"}[args.format]
    out = Path(args.out) if args.out else Path(args.graph) / default
    paths = export(g, args.format, out)
    print(f"wrote {', '.join(map(str, paths))} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from kg.sparql import graph_file, load_graph
    from kg.validate import validate_graph

    graph = load_graph(args.graph)
    report = validate_graph(graph)
    if report.conforms:
        print(f"{graph_file(args.graph)}: {len(graph)} triples conform to the vetkg SHACL shapes")
        return 0
    print(report.text)
    _err(f"{graph_file(args.graph)}: {report.violations} SHACL violation(s)")
    return 1


def cmd_query(args: argparse.Namespace) -> int:
    from kg import sparql

    if args.list:
        for q in sparql.named_queries().values():
            params = " ".join(f"--param {p.name}=…" for p in q.params)
            print(f"{q.name:30} {q.title}" + (f"  [{params}]" if params else ""))
        return 0
    if bool(args.query) == bool(args.name):
        _err("error: give a QUERY (text or FILE.rq) or --name NAME (see --list)")
        return 2
    if args.name:
        query = sparql.named_query(args.name)
    elif args.query.endswith(".rq") or (len(args.query) < 4096 and Path(args.query).is_file()):
        path = Path(args.query)
        if not path.is_file():
            raise sparql.QueryError(f"query file {path} not found")
        query = path.read_text(encoding="utf-8")
    else:
        query = args.query
    store = sparql.open_store(args.graph, args.store, args.endpoint, args.graph_name)
    result = sparql.run(store, query, sparql.parse_params(args.param))
    out = {"table": result.to_table, "csv": result.to_csv, "json": result.to_json}[args.format]()
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from kg.server import serve

    return serve(args.graph, args.host, args.port, args.store)


def cmd_push(args: argparse.Namespace) -> int:
    from kg.server import push

    size = push(args.graph, args.endpoint, None if args.default_graph else args.graph_name,
                replace=not args.append)
    target = "the default graph" if args.default_graph else f"<{args.graph_name}>"
    print(f"pushed {size} bytes of N-Triples to {target} at {args.endpoint}"
          f" ({'added' if args.append else 'replaced'})")
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vetkg", description="Build a knowledge graph from Chinese vocational-education "
                                  "policy documents.")
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
    p.add_argument("inputs", nargs="*", metavar="INPUT",
                   help=f"files or folders (default: {DEFAULT_INPUT}/)")
    p.add_argument("--out", default=DEFAULT_OUT, metavar="DIR",
                   help=f"output folder (default: {DEFAULT_OUT}/)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("-q", "--quiet", action="store_true", help="no warnings, errors only")
    p.add_argument("--format", action="append", default=[], choices=["ttl", "jsonld"],
                   help="also write the graph as Turtle or JSON-LD (graph.nt always; graph.ttl by "
                        "default up to 200 documents; JSON-LD only up to 200)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="extract in N processes (default: the machine's cores; the output is "
                        "the same as with 1)")
    p.add_argument("--no-views", action="store_true",
                   help="write the records and the graph only (no report.html, graph.html)")
    p.add_argument("--no-cache", action="store_true",
                   help="re-extract every document (default: reuse DIR/.cache for unchanged ones)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("eval", help="score extraction against gold annotations")
    p.add_argument("inputs", nargs="*", metavar="INPUT",
                   help=f"files or folders (default: {DEFAULT_INPUT}/)")
    p.add_argument("--gold", required=True, metavar="DIR", help="folder of gold .json files")
    p.add_argument("--json", metavar="FILE", help="also write the scores as JSON")
    p.add_argument("--per-document", action="store_true",
                   help="print every document's scores before the micro average")
    p.set_defaults(func=cmd_eval)

    graph_help = f"build folder holding graph.nt (default: {DEFAULT_OUT}/)"
    p = sub.add_parser("validate", help="check a built graph against the SHACL shapes")
    p.add_argument("--graph", default=DEFAULT_OUT, metavar="DIR", help=graph_help)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("query", help="run a SPARQL query (text, FILE.rq or --name NAME)",
                       description="Run SPARQL on the built graph: a query text, a .rq file or "
                                   "a named query (--list shows them). The project's prefixes "
                                   "(vet:, skos:, dcterms: …) are predeclared.")
    p.add_argument("query", nargs="?", metavar="QUERY", help="SPARQL text or a .rq file")
    p.add_argument("--name", metavar="NAME", help="a named query from kg/queries")
    p.add_argument("--list", action="store_true", help="list the named queries")
    p.add_argument("--graph", default=DEFAULT_OUT, metavar="DIR", help=graph_help)
    p.add_argument("--param", action="append", default=[], metavar="K=V",
                   help="bind ?K to V (an RDF term, never spliced into the text); repeatable")
    p.add_argument("--format", default="table", choices=["table", "csv", "json"])
    p.add_argument("--store", default="rdflib", metavar="STORE",
                   help="rdflib (in memory, default), oxigraph (in memory) or oxigraph:PATH "
                        "(on disk, loaded once and reused)")
    p.add_argument("--endpoint", metavar="URL",
                   help="query a SPARQL endpoint instead (e.g. http://127.0.0.1:7878/query)")
    p.add_argument("--graph-name", metavar="IRI", help="with --endpoint: the default graph to query")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("serve", help="serve the graph read-only with the Oxigraph SPARQL server")
    p.add_argument("--graph", default=DEFAULT_OUT, metavar="DIR", help=graph_help)
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback)")
    p.add_argument("--port", type=int, default=7878)
    p.add_argument("--store", metavar="PATH", help="Oxigraph store folder (default: DIR/oxigraph)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("analyze", help="write the analysis report (HTML, Markdown, CSV tables, plots)")
    p.add_argument("--graph", default=DEFAULT_OUT, metavar="DIR", help=graph_help)
    p.add_argument("--out", metavar="DIR", help="report folder (default: the graph folder)")
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
    p.add_argument("--out", metavar="PATH", help="file (graphml, gexf) or folder (csv: nodes.csv, "
                                                  "relationships.csv for neo4j-admin import)")
    p.set_defaults(func=cmd_export)

    from kg.server import DEFAULT_GRAPH_NAME

    p = sub.add_parser("push", help="upload the graph to a SPARQL Graph Store Protocol endpoint")
    p.add_argument("--endpoint", required=True, metavar="URL",
                   help="the Graph Store endpoint (Oxigraph: http://HOST:PORT/store; "
                        "Fuseki: http://HOST:3030/DATASET/data)")
    p.add_argument("--graph-name", default=DEFAULT_GRAPH_NAME, metavar="IRI",
                   help=f"the named graph to write (default: {DEFAULT_GRAPH_NAME})")
    p.add_argument("--default-graph", action="store_true", help="write the default graph instead")
    p.add_argument("--append", action="store_true", help="add to the graph instead of replacing it")
    p.add_argument("--graph", default=DEFAULT_OUT, metavar="DIR", help=graph_help)
    p.set_defaults(func=cmd_push)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    from kg.sparql import QueryError

    args = make_parser().parse_args(argv)
    try:
        return args.func(args)
    except QueryError as exc:
        _err(f"error: {exc}")
        return 2
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
