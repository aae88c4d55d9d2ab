"""bench/real_sets.toml, bench/collect_real_sets.py and the part guard of bench/real.py (issue 30):
no page image, no network; a tiny git repository made here stands for a fetched one."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _load(name: str):
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
        mod = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = mod  # dataclasses look their module up there
        spec.loader.exec_module(mod)
        return mod
    finally:
        sys.path.remove(str(BENCH))


collect = _load("collect_real_sets")

USED_BEFORE = {"committed", "tesseract-test", "ocr-benchmark", "ocrmypdf-resources", "patent_client-CA2944968A1"}


def test_config_every_source_has_its_part_and_provenance():
    entries = collect.load_config()
    names = [e["name"] for e in entries]
    assert len(names) == len(set(names))
    for e in entries:
        assert e["part"] in ("tuning", "sealed", "sealed2", "sealed3", "sealed4", "sealed5", "sealed6", "sealed7",
                             "sealed8", "sealed9"), e["name"]
        assert e["repo"] and e["commit"] and e["licence"], e["name"]
        assert "__" not in e["name"] and "." not in e["name"]
        if "format" in e:
            assert e["format"] in collect.READERS
    assert all(e["part"] == "tuning" for e in entries if e["name"] in USED_BEFORE)
    new = [e for e in entries if e["name"] not in USED_BEFORE]
    assert len({e["repo"] for e in new}) >= 5
    assert {e["part"] for e in new} == {"tuning", "sealed", "sealed2", "sealed3", "sealed4", "sealed5", "sealed6",
                                        "sealed7", "sealed8", "sealed9"}
    # round 2 (sealed2): five or more repositories none of the earlier parts used, each wholly in
    # one part; the sealed2 part holds most of their pages' sources
    first = {e["repo"] for e in entries if e["part"] == "sealed" or e["name"] in USED_BEFORE}
    round2 = [e for e in entries if e["repo"] not in first and e["part"] in ("tuning", "sealed2")
              and e["name"] not in {"ehri-typescripts", "fondue-fr-print-20", "fondue-es-print-19-a"}]
    assert len({e["repo"] for e in round2}) >= 5
    for repo in {e["repo"] for e in round2}:
        assert len({e["part"] for e in round2 if e["repo"] == repo}) == 1, repo
    assert sum(e["part"] == "sealed2" for e in round2) > sum(e["part"] == "tuning" for e in round2)
    # rounds 3-9: repositories no other part used, each round wholly sealed: (part, repositories at
    # least, pages at least, pages a source at most); round 6 holds 69 pages (the 100 asked for could
    # not be had, see bench/real_sets.toml)
    for part, repos, pages, per_source in (("sealed3", 4, 0, None), ("sealed4", 4, 0, None),
                                           ("sealed5", 3, 100, 40), ("sealed6", 3, 0, 40),
                                           ("sealed7", 3, 100, 40), ("sealed8", 3, 100, 40),
                                           ("sealed9", 3, 100, 40)):
        earlier = {e["repo"] for e in entries if e["part"] != part}
        this = [e for e in entries if e["part"] == part]
        assert len({e["repo"] for e in this}) >= repos and not {e["repo"] for e in this} & earlier, part
        assert sum(e["pages"] for e in this) >= pages, part
        if per_source is not None:
            assert all(e["pages"] <= per_source for e in this), part

ALTO = """<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#">
  <Description><sourceImageInformation><fileName>{image}</fileName></sourceImageInformation></Description>
  <Tags><OtherTag ID="LT1" LABEL="default"/><OtherTag ID="LT2" LABEL="DefaultLine:Handwritten"/></Tags>
  <Layout><Page WIDTH="100" HEIGHT="100"><PrintSpace>
    <TextBlock ID="b1">
      <TextLine ID="l1" TAGREFS="LT1"><String CONTENT="El invento se refiere a un disposi"/><HYP CONTENT="-"/></TextLine>
      <TextLine ID="l2" TAGREFS="LT1"><String CONTENT="tivo de con&#xAC;"/></TextLine>
      {extra}
    </TextBlock>
  </PrintSpace></Page></Layout>
</alto>"""


def test_alto_lines_hyphens_and_what_makes_a_page_partial():
    page = collect.alto_page(ALTO.format(image="p1.png", extra="").encode())
    assert page["image"] == "p1.png"
    assert page["lines"] == ["El invento se refiere a un disposi-", "tivo de con\u00ac"]
    assert page["empty"] == 0 and page["handwritten"] == 0
    assert collect._apply(page["lines"][1], [(collect.re.compile("\u00ac$"), "-")]) == "tivo de con-"
    empty = collect.alto_page(ALTO.format(image="p", extra='<TextLine ID="l3" TAGREFS="LT1"/>').encode())
    assert empty["empty"] == 1
    hand = collect.alto_page(ALTO.format(image="p", extra='<TextLine ID="l3" TAGREFS="LT2">'
                                                         '<String CONTENT="x"/></TextLine>').encode())
    assert hand["handwritten"] == 1


def test_ink_outside_the_transcribed_lines():
    import cv2
    import numpy as np

    page = np.full((400, 400), 255, np.uint8)
    for row in (50, 250):  # two lines of ten "letters" 20 px high
        for k in range(10):
            cv2.rectangle(page, (20 + 30 * k, row), (35 + 30 * k, row + 20), 0, -1)
    png = cv2.imencode(".png", page)[1].tobytes()
    both = [(15, 48, 330, 72), (15, 248, 330, 272)]
    assert collect.ink_outside(png, both, (400, 400)) == 0.0
    assert collect.ink_outside(png, both[:1], (400, 400)) == 0.5
    assert collect.ink_outside(png, [(7.5, 24, 165, 36)], (200, 200)) == 0.5  # ALTO of a half-size image
    assert collect.ink_outside(png, [], None) is None


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                               "GIT_COMMITTER_EMAIL": "t@t", "HOME": str(repo)}).stdout.strip()


def test_collect_from_a_git_dir_writes_flat_pairs(tmp_path):
    from PIL import Image

    src = tmp_path / "src"
    (src / "data").mkdir(parents=True)
    words = " ".join(["palabra"] * 25)
    (src / "data" / "a.xml").write_text(ALTO.format(image="a.png", extra=f'<TextLine><String CONTENT="{words}"/></TextLine>'))
    Image.new("L", (40, 20), 255).save(src / "data" / "a.png", dpi=(300, 300))
    (src / "data" / "b.xml").write_text(ALTO.format(image="b.png", extra='<TextLine ID="x"/>'))  # partial truth
    Image.new("L", (40, 20), 255).save(src / "data" / "b.png")
    (src / "data" / "c.xml").write_text(ALTO.format(image="missing.png", extra=""))
    _git(src, "init", "-q")
    _git(src, "add", ".")
    _git(src, "commit", "-qm", "pages")
    commit = _git(src, "rev-parse", "HEAD")
    entry = {"name": "demo", "repo": "x/y", "commit": commit, "paths": ["data/"], "format": "alto",
             "replace": [["\u00ac$", "-"]], "licence": "CC-BY 4.0", "part": "sealed"}
    info = collect.collect(entry, src / ".git", tmp_path / "out")
    assert [p["name"] for p in info["pages"]] == ["data_a"]
    assert info["pages"][0]["dpi"] == [300, 300] and info["pages"][0]["words"] == 25 + 10
    why = {d["path"]: d["why"] for d in info["dropped"]}
    assert "partial truth" in why["data/b.xml"] and "no image" in why["data/c.xml"]
    out = tmp_path / "out" / "demo"
    assert sorted(p.name for p in out.iterdir()) == ["SOURCE.json", "data_a.gt.txt", "data_a.png"]
    assert "tivo de con-\n" in (out / "data_a.gt.txt").read_text(encoding="utf-8")
    assert json.loads((out / "SOURCE.json").read_text())["commit"] == commit


def test_real_py_runs_a_sealed_source_only_when_asked(tmp_path):
    real = _load("real")
    config = tmp_path / "sets.toml"
    config.write_text('[[source]]\nname = "s"\npart = "sealed"\nrepo = "x/y"\ncommit = "1"\nlicence = "x"\n'
                      '[[source]]\nname = "t"\npart = "tuning"\nrepo = "x/y"\ncommit = "1"\nlicence = "x"\n')
    for name in ("s", "t"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "p.png").write_bytes(b"")
        (tmp_path / name / "p.gt.txt").write_text("text")
    assert list(real.find_sets([], "tuning", tmp_path, None, config)) == ["t"]
    assert list(real.find_sets([], "sealed", tmp_path, None, config)) == ["s"]
    assert sorted(real.find_sets([], "all", tmp_path, None, config)) == ["s", "t"]
    with pytest.raises(SystemExit, match="sealed part"):
        real.find_sets(["s"], "tuning", tmp_path, None, config)


# ---------------------------------------------------------------- round 2 (sealed2, issue 30)

SROIE = (b"\xef\xbb\xbf72,25,326,25,326,64,72,64,TAN WOON YANN\r\n"
         b"110,144,383,144,383,163,110,163,NO.53 55,57 & 59, JALAN SAGU 18,\r\n"
         b"50,372,96,372,96,390,50,390,DATE:\r\n")


def test_icdar_line_boxes_keep_commas_of_the_transcript():
    page = collect.icdar_page(SROIE)
    assert page["lines"] == ["TAN WOON YANN", "NO.53 55,57 & 59, JALAN SAGU 18,", "DATE:"]
    assert page["boxes"][1] == (110.0, 144.0, 383.0, 163.0)
    assert page["empty"] == 0 and page["image"] is None
    assert collect.icdar_page(b"1,2,3,4,5,6,7,8,\n")["empty"] == 1
    with pytest.raises(ValueError):
        collect.icdar_page(b"TOTAL 12.00\n")


def test_alto_is_read_by_the_safe_parser():
    from digitize import xmlsafe

    bomb = ALTO.format(image="p.png", extra="").replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE alto [<!ENTITY x "xxxxxxxx">]>')
    with pytest.raises(xmlsafe.UnsafeXML):
        collect.alto_page(bomb.encode())


LETTER = ALTO.replace('<OtherTag ID="LT2" LABEL="DefaultLine:Handwritten"/>',
                      '<OtherTag ID="LT2" LABEL="DefaultLine:Handwritten"/><OtherTag ID="LT3" LABEL="DefaultLine:Signature"/>')


def test_alto_signature_by_hand_and_small_untranscribed_marks():
    extra = ('<TextLine ID="s" TAGREFS="LT2" HPOS="10" VPOS="80" WIDTH="40" HEIGHT="8"><String CONTENT="G D Worswick"/></TextLine>'
             '<TextLine ID="n" TAGREFS="LT1" HPOS="45" VPOS="95" WIDTH="6" HEIGHT="5"><String CONTENT=""/></TextLine>'
             '<TextLine ID="t" TAGREFS="LT3" HPOS="10" VPOS="70" WIDTH="40" HEIGHT="8"><String CONTENT="Yours sincerely,"/></TextLine>')
    page = collect.alto_page(LETTER.format(image="p.png", extra=extra).encode())
    assert page["handwritten"] == 1 and page["hand"] == [2] and page["marks"] == 1
    assert page["lines"][2:] == ["G D Worswick", "Yours sincerely,"]
    assert page["empty"] == 0  # the mark is counted apart, as the entry decides
    assert (10.0, 80.0, 50.0, 88.0) not in page["boxes"]  # the hand's ink is outside the transcribed lines
    wide = collect.alto_page(LETTER.format(image="p", extra='<TextLine ID="w" TAGREFS="LT1" HPOS="0" VPOS="50" '
                                                         'WIDTH="90" HEIGHT="8"/>').encode())
    assert wide["marks"] == 0 and wide["empty"] == 1  # a whole untranscribed line is partial truth


def _repo(tmp_path, files: dict[str, bytes]) -> tuple[Path, str]:
    src = tmp_path / "src"
    for name, data in files.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_bytes(data)
    _git(src, "init", "-q")
    _git(src, "add", ".")
    _git(src, "commit", "-qm", "pages")
    return src / ".git", _git(src, "rev-parse", "HEAD")


def _jpeg(w: int = 400, h: int = 420) -> bytes:
    from PIL import Image

    buf = collect.io.BytesIO()
    Image.new("L", (w, h), 255).save(buf, "JPEG")
    return buf.getvalue()


def test_collect_icdar_images_elsewhere_and_dropped_pages(tmp_path):
    words = ",".join(["0"] * 8) + "," + " ".join(["ITEM"] * 25) + "\n"
    files = {f"data/box/{k}.csv": words.encode() for k in ("a", "b", "c")}
    files.update({f"data/img/{k}.jpg": _jpeg(400 + i) for i, k in enumerate("abc")})
    git_dir, commit = _repo(tmp_path, files)
    entry = {"name": "receipts", "repo": "x/y", "commit": commit, "paths": ["data/"], "format": "icdar",
             "image_from": ["^data/box/(.*)\\.csv$", "data/img/\\1.jpg"], "max_pages": 2,
             "drop_pages": {"data_box_b": "the truth of another receipt"}, "licence": "x", "part": "tuning"}
    info = collect.collect(entry, git_dir, tmp_path / "out")
    assert [p["name"] for p in info["pages"]] == ["data_box_a"]  # c is not brought in for b
    why = {d["path"]: d["why"] for d in info["dropped"]}
    assert "another receipt" in why["data/box/b.csv"] and "max_pages" in why["data/box/c.csv"]
    out = tmp_path / "out" / "receipts"
    assert (out / "data_box_a.jpg").read_bytes() == files["data/img/a.jpg"]
    assert (out / "data_box_a.gt.txt").read_text() == " ".join(["ITEM"] * 25) + "\n"


def test_collect_keeps_a_typed_letter_signed_by_hand_only_when_the_entry_says(tmp_path):
    body = "".join(f'<TextLine ID="l{i}" TAGREFS="LT1"><String CONTENT="{" ".join(["typed"] * 10)}"/></TextLine>'
                   for i in range(3))
    sig = '<TextLine ID="s" TAGREFS="LT2"><String CONTENT="G D Worswick"/></TextLine>'
    git_dir, commit = _repo(tmp_path, {"data/l.xml": LETTER.format(image="l.jpg", extra=body + sig).encode(),
                                       "data/l.jpg": _jpeg()})
    entry = {"name": "letters", "repo": "x/y", "commit": commit, "paths": ["data/"], "format": "alto",
             "licence": "x", "part": "tuning"}
    assert collect.collect(entry, git_dir, tmp_path / "a")["pages"] == []
    info = collect.collect({**entry, "max_handwritten": 1}, git_dir, tmp_path / "b")
    assert [p["name"] for p in info["pages"]] == ["data_l"]
    truth = (tmp_path / "b" / "letters" / "data_l.gt.txt").read_text()
    assert "Worswick" not in truth and "typed" in truth
    # a small untranscribed box on the same page still makes it partial unless the entry allows marks
    mark = '<TextLine ID="n" TAGREFS="LT1" HPOS="45" VPOS="95" WIDTH="6" HEIGHT="5"/>'
    git_dir, commit = _repo(tmp_path / "m", {"data/l.xml": LETTER.format(image="l.jpg", extra=body + sig + mark).encode(),
                                             "data/l.jpg": _jpeg()})
    entry = {**entry, "commit": commit, "max_handwritten": 1}
    info = collect.collect(entry, git_dir, tmp_path / "c")
    assert info["pages"] == [] and "without transcription" in info["dropped"][0]["why"]
    assert len(collect.collect({**entry, "marks_untranscribed": True}, git_dir, tmp_path / "d")["pages"]) == 1


def test_real_py_sealed2_is_its_own_part(tmp_path):
    real = _load("real")
    config = tmp_path / "sets.toml"
    config.write_text("".join(f'[[source]]\nname = "{n}"\npart = "{p}"\nrepo = "x/y"\ncommit = "1"\nlicence = "x"\n'
                              for n, p in (("s", "sealed"), ("s2", "sealed2"), ("t", "tuning"))))
    for name in ("s", "s2", "t"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "p.png").write_bytes(b"")
        (tmp_path / name / "p.gt.txt").write_text("text")
    assert list(real.find_sets([], "sealed2", tmp_path, None, config)) == ["s2"]
    assert list(real.find_sets([], "tuning", tmp_path, None, config)) == ["t"]
    assert sorted(real.find_sets([], "all", tmp_path, None, config)) == ["s", "s2", "t"]
    with pytest.raises(SystemExit, match="sealed2 part"):
        real.find_sets(["s2"], "tuning", tmp_path, None, config)
    config.write_text(config.read_text().replace('"sealed2"', '"sealed99"'))
    with pytest.raises(SystemExit, match="sealed99"):
        real.find_sets([], "all", tmp_path, None, config)


def test_real_py_scores_a_capitals_truth_case_free(tmp_path):
    from digitize.evaluate import evaluate

    real = _load("real")
    (tmp_path / "out").mkdir()
    (tmp_path / "truth").mkdir()
    (tmp_path / "out" / "r.txt").write_text("Gerbang Alaf Restaurants\nTotal 11.10\n")
    (tmp_path / "truth" / "r.txt").write_text("GERBANG ALAF RESTAURANTS\nTOTAL 11.10\n")
    (u,) = evaluate(tmp_path / "out", tmp_path / "truth").units
    assert u.owe == 0.8  # 4 of the 5 words differ by case only
    folded = real.case_free(u, tmp_path / "truth" / "r.txt")
    assert folded.owe == 0.0 and folded.truth_words == 5
    (tmp_path / "out" / "r.txt").write_text("Gerbang Alaf\n")
    (u,) = evaluate(tmp_path / "out", tmp_path / "truth").units
    assert real.case_free(u, tmp_path / "truth" / "r.txt").owe == 0.6  # 3 words missing, in any case
