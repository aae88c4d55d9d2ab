"""TEDS: tree-edit-distance similarity of two tables (Zhong, ShafieiBavani, Jimeno Yepes,
"Image-based table recognition: data, model, and evaluation", ECCV 2020 — the PubTabNet measure).

A table is the tree ``table → thead?, tbody → tr → td(colspan, rowspan, text)``. Inserting or
deleting a node costs 1; renaming costs 1 unless both nodes are ``td`` with the same spans, when
it costs the normalised Levenshtein distance of their texts. ``TEDS = 1 - distance / max(|A|,
|B|)`` (1: identical). ``structure_only`` ignores the texts (TEDS-S). The distance is
Zhang & Shasha's (1989) algorithm; tables of a few hundred cells take well under a second.

    score = teds(rows_a, head_a, rows_b, head_b)       # rows: [[(text, rowspan, colspan), …], …]
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

Cell = tuple[str, int, int]  # text, rowspan, colspan


@dataclass
class Node:
    tag: str
    text: str = ""
    spans: tuple[int, int] = (1, 1)
    children: list["Node"] = field(default_factory=list)


def tree(rows: list[list[Cell]], header_rows: int = 0) -> Node:
    """The HTML-like tree of a table (``header_rows`` first rows under ``thead``)."""
    def tr(row: list[Cell]) -> Node:
        return Node("tr", children=[Node("td", text=" ".join(t.split()), spans=(int(rs), int(cs))) for t, rs, cs in row])

    root = Node("table")
    if header_rows:
        root.children.append(Node("thead", children=[tr(r) for r in rows[:header_rows]]))
    root.children.append(Node("tbody", children=[tr(r) for r in rows[header_rows:]]))
    return root


def _postorder(root: Node) -> tuple[list[Node], list[int]]:
    """Nodes in post-order and each node's leftmost leaf descendant (post-order index)."""
    nodes: list[Node] = []
    lmd: list[int] = []

    def walk(n: Node) -> int:
        first = None
        for ch in n.children:
            leaf = walk(ch)
            if first is None:
                first = leaf
        nodes.append(n)
        me = len(nodes) - 1
        lmd.append(first if first is not None else me)
        return lmd[me]

    walk(root)
    return nodes, lmd


def _rename(a: Node, b: Node, structure_only: bool) -> float:
    if a.tag != b.tag or a.spans != b.spans:
        return 1.0
    if a.tag != "td" or structure_only:
        return 0.0
    if a.text == b.text:
        return 0.0
    return Levenshtein.normalized_distance(a.text, b.text)


def distance(a: Node, b: Node, structure_only: bool = False) -> float:
    """Zhang-Shasha tree edit distance with unit insert/delete costs."""
    an, al = _postorder(a)
    bn, bl = _postorder(b)
    keys_a = sorted({max(i for i in range(len(an)) if al[i] == al[k]) for k in range(len(an))})
    keys_b = sorted({max(j for j in range(len(bn)) if bl[j] == bl[k]) for k in range(len(bn))})
    td = [[0.0] * len(bn) for _ in range(len(an))]
    for i in keys_a:
        for j in keys_b:
            li, lj = al[i], bl[j]
            m, n = i - li + 2, j - lj + 2
            fd = [[0.0] * n for _ in range(m)]
            for x in range(1, m):
                fd[x][0] = fd[x - 1][0] + 1
            for y in range(1, n):
                fd[0][y] = fd[0][y - 1] + 1
            for x in range(1, m):
                for y in range(1, n):
                    ii, jj = li + x - 1, lj + y - 1
                    if al[ii] == li and bl[jj] == lj:
                        fd[x][y] = min(fd[x - 1][y] + 1, fd[x][y - 1] + 1,
                                       fd[x - 1][y - 1] + _rename(an[ii], bn[jj], structure_only))
                        td[ii][jj] = fd[x][y]
                    else:
                        p, q = al[ii] - li, bl[jj] - lj
                        fd[x][y] = min(fd[x - 1][y] + 1, fd[x][y - 1] + 1, fd[p][q] + td[ii][jj])
    return td[len(an) - 1][len(bn) - 1]


def size(n: Node) -> int:
    return 1 + sum(size(c) for c in n.children)


def teds(rows_a: list[list[Cell]], head_a: int, rows_b: list[list[Cell]], head_b: int, *,
         structure_only: bool = False) -> float:
    """Similarity of table A (e.g. the truth) and B (what was read), 0..1."""
    ta, tb = tree(rows_a, head_a), tree(rows_b, head_b)
    d = distance(ta, tb, structure_only)
    return max(0.0, 1.0 - d / max(size(ta), size(tb)))


def rows_of(table) -> list[list[Cell]]:
    """A ``model.Table``'s rows as TEDS cells (cells in column order)."""
    out: list[list[Cell]] = [[] for _ in range(table.rows)]
    for c in sorted(table.cells, key=lambda c: (c.row, c.col)):
        if 0 <= c.row < table.rows:
            out[c.row].append((c.text, c.rowspan, c.colspan))
    return out
