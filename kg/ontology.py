"""The vetkg ontology (``ontology/vetkg.ttl``), read with rdflib.

Code asks the ontology for its vocabulary (which entity types and predicates exist, and
their IRIs) instead of restating it.
"""
from __future__ import annotations

from functools import lru_cache

from kg.lexicon import read_data

VET = "https://w3id.org/vetkg/ontology#"


@lru_cache(maxsize=1)
def load():
    """The ontology graph. ``kg/data/vetkg.ttl`` links to ``ontology/vetkg.ttl`` in the
    source tree and is a copy of it in an installed package."""
    import rdflib

    graph = rdflib.Graph()
    graph.parse(data=read_data("vetkg.ttl"), format="turtle")
    return graph


def vocabulary() -> dict[str, str]:
    """Extractor name (``responsible_for``, ``department``) → ontology IRI."""
    import rdflib

    graph = load()
    prop = rdflib.URIRef(VET + "extractorName")
    return {str(name): str(term) for term, name in graph.subject_objects(prop)}
