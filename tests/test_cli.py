"""The command line as a user runs it: real files, real processes, exit codes."""

from __future__ import annotations

import json

from conftest import GOLD, ROOT, SEEDS, run_cli

GOOD = "某市职业教育实施方案\n为贯彻落实精神，制定本方案。\n一、主要任务\n(一)建设基地。内容。(责任单位：市教育局)\n"


def test_parse_prints_metadata_and_outline_json():
    proc = run_cli("parse", SEEDS / "003_a200c70846c33ef2.txt")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["metadata"]["region"] == "北京市"
    assert [m["key"] for m in data["measures"]][:3] == ["1.1", "1.2", "2.3"]
    start, end = data["measures"][2]["heading_span"]
    text = (SEEDS / "003_a200c70846c33ef2.txt").read_text(encoding="utf-8")
    assert text[start:end] == data["measures"][2]["heading"]


def test_build_writes_outputs_and_survives_bad_documents(tmp_path, write_doc):
    good = write_doc(GOOD, name="in/good.txt")
    write_doc(b"", name="in/empty.txt")
    write_doc(b"\x00\x01\x02binary\x00" * 10, name="in/blob.txt")
    out = tmp_path / "out"
    proc = run_cli("build", good.parent, tmp_path / "missing.txt", "--out", out)
    assert proc.returncode == 1
    assert "empty.txt: empty file" in proc.stderr
    assert "blob.txt: binary file" in proc.stderr
    assert "missing.txt: no such file or directory" in proc.stderr
    assert "Traceback" not in proc.stderr
    docs = json.loads((out / "documents.json").read_text(encoding="utf-8"))
    assert [d["doc_id"] for d in docs] == ["good"]
    assert (out / "extractions.jsonl").exists()


def test_failed_build_keeps_previous_outputs(tmp_path, write_doc):
    out = tmp_path / "out"
    assert run_cli("build", write_doc(GOOD, name="a.txt"), "--out", out).returncode == 0
    before = (out / "documents.json").read_text(encoding="utf-8")
    proc = run_cli("build", write_doc(b"", name="b.txt"), "--out", out)
    assert proc.returncode == 1
    assert (out / "documents.json").read_text(encoding="utf-8") == before


def test_usage_errors_exit_2(tmp_path):
    assert run_cli("frobnicate").returncode == 2
    assert run_cli("parse").returncode == 2
    proc = run_cli("build", cwd=tmp_path)  # no seeds/ here and no INPUT
    assert proc.returncode == 2 and "no INPUT" in proc.stderr
    assert run_cli("eval", "--gold", tmp_path / "nogold").returncode == 2


def test_warning_for_document_without_outline(tmp_path, write_doc):
    path = write_doc("某市关于加强职业教育的通知\n各单位：请做好工作。\n", name="n.txt")
    proc = run_cli("build", path, "--out", tmp_path / "o")
    assert proc.returncode == 0
    assert "n.txt" in proc.stderr and "no numbered outline" in proc.stderr


def test_eval_json_shape(tmp_path):
    target = tmp_path / "scores.json"
    proc = run_cli("eval", "--gold", GOLD, SEEDS, "--json", target, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "measures" in proc.stdout
    scores = json.loads(target.read_text(encoding="utf-8"))
    assert set(scores) >= {"micro", "documents", "metadata"}
    for lst in (
        "measures",
        "departments",
        "institutions",
        "programs",
        "cited_documents",
        "responsible_for",
        "indicators",
        "supports",
        "institutions_relaxed",
        "programs_relaxed",
        "supports_relaxed",
        "cited_documents_relaxed",
    ):
        assert set(scores["micro"][lst]) >= {"tp", "fp", "fn", "p", "r", "f1"}, lst
    assert "role_accuracy" in scores["micro"]["responsible_for"]
    assert {"comparator_accuracy", "year_accuracy"} <= set(scores["micro"]["indicators"])
    assert "heading_accuracy" in scores["micro"]["measures"]
    assert len(scores["documents"]) == 5
    assert scores["micro"]["measures"]["f1"] >= 0.98


def many_small_documents(folder, count: int = 300) -> dict[str, str]:
    """``count`` small documents (the first 3000 characters of a seed each) in ``folder``;
    returns file stem -> the seed's stem."""
    seeds = sorted(SEEDS.glob("*.txt"))
    heads = {s.stem: s.read_text(encoding="utf-8")[:3000] for s in seeds}
    folder.mkdir(parents=True, exist_ok=True)
    made = {}
    for i in range(count):
        seed = seeds[i % len(seeds)].stem
        stem = f"doc{i:03d}_{seed[:3]}"
        (folder / f"{stem}.txt").write_text(heads[seed], encoding="utf-8")
        made[stem] = seed
    return made


def test_parse_and_extract_process_any_number_of_files(tmp_path):
    """300 files, one at a time: every document's metadata and every document's records,
    each the same as its seed's (only the document id differs)."""
    made = many_small_documents(tmp_path / "in")
    files = sorted((tmp_path / "in").glob("*.txt"))
    assert len(files) == 300

    proc = run_cli("parse", *files)
    assert proc.returncode == 0, proc.stderr[-2000:]
    docs = json.loads(proc.stdout)
    assert [d["doc_id"] for d in docs] == sorted(made)
    by_seed = {}
    for d in docs:
        shape = (d["metadata"]["title"], [m["key"] for m in d["measures"]])
        assert by_seed.setdefault(made[d["doc_id"]], shape) == shape, d["doc_id"]
    assert len(by_seed) == 5 and all(keys for _, keys in by_seed.values())

    proc = run_cli("extract", *files)
    assert proc.returncode == 0, proc.stderr[-2000:]
    records: dict[str, list[str]] = {}
    for line in proc.stdout.splitlines():
        rec = json.loads(line)
        doc_id = rec["doc_id"]  # it names the document in other fields too: made neutral
        text = json.dumps(rec, ensure_ascii=False, sort_keys=True).replace(f'"{doc_id}', '"DOC')
        records.setdefault(doc_id, []).append(text)
    assert sorted(records) == sorted(made)  # every one of the 300 documents
    first_of = {}
    for doc_id, recs in records.items():
        assert recs == first_of.setdefault(made[doc_id], recs), doc_id
    assert sum(len(r) for r in records.values()) == 60 * sum(len(r) for r in first_of.values())
    kinds = {json.loads(r)["type"] for recs in first_of.values() for r in recs}
    assert {"mention", "relation"} <= kinds


def test_parse_and_extract_name_a_bad_file_and_go_on(tmp_path):
    made = many_small_documents(tmp_path / "in", count=3)
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    proc = run_cli("extract", tmp_path / "in")
    assert proc.returncode == 1
    assert "empty.txt: empty file" in proc.stderr and "Traceback" not in proc.stderr
    assert {json.loads(line)["doc_id"] for line in proc.stdout.splitlines()} == set(made)
    proc = run_cli("parse", tmp_path / "in")
    assert proc.returncode == 1 and "empty.txt" in proc.stderr
    assert [d["doc_id"] for d in json.loads(proc.stdout)] == sorted(made)
