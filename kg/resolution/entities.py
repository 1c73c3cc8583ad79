"""Entity resolution: which mentions, across all documents, name the same real entity.

The extractor reports surface forms per document; the graph needs one node per real
entity. This stage gives every mention, relation end and document a deterministic
:class:`Key` — a tuple of strings that depends only on what the text says, never on the
path a file was read from — and gathers the surface forms and attributes of each key in
an :class:`Entity`. The graph stage turns keys into IRIs.

Keys, by kind:

- ``document`` (the work, whatever file it was read from): its 文号 (normalised brackets)
  and its region, when a real 文号 is printed; else (no 文号, or a placeholder such as
  ``X政办发〔2018〕X号``) its issuers, normalised title and date; else the content
  checksum. A cited document by 文号 first, then by normalised title (a title cited once
  with a 文号 and once without is one work), and the same key as a built document with
  that 文号 or title, so citing and cited are one node. docs/identity.md states the rules.
- ``department``: (jurisdiction, canonical body); a body whose region is not known (a
  ``市教育局`` in a document whose region is not recognised) is scoped by its document,
  never by a made-up region. The jurisdiction comes from the name's
  region prefix, or from a bare level (``市``/``县``) read against the document's own
  region; the body is the row of ``department_functions.tsv`` that names it, so
  ``县人社局`` and ``县人力资源社会保障局`` of one county are one body and Anyang's and
  Hebi's ``教育局`` are two.
- ``institution``, ``program``: the normalised name (NFKC, quotes and spaces removed); a
  parenthesised alias right after an institution (``A(B)``) is folded into A.
- ``collective`` (``各县区政府``, ``职业院校``): (document jurisdiction, name without a
  leading quantifier: ``各职业院校``, ``有关职业院校`` and ``职业院校`` are one).
- ``region``: the admin code, else the path of names.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from kg.core.lexicon import load_yaml
from kg.core.model import Extraction, Mention, Relation
from kg.core.regions import Region, find_regions, leading_regions, level_from_suffix, resolve
from kg.core.textview import normalize
from kg.extraction.departments import split_name

Key = tuple[str, ...]
# Which mention or relation of which document a key belongs to: the record's own identity
# (kind and where its text is), so later stages look keys up by record, not by position.
MentionRef = tuple[str, str, int, int]  # (doc_id, entity, start, end)
RelationRef = tuple[str, str, str, str, int, int]  # (doc_id, predicate, subject, object, evidence)
Cite = Callable[[str, str | None], Key]  # (title, 文号) -> the cited document's key


def mention_ref(doc_id: str, m: Mention) -> MentionRef:
    return (doc_id, m.entity, m.span.start, m.span.end)


def relation_ref(doc_id: str, r: Relation) -> RelationRef:
    return (doc_id, r.predicate, r.subject, r.object, r.evidence.start, r.evidence.end)


NATIONAL = Region("全国", "national")
_QUOTES_RE = re.compile(r"[\s“”‘’\"'《》「」『』〈〉]")
_BRACKETS = str.maketrans(
    {
        "[": "〔",
        "]": "〕",
        "(": "〔",
        ")": "〕",
        "【": "〔",
        "】": "〕",
        "〖": "〔",
        "〗": "〕",
        "﹝": "〔",
        "﹞": "〕",
        "｛": "〔",
        "｝": "〕",
    }
)


def normalize_name(name: str) -> str:
    """Comparable form of a name: NFKC and simplified script (the view's folds), no
    whitespace or quotation marks, no trailing 等."""
    out = _QUOTES_RE.sub("", normalize(name))
    return out[:-1] if out.endswith("等") and len(out) > 2 else out


def normalize_doc_number(number: str) -> str:
    """``国办发[2017]95号`` and ``国办发〔2017〕95号`` are one 文号."""
    return re.sub(r"\s", "", normalize(number)).translate(_BRACKETS)


# A 文号 with a letter, a cross, a box or 某 where its issuer or serial belongs is a
# template's placeholder, not an identifier: many real documents print the same one.
_PLACEHOLDER_RE = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ×＊*□○〇]|某|XX")


def real_doc_number(number: str | None) -> str | None:
    """The normalised 文号, or None when there is none or it is a placeholder."""
    if not number:
        return None
    n = normalize_doc_number(number)
    return None if _PLACEHOLDER_RE.search(n) else n


def _preferred(a: object, b: object) -> object:
    """Of two values seen for one attribute, the one kept whatever the input order: a
    specific value before ``other``/``unknown``, then the smaller."""

    def rank(v: object) -> tuple[bool, str]:
        return (v in ("other", "unknown", ""), repr(v))

    return min(a, b, key=rank)


_COLLECTIVE_QUANTIFIER_RE = re.compile(r"^(?:各|有关|相关|其他|全体|全)(?=.{2})")


def collective_name(name: str) -> str:
    """The key part of a collective: ``各职业院校`` and ``有关职业院校`` are ``职业院校``."""
    return _COLLECTIVE_QUANTIFIER_RE.sub("", normalize_name(name))


@dataclass
class Entity:
    """One real entity: its key, every surface form seen (with counts) and attributes."""

    kind: str
    key: Key
    labels: Counter = field(default_factory=Counter)
    attrs: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        """The display name: the most frequent surface form, then the longest, then the
        first in code-point order (deterministic); empty when no form was seen (a
        document without a title)."""
        if not self.labels:
            return ""
        return min(self.labels.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0]


@dataclass
class Resolution:
    """Keys for every document, mention and relation end of a corpus."""

    entities: dict[Key, Entity] = field(default_factory=dict)
    documents: dict[str, Key] = field(default_factory=dict)  # doc_id -> document key
    regions: dict[str, Region] = field(default_factory=dict)  # doc_id -> own region
    mentions: dict[MentionRef, Key] = field(default_factory=dict)
    subjects: dict[RelationRef, Key] = field(default_factory=dict)
    objects: dict[RelationRef, Key] = field(default_factory=dict)

    def add(self, entity_type: str, key: Key, label: str | None = None, /, **attrs) -> Key:
        ent = self.entities.get(key)
        if ent is None:
            ent = self.entities[key] = Entity(entity_type, key)
        if label:
            ent.labels[label] += 1
        for k, v in attrs.items():
            if v is not None:
                ent.attrs[k] = _preferred(ent.attrs[k], v) if k in ent.attrs else v
        return key

    def merge(self, entity: Entity, key: Key | None = None) -> None:
        """Fold another resolution's view of an entity (under ``key``, if re-keyed) into
        this one: surface forms counted, of two attribute values the preferred one (so
        the result does not depend on the order documents come in)."""
        key = key or entity.key
        ent = self.entities.get(key)
        if ent is None:
            ent = self.entities[key] = Entity(entity.kind, key)
        ent.labels.update(entity.labels)
        for k, v in entity.attrs.items():
            if v is not None:
                ent.attrs[k] = _preferred(ent.attrs[k], v) if k in ent.attrs else v


def display_label(res: Resolution, entity: Entity) -> str:
    """The label a reader can tell apart from another entity's: a body or collective with
    its region (``市发展改革委（北京市）``), or its document when its region is unknown;
    other entities their own label. Needs the resolution of the whole corpus."""
    label = entity.label
    if entity.kind not in ("department", "collective"):
        return label
    scope = entity.attrs.get("jurisdiction")
    where = res.entities[scope].label if scope in res.entities else ""
    if not scope and entity.attrs.get("scope_document") in res.entities:
        doc = res.entities[entity.attrs["scope_document"]]
        where = str(doc.attrs.get("doc_number") or "") or doc.label
    if not where or label.startswith(where):
        return label
    return f"{label}（{where}）"


# --- regions ----------------------------------------------------------------------------


def region_key(region: Region) -> Key:
    if region.level == "national":
        return ("region", "national")
    if region.admin_code:
        return ("region", region.admin_code)
    return ("region", "path", *(region.path or [region.name]))


def add_region(res: Resolution, region: Region) -> Key:
    """The region's key, after adding it and every broader region to ``res``."""
    key = region_key(region)
    if key in res.entities:
        return key
    parent = broader(region)
    res.add(
        "region",
        key,
        region.name,
        level=region.level,
        admin_code=region.admin_code,
        within=add_region(res, parent) if parent else None,
    )
    return key


def broader(region: Region) -> Region | None:
    """The division directly above ``region`` (county › city › province), if known."""
    if region.level in ("national", "province", "municipality"):
        return None
    names = [n for n in (region.province, region.city, region.county) if n]
    if region.name in names:
        names = names[: names.index(region.name)]
    for name in reversed(names):
        found = resolve(name, region)
        if found is not None:
            return found
    return None


def document_region(extraction: Extraction) -> Region | None:
    """The document's own region: gazetteer entry, or a placeholder (``XX县``)."""
    name = extraction.parsed.metadata.region
    if not name:
        return None
    if name in ("全国", "中华人民共和国"):
        return NATIONAL
    found = resolve(name)
    if found is not None:
        return found
    level = extraction.parsed.metadata.admin_level or level_from_suffix(name) or "county"
    return Region(name, level)


# --- departments ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _bodies() -> dict:
    return load_yaml("department_bodies.yaml")


def canonical_body(body: str, function: str) -> str:
    """One name per body within a jurisdiction (人社局 → human_resources_social_security)."""
    conf = _bodies()
    if function in conf["one_body_per_function"]:
        return function
    for canon, forms in conf["same_body"].items():
        if body in forms:
            return canon
    chain = leading_regions(body)  # 鹤壁市产教融合工作领导小组: the row swallowed the prefix
    start = sum(len(name) for name, _ in chain)
    if not chain and body[:1] in "省市县区" and len(body) > 4:
        start = 1
    return normalize_name(body[start:])


def department_jurisdiction(prefix: str, body: str, own: Region | None) -> Region:
    """The region a department belongs to, from its name's prefix and the document."""
    chain = leading_regions(prefix) if prefix else []
    if not chain and not prefix:  # 国家税务总局北京市税务局: the region inside the body
        inner = [name for _, _, name in find_regions(body)]
        if inner:
            found = resolve(inner[-1], own)
            if found is not None:
                return found
    if chain:
        name, region = chain[-1]
        if region is not None:
            return region
        return own if own is not None and own.name == name else Region(name, level_from_suffix(name) or "county")
    if re.match(_bodies()["national_body"], prefix + body):
        return NATIONAL
    level = prefix[-1:] if prefix else ""
    if own is None:
        return NATIONAL if not prefix else Region(prefix, "unknown")
    if level == "省" and own.province:
        return resolve(own.province, own) or own
    if level in ("市", "州", "盟") and own.level not in ("province",):
        if own.level == "municipality" or (own.city is None and own.province and own.level == "district"):
            found = resolve(own.province, own) if own.province else None
            return found or own  # 市 of a municipality's district
        if own.city:
            return resolve(own.city, own) or own
    return own


def department_key(name: str, own: Region | None, res: Resolution, doc_key: Key) -> Key:
    """A department's key: its jurisdiction and canonical body, or, when the jurisdiction
    cannot be resolved (``市教育局`` in a document of an unknown region), the document that
    names it and the body: two such documents keep two bodies."""
    prefix, body, function = split_name(normalize(name))  # 縣教育局 is 县教育局
    juris = department_jurisdiction(prefix, body, own)
    if juris.level == "unknown":
        key = ("department", "in-document", *doc_key[1:], canonical_body(body, function))
        return res.add("department", key, name, function=function, scope_document=doc_key)
    jkey = add_region(res, juris)
    # A bare level whose region the document does not pin down (a city document's 县教育局)
    # is a body of "the counties of" that region: keep the level in the key.
    level = prefix[-1:] if prefix and not leading_regions(prefix) else ""
    scope = level if juris is own and own is not None and level and level_char_mismatch(level, own) else ""
    key = ("department", *jkey[1:], scope, canonical_body(body, function))
    return res.add("department", key, name, function=function, jurisdiction=jkey)


def level_char_mismatch(level: str, own: Region) -> bool:
    """True when a bare level (县, 区) names a level below the document's own region."""
    below = {"province": "市州盟县区", "municipality": "县区", "city": "县区"}
    return level in below.get(own.level, "")


# --- the corpus -------------------------------------------------------------------------


def issuers_id(issuer: str | None) -> str:
    """Joint issuers in a form independent of the order they are printed in."""
    return "|".join(sorted({normalize_name(p) for p in split_issuers(issuer)}))


def document_key(ex: Extraction) -> Key:
    """A built document's key (its work): a real 文号 within its region; else issuers,
    title and date; else (no title either) the file's checksum. See docs/identity.md."""
    meta = ex.parsed.metadata
    own = document_region(ex)
    region = "/".join(region_key(own)[1:]) if own is not None else ""
    number = real_doc_number(meta.doc_number)
    if number:
        return ("document", "number", number, region)
    if meta.title:
        return ("document", "work", region, issuers_id(meta.issuer), normalize_name(meta.title), meta.date or "")
    return ("document", "checksum", ex.document.checksum)


@dataclass
class CorpusIndex:
    """The built documents by 文号 and by title, and what citations teach (a title cited
    with its 文号), so a citation of either is one node: the built document's when the
    corpus holds it. Every choice between candidates takes the smallest key, so the
    answer does not depend on the order documents come in."""

    by_number: dict[str, set[Key]] = field(default_factory=dict)
    by_title: dict[str, set[Key]] = field(default_factory=dict)
    cited_numbers: dict[str, set[str]] = field(default_factory=dict)  # title -> 文号s cited with it

    def add(self, key: Key, number: str | None, title: str | None) -> None:
        n = real_doc_number(number)
        if n:
            self.by_number.setdefault(n, set()).add(key)
        if title:
            self.by_title.setdefault(normalize_name(title), set()).add(key)

    def learn(self, key: Key) -> None:
        """Note the title and 文号 of a :func:`cited_ref`, before anything is resolved."""
        if is_cited_ref(key) and key[2] and key[3] and real_doc_number(key[2]):
            self.cited_numbers.setdefault(key[3], set()).add(key[2])

    def cited_key(self, title: str, number: str | None) -> Key:
        t = normalize_name(title)
        n = real_doc_number(number)
        if n is None and len(self.cited_numbers.get(t, ())) == 1:
            n = next(iter(self.cited_numbers[t]))  # cited elsewhere with its 文号
        titled = self.by_title.get(t, set())
        if n:
            built = self.by_number.get(n, set())
            if built:
                return min(built & titled or built)
            if not titled:
                return ("document", "number", n)
        if titled:
            return min(titled)
        return ("document", "title", t)

    def resolve(self, key: Key) -> Key:
        """The final key of a :func:`cited_ref` (other keys are returned unchanged)."""
        if is_cited_ref(key):
            return self.cited_key(key[3], key[2] or None)
        return key


def cited_ref(title: str, number: str | None) -> Key:
    """A citation whose node is known only once the whole corpus is: the document stage
    emits it, and :meth:`CorpusIndex.resolve` turns it into the final key."""
    return ("document", "cited", normalize_doc_number(number) if number else "", normalize_name(title))


def is_cited_ref(key: Key) -> bool:
    return len(key) == 4 and key[0] == "document" and key[1] == "cited"


def resolve_corpus(extractions: Iterable[Extraction]) -> Resolution:
    """Keys for every document, mention and relation end of ``extractions`` (citations
    resolved against the whole corpus)."""
    extractions = list(extractions)
    index = CorpusIndex()
    for ex in extractions:
        index.add(document_key(ex), ex.parsed.metadata.doc_number, ex.parsed.metadata.title)
        for m in ex.mentions:
            if m.entity == "cited_document":
                index.learn(cited_ref(m.name, m.attrs.get("doc_number")))
    res = Resolution()
    for ex in extractions:
        resolve_document(res, ex, index)
    return res


def resolve_document(res: Resolution, ex: Extraction, index: CorpusIndex | None = None) -> None:
    """Add the keys of one document to ``res``. Without a corpus ``index`` (the pure
    per-document stage), citations get :func:`cited_ref` keys, resolved later."""
    doc_id = ex.document.doc_id
    meta = ex.parsed.metadata
    key = document_key(ex)
    own = document_region(ex)
    res.documents[doc_id] = key
    if own is not None:
        res.regions[doc_id] = own
    issuers = tuple(sorted({department_key(name, own, res, key) for name in split_issuers(meta.issuer)}))
    res.add(
        "document",
        key,
        meta.title,
        in_corpus=True,
        doc_id=doc_id,
        jurisdiction=add_region(res, own) if own else None,
        issuers=issuers,
    )
    cite = index.cited_key if index is not None else cited_ref
    _resolve_mentions(res, ex, own, cite, key)
    _resolve_relations(res, ex, own, cite)


def split_issuers(issuer: str | None) -> list[str]:
    """Joint issuers (``北京市发展和改革委员会 北京市教育委员会``) one by one."""
    return [p for p in re.split(r"[\s、,，;；]+", issuer or "") if p]


def _alias_of(doc_text: str, prev: Mention | None, m: Mention) -> bool:
    """``A(B)``: B written as a parenthesised alias right after A."""
    if prev is None or prev.entity != "institution":
        return False
    between = doc_text[prev.span.end : m.span.start]
    after = doc_text[m.span.end : m.span.end + 1]
    return between in ("(", "（") and after in (")", "）")


def _resolve_mentions(res: Resolution, ex: Extraction, own: Region | None, cite: Cite, doc_key: Key) -> None:
    doc_id = ex.document.doc_id
    text = ex.document.text
    prev_inst: Mention | None = None
    prev_key: Key | None = None
    for m in ex.mentions:
        key: Key | None = None
        if m.entity == "department":
            key = department_key(m.name, own, res, doc_key)
        elif m.entity == "institution":
            if _alias_of(text, prev_inst, m) and prev_key is not None:
                key = prev_key
                res.add("institution", key, m.name, alias=True)
            else:
                key = res.add("institution", ("institution", normalize_name(m.name)), m.name, kind=m.attrs.get("kind"))
            prev_inst, prev_key = m, key
        elif m.entity == "program":
            key = res.add("program", ("program", normalize_name(m.name)), m.name, kind=m.attrs.get("kind"))
        elif m.entity == "cited_document":
            key = cite(m.name, m.attrs.get("doc_number"))
            res.add("document", key, m.name, cited=True, doc_number=m.attrs.get("doc_number"))
        elif m.entity == "region":
            region = Region(
                m.name,
                m.attrs.get("level") or "county",
                *_path_parts(m.attrs.get("path") or [m.name], m.attrs.get("level")),
                admin_code=m.attrs.get("admin_code"),
            )
            found = resolve(m.name, own) if m.attrs.get("admin_code") else None
            key = add_region(res, found or (own if m.attrs.get("own") and own else region))
        elif m.entity == "indicator":
            key = ("indicator", ex.document.checksum, str(m.span.start), str(m.span.end))
            res.add("indicator", key, m.name)
        if key is not None:
            res.mentions[mention_ref(doc_id, m)] = key


def _path_parts(path: list[str], level: str | None) -> tuple[str | None, str | None, str | None]:
    province = path[0] if path else None
    city = path[1] if len(path) > 2 or (len(path) == 2 and level == "city") else None
    county = path[-1] if level in ("district", "county") else None
    return province, city, county


def _resolve_relations(res: Resolution, ex: Extraction, own: Region | None, cite: Cite) -> None:
    doc_id = ex.document.doc_id
    doc_key = res.documents[doc_id]
    by_span: dict[tuple[str, int, int], Key] = {}
    by_name: dict[tuple[str, str], Key] = {}
    for m in ex.mentions:
        key = res.mentions.get(mention_ref(doc_id, m))
        if key is not None:
            by_span[(m.entity, m.span.start, m.span.end)] = key
            by_name.setdefault((m.entity, m.name), key)
    for r in ex.relations:
        subj: Key | None = None
        obj: Key | None = None
        if r.predicate == "responsible_for":
            subj = _unit_key(res, r, own, doc_key, by_span, by_name)
            obj = ("measure", *doc_key[1:], r.object)
        elif r.predicate == "supports":
            kind = r.attrs.get("target_kind", "institution")
            subj = ("measure", *doc_key[1:], r.subject)
            obj = by_name.get((kind, r.object)) or res.add(kind, (kind, normalize_name(r.object)), r.object)
        elif r.predicate == "targets":
            subj = ("measure", *doc_key[1:], r.subject)
            obj = by_span.get(("indicator", r.evidence.start, r.evidence.end))
        elif r.predicate == "cites":
            subj = doc_key
            obj = cite(r.object, r.attrs.get("doc_number"))
        elif r.predicate == "part_of":
            subj = ("measure", *doc_key[1:], r.subject)
            obj = doc_key
        if subj is not None and obj is not None:
            ref = relation_ref(doc_id, r)
            res.subjects[ref] = subj
            res.objects[ref] = obj


def _unit_key(
    res: Resolution,
    r: Relation,
    own: Region | None,
    doc_key: Key,
    by_span: dict[tuple[str, int, int], Key],
    by_name: dict[tuple[str, str], Key],
) -> Key:
    """A responsible unit: the department or institution mention it is, a name shaped
    like a department, or else a collective of the document's jurisdiction."""
    span = r.attrs.get("unit_span")
    if span:
        for entity in ("department", "institution"):
            key = by_span.get((entity, span[0], span[1]))
            if key:
                return key
    for entity in ("department", "institution"):
        key = by_name.get((entity, r.subject))
        if key:
            return key
    _, body, _ = split_name(normalize(r.subject))
    if body != normalize(r.subject) and not re.match(r"^(?:各|有关|相关|其他|全)", r.subject):
        return department_key(r.subject, own, res, doc_key)
    name = collective_name(r.subject)
    if own is None:  # "the schools" of a document whose region is unknown: that document's
        return res.add("collective", ("collective", "in-document", *doc_key[1:], name), r.subject)
    jkey = add_region(res, own)
    return res.add("collective", ("collective", *jkey[1:], name), r.subject, jurisdiction=jkey)
