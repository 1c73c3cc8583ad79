"""SHACL validation of a built graph against ``ontology/shapes.ttl`` (pySHACL).

The ontology is passed as the ontology graph with RDFS inference, so a ``vet:School`` is
checked by the ``vet:Institution`` and ``vet:Actor`` shapes too.
"""

from __future__ import annotations

from dataclasses import dataclass

import rdflib
from rdflib.namespace import SH

from kg.core import lazy
from kg.core.lexicon import read_data
from kg.rdf.ontology import load as load_ontology


@dataclass
class ValidationReport:
    conforms: bool
    violations: int
    text: str


def shapes() -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data=read_data("shapes.ttl"), format="turtle")
    return g


def validate_graph(graph: rdflib.Graph) -> ValidationReport:
    """Check ``graph`` (an rdflib.Graph) against the project's shapes."""
    conforms, results, text = lazy.pyshacl().validate(
        graph, shacl_graph=shapes(), ont_graph=load_ontology(), inference="rdfs", advanced=True, allow_warnings=False
    )
    violations = len(set(results.subjects(SH.resultSeverity, SH.Violation)))
    return ValidationReport(bool(conforms), violations, text)
