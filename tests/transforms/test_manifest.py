"""Which files a run must process, from the manifest the last run left."""

import polars as pl

from transforms.article import Rejected, article_id_for
from transforms.manifest import Changes, Scanned, manifest_after, plan_changes
import contract


def manifest(rows):
    return pl.DataFrame(rows, schema=contract.polars_schema(contract.MANIFEST)) if rows else \
        contract.empty_frame(contract.MANIFEST)


def row(name, sha, status="loaded", check=None, code="v1"):
    return {"seed_name": name, "article_id": article_id_for(name), "content_sha256": sha, "size_bytes": 10, "status": status,
            "check_name": check, "code_version": code, "first_seen_run": "r0", "processed_run": "r0", "seen_run": "r0"}


def test_new_changed_unchanged_removed():
    before = manifest([row("a.txt", "h1"), row("b.txt", "h2"), row("gone.txt", "h3")])
    now = [Scanned("a.txt", "h1", 10), Scanned("b.txt", "h2-edited", 11), Scanned("c.txt", "h4", 12)]
    changes = plan_changes(now, before, "v1")
    assert (changes.new, changes.changed, changes.unchanged, changes.removed) == \
        (["c.txt"], ["b.txt"], ["a.txt"], ["gone.txt"])
    assert changes.to_process == ["b.txt", "c.txt"] and not changes.is_noop


def test_nothing_changed_is_a_noop_and_a_new_code_version_is_not():
    before = manifest([row("a.txt", "h1"), row("bad.bin", None, "quarantined", "binary")])
    now = [Scanned("a.txt", "h1", 10), Scanned("bad.bin", None, None, Rejected("binary", "binary content", "bad.bin"))]
    assert plan_changes(now, before, "v1").is_noop
    assert plan_changes(now, before, "v2").changed == ["a.txt", "bad.bin"]


def test_a_file_refused_for_another_reason_counts_as_changed():
    before = manifest([row("x.txt", None, "quarantined", "changed_while_reading")])
    assert plan_changes([Scanned("x.txt", None, None, Rejected("too_large", "over the cap", "x.txt"))], before, "v1").changed == ["x.txt"]


def test_manifest_after_keeps_outcomes_and_runs():
    before = manifest([row("a.txt", "h1"), row("b.txt", "h2")])
    now = [Scanned("a.txt", "h1", 10), Scanned("b.txt", "h2b", 10), Scanned("c.txt", None, None, Rejected("binary", "png", "c.txt"))]
    changes = Changes(new=["c.txt"], changed=["b.txt"], unchanged=["a.txt"])
    rows = {r["seed_name"]: r for r in manifest_after(now, before, changes, {article_id_for("a.txt")}, {"b.txt": "decode"},
                                                      "v1", "r1")}
    assert rows["a.txt"]["status"] == "loaded" and rows["a.txt"]["processed_run"] == "r0"
    assert (rows["b.txt"]["status"], rows["b.txt"]["check_name"], rows["b.txt"]["processed_run"]) == \
        ("quarantined", "decode", "r1")
    assert (rows["c.txt"]["check_name"], rows["c.txt"]["first_seen_run"]) == ("binary", "r1")
    assert all(r["seen_run"] == "r1" for r in rows.values())


def test_files_under_a_folder_that_could_not_be_listed_are_unknown_not_removed():
    before = manifest([row("a.txt", "h1"), row("locked/b.txt", "h2"), row("locked/deep/c.txt", "h3"),
                       row("locked-not/d.txt", "h4"), row("gone.txt", "h5")])
    changes = plan_changes([Scanned("a.txt", "h1", 10)], before, "v1", unlisted=["locked"])
    assert changes.unknown == ["locked/b.txt", "locked/deep/c.txt"]
    assert changes.removed == ["gone.txt", "locked-not/d.txt"]
    only_unknown = plan_changes([Scanned("a.txt", "h1", 10), Scanned("gone.txt", "h5", 10),
                                 Scanned("locked-not/d.txt", "h4", 10)], before, "v1", unlisted=["locked"])
    assert only_unknown.is_noop  # a folder that cannot be listed is not a change to process


def test_manifest_after_keeps_the_rows_of_unknown_files_as_they_were():
    before = manifest([row("a.txt", "h1"), row("locked/b.txt", "h2"), row("locked/c.txt", "h3")])
    changes = plan_changes([Scanned("a.txt", "h1", 10)], before, "v1", unlisted=["locked"])
    loaded = {article_id_for("a.txt"), article_id_for("locked/b.txt")}
    rows = {r["seed_name"]: r for r in manifest_after([Scanned("a.txt", "h1", 10)], before, changes, loaded, {}, "v1", "r1")}
    assert rows["locked/b.txt"] == row("locked/b.txt", "h2")  # seen_run stays the last run that saw it
    assert (rows["locked/c.txt"]["status"], rows["locked/c.txt"]["check_name"]) == ("quarantined", "validation")
    assert rows["a.txt"]["seen_run"] == "r1"


def test_unknown_files_take_their_place_in_scan_order():
    from transforms.manifest import seed_order

    seen = ["z.txt", "a/x.txt", "b/y.txt"]  # the scan's order: a folder's files first, then its subfolders
    assert seed_order(seen, []) == seen
    assert seed_order(seen, ["a/deep/w.txt", "a/v.txt"]) == ["z.txt", "a/v.txt", "a/x.txt", "a/deep/w.txt", "b/y.txt"]
