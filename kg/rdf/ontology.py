"""The vetkg ontology (``ontology/vetkg.ttl``), read with rdflib.

Code asks the ontology for its vocabulary (which entity types, kinds and predicates exist,
and their IRIs) instead of restating it.
"""

from __future__ import annotations

from functools import lru_cache

import rdflib
from rdflib.namespace import RDF, SKOS

from kg.core.lexicon import read_data

VET = "https://w3id.org/vetkg/ontology#"
FUNCTION = "https://w3id.org/vetkg/function/"
RESOURCE = "https://w3id.org/vetkg/id/"


@lru_cache(maxsize=1)
def load() -> rdflib.Graph:
    """The ontology graph. ``kg/data/vetkg.ttl`` links to ``ontology/vetkg.ttl`` in the
    source tree and is a copy of it in an installed package."""
    graph = rdflib.Graph()
    graph.parse(data=read_data("vetkg.ttl"), format="turtle")
    return graph


def _annotated(prop: str) -> dict[str, str]:
    return {str(value): str(term) for term, value in load().subject_objects(rdflib.URIRef(VET + prop))}


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, str]:
    """Extractor name (``responsible_for``, ``department``) → ontology IRI."""
    return _annotated("extractorName")


@lru_cache(maxsize=1)
def institution_classes() -> dict[str, str]:
    """Institution kind (``school``, ``group`` …) → its class IRI."""
    return _annotated("kindName")


@lru_cache(maxsize=1)
def assertion_classes() -> dict[str, str]:
    """Property IRI → the class of the assertion nodes that qualify it."""
    return _annotated("qualifies")


@lru_cache(maxsize=1)
def functions() -> dict[str, str]:
    """Department function notation (``education``) → its SKOS concept IRI."""
    scheme = rdflib.URIRef(VET + "DepartmentFunctionScheme")
    graph = load()
    return {str(graph.value(c, SKOS.notation)): str(c) for c in graph.subjects(SKOS.inScheme, scheme)}


@lru_cache(maxsize=1)
def declared_terms() -> frozenset[str]:
    """Every IRI the ontology declares as a class, property or individual."""
    return frozenset(str(s) for s in load().subjects(RDF.type, None) if isinstance(s, rdflib.URIRef))
