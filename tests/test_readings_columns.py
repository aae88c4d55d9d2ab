"""A reading whose lines run across a two-column page's gutter is read column by column
(``digitize.readings.column_order``); a page in one column, or one the engine already read by
columns, is left as it was."""

from digitize import readings
from digitize.model import Block, Line, OcrPage, Word
from digitize.structure.layout import union


def _line(number: int, y: int, spans: list[tuple[int, list[str]]], n: list[int], cw: int = 18) -> Line:
    words = []
    for x, texts in spans:
        for t in texts:
            w = cw * len(t)
            n[0] += 1
            words.append(Word(id=f"p{number:04d}_w{n[0]:05d}", text=t, bbox=(x, y, x + w, y + 30), conf=95.0))
            x += w + 12
    return Line(bbox=union([w.bbox for w in words]), words=words)


def _page(lines: list[Line]) -> OcrPage:
    blocks = [Block(bbox=ln.bbox, lines=[ln]) for ln in lines]
    return OcrPage(number=1, width=2000, height=2800, dpi=300, blocks=blocks)


TITLE = "A TITLE ACROSS THE WHOLE PAGE WIDTH HERE FROM SIDE TO SIDE".split()
FOOT = "AND A FOOTNOTE THAT RUNS RIGHT OVER BOTH COLUMNS OF THE PAGE AS WELL".split()


def _two_columns(merged: bool) -> OcrPage:
    n = [0]
    lines = [_line(1, 100, [(200, TITLE)], n)]
    for i in range(12):
        left = [f"l{i}a", f"l{i}b", f"l{i}c", f"l{i}d"]
        right = [f"r{i}a", f"r{i}b", f"r{i}c", f"r{i}d"]
        y = 200 + 50 * i
        if merged:  # the engine ran the line across the gutter
            words = _line(1, y, [(100, left), (1000, right)], n, cw=45)  # columns 100-856, 1000-1756
            lines.append(words)
        else:
            lines.append(_line(1, y, [(100, left)], n, cw=45))
    if not merged:
        for i in range(12):
            lines.append(_line(1, 200 + 50 * i, [(1000, [f"r{i}a", f"r{i}b", f"r{i}c", f"r{i}d"])], n, cw=45))
    lines.append(_line(1, 900, [(100, FOOT)], n))
    return _page(lines)


def test_lines_run_across_the_gutter_are_read_column_by_column():
    page = _two_columns(merged=True)
    got = readings.column_order(page)
    assert got is not None
    new, info = got
    text = new.text.split()
    assert text[:len(TITLE)] == TITLE
    body = text[len(TITLE):-len(FOOT)]
    assert body == [f"l{i}{c}" for i in range(12) for c in "abcd"] + [f"r{i}{c}" for i in range(12) for c in "abcd"]
    assert text[-len(FOOT):] == FOOT
    assert info["lines_cut"] == 12 and info["stretches"] == 1
    ids = [w.id for w in new.words()]
    assert ids == sorted(ids) and len(set(ids)) == len(ids) == len(TITLE) + 96 + len(FOOT)  # numbered again, none lost


def test_a_page_read_by_columns_already_is_left_alone():
    assert readings.column_order(_two_columns(merged=False)) is None


def test_a_page_in_one_column_is_left_alone():
    n = [0]
    lines = [_line(1, 100 + 50 * i, [(100, [f"w{i}{c}" for c in "abcdefghijklmnopq"])], n) for i in range(20)]
    assert readings.gutter(_page(lines)) is None
    assert readings.column_order(_page(lines)) is None


def test_margin_numerals_in_the_gutter_neither_hide_it_nor_join_a_column():
    page = _two_columns(merged=True)
    n = [500]
    for k, i in enumerate((2, 7)):  # "5" and "10" printed between the columns, read into the line
        ln = page.blocks[1 + i].lines[0]
        num = _line(1, ln.bbox[1], [(900, [str(5 * (k + 1))])], n).words[0]
        ln.words.insert(4, num)
    new, _ = readings.column_order(page)
    text = new.text.split()
    k = len(FOOT)
    assert text[-k - 2:-k] == ["5", "10"]  # after both columns, before the full-width line below
    assert text[len(TITLE):-k - 2] == [f"l{i}{c}" for i in range(12) for c in "abcd"] + \
        [f"r{i}{c}" for i in range(12) for c in "abcd"]


def _with_line(page: OcrPage, words: list[tuple[str, int]], y: int = 100) -> OcrPage:
    """The page with its title line replaced by a line of these words at these x."""
    ws = [Word(id=f"p0001_w9{k:04d}", text=t, bbox=(x, y, x + 18 * len(t), y + 30), conf=95.0)
          for k, (t, x) in enumerate(words)]
    box = union([w.bbox for w in ws])
    page.blocks[0] = Block(bbox=box, lines=[Line(bbox=box, words=ws)])
    return page


def test_a_heading_or_header_across_the_gutter_stays_whole():
    # a centred heading whose space falls on the gutter's centre (928), a header of numerals
    for words in ([("DESCRIPCION", 670), ("DE", 880), ("LA", 940), ("INVENCION", 988)],
                  [("ES", 840), ("2", 888), ("345", 918), ("678", 984), ("T3", 1050)]):
        new, info = readings.column_order(_with_line(_two_columns(merged=True), words))
        text = new.text.split()
        got = [t for t, _ in words]
        assert text[:len(got)] == got, text[:20]
        assert info["lines_cut"] == 12

