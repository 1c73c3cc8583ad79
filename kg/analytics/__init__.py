"""Analytics over the built knowledge graph: projections to networkx, metrics, policy
diffusion. Every function takes the graph's store (:mod:`kg.analytics.source`), never extractor records."""

from kg.analytics.chains import chain_tree, implementation_chain
from kg.analytics.coissuing import coissuing_graph, coissuing_networks, coissuing_pairs, coissuing_table
from kg.analytics.diffusion import diffusion_links, similar_measures
from kg.analytics.metrics import (
    centrality,
    citation_ranking,
    communities,
    department_communities,
    indicators,
    lead_share,
    load_by_function_region,
    most_cited,
    top_function_per_region,
)
from kg.analytics.projections import (
    Index,
    citation_graph,
    co_responsibility_graph,
    entity_graph,
    keyword_graph,
    responsibility_graph,
    support_graph,
)

__all__ = [
    "Index",
    "centrality",
    "chain_tree",
    "citation_graph",
    "citation_ranking",
    "co_responsibility_graph",
    "coissuing_graph",
    "coissuing_networks",
    "coissuing_pairs",
    "coissuing_table",
    "communities",
    "department_communities",
    "diffusion_links",
    "entity_graph",
    "implementation_chain",
    "indicators",
    "keyword_graph",
    "lead_share",
    "load_by_function_region",
    "most_cited",
    "responsibility_graph",
    "similar_measures",
    "support_graph",
    "top_function_per_region",
]
