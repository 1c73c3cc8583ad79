"""The ``vetkg`` command line: parse, extract, build, eval.

Exit codes: 0 every document built, 1 some documents failed (each named on stderr, the
rest still processed and written), 2 usage errors.
"""
from __future__ import annotations

import argparse
import json
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
    result = build(inputs, args.out, progress=not args.no_progress and sys.stderr.isatty())
    _report(result, quiet=args.quiet)
    n_measures = sum(len(p.measures) for p in result.parsed)
    n_mentions = sum(len(e.mentions) for e in result.extractions)
    n_relations = sum(len(e.relations) for e in result.extractions)
    if result.parsed:
        print(f"built {len(result.parsed)} document(s): {n_measures} measures, {n_mentions} "
              f"mentions, {n_relations} relations -> "
              + ", ".join(str(p) for p in result.outputs))
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
    print(report.table())
    if args.json:
        write_text_atomic(args.json, json.dumps(report.to_json(), ensure_ascii=False, indent=1))
    return 0 if result.ok else 1


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
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("eval", help="score extraction against gold annotations")
    p.add_argument("inputs", nargs="*", metavar="INPUT",
                   help=f"files or folders (default: {DEFAULT_INPUT}/)")
    p.add_argument("--gold", required=True, metavar="DIR", help="folder of gold .json files")
    p.add_argument("--json", metavar="FILE", help="also write the scores as JSON")
    p.set_defaults(func=cmd_eval)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
