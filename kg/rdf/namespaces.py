"""The graph's namespaces and prefixes, for every layer that writes or queries RDF."""

from __future__ import annotations

from kg.rdf.mapping import PREFIXES
from kg.rdf.ontology import FUNCTION, RESOURCE, VET

XSD = PREFIXES["xsd"]
PROV = PREFIXES["prov"]
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

__all__ = ["FUNCTION", "PREFIXES", "PROV", "RDF_TYPE", "RESOURCE", "VET", "XSD"]
