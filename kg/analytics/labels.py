"""What people read instead of codes: the ontology's labels of department functions,
roles, institution kinds and node types, in the reader's language.

The codes (``human_resources_social_security``, ``lead``, ``school``, ``Department``) stay
in the rows and CSV files, which scripts read; the report shows these labels. The ontology
(``kg/data/vetkg.ttl``) carries a ``skos:prefLabel`` in Chinese and English for every
function and role; classes carry ``rdfs:label`` only, which stands in for it.
"""

from __future__ import annotations

from functools import cache

import rdflib
from rdflib.namespace import RDFS, SKOS

from kg.analytics.projections import NODE_TYPES
from kg.errors import VetkgError
from kg.rdf import ontology
from kg.rdf.ontology import VET

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"


def check_language(lang: str) -> str:
    """``lang`` if the report speaks it; otherwise a usage error naming the choices."""
    if lang not in LANGUAGES:
        raise VetkgError(f"unknown report language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    return lang


def _label(node: str, lang: str) -> str | None:
    """The node's ``skos:prefLabel`` in ``lang`` (else its ``rdfs:label``; else English)."""
    graph = ontology.load()
    subject = rdflib.URIRef(node)
    for wanted in (lang, "en"):
        for prop in (SKOS.prefLabel, RDFS.label):
            # sorted: a node with two labels in one language shows the same one every run
            for value in sorted(str(o) for o in graph.objects(subject, prop) if getattr(o, "language", None) == wanted):
                return value
    return None


def _labels(codes: dict[str, str], lang: str) -> dict[str, str]:
    return {code: _label(iri, check_language(lang)) or code for code, iri in codes.items()}


@cache
def function_labels(lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """Department function notation (``development_reform``) → 发展改革 / development and reform."""
    return _labels(ontology.functions(), lang)


@cache
def role_labels(lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """Responsibility role (``lead``, ``responsible``) → 牵头 / lead …"""
    graph = ontology.load()
    roles = {
        str(graph.value(c, SKOS.notation)): str(c)
        for c in graph.subjects(SKOS.inScheme, rdflib.URIRef(VET + "RoleScheme"))
    }
    return _labels(roles, lang)


@cache
def kind_labels(lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """Institution kind (``school``, ``group`` …) → 学校 / school …"""
    return _labels(ontology.institution_classes(), lang)


@cache
def type_labels(lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """Node type as the projections name it (``Department``, ``CitedDocument``) → 政府部门 …"""
    return _labels({t: VET + t for t in NODE_TYPES}, lang)


__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "check_language",
    "function_labels",
    "kind_labels",
    "role_labels",
    "type_labels",
]
