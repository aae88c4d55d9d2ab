"""The document-level quality gate (``[queue] min_mean_confidence``, ``min_lexicon_share``).

A garbage scan (60 dpi, mean confidence 74, words the lexicon does not know) must not become
``done`` just because its few queued words were decided: the gate's reason keeps it
``needs-review``. Its figures go into the document JSON (``quality``), its reason into the
document's flags and the ledger's ``quality`` column.
"""

from __future__ import annotations

from ..model import OcrPage
from ..settings.profile import Profile, or_defaults


def gate(pages: list[OcrPage], profile: Profile, reviewed: set[str]) -> dict:
    """The gate's figures (words, mean confidence, lexicon share) and, when the document fails
    it, its ``reason``. Reviewed words count as sure."""
    from ..proofread import vocabulary_for

    s = or_defaults(profile).proofread
    words = [w for p in pages if not p.image_only for w in p.words() if w.text.strip()]
    if not words:
        return {"words": 0}
    mean = sum(100.0 if w.id in reviewed else w.conf for w in words) / len(words)
    alpha = [w for w in words if len(w.text) >= 3 and sum(c.isalpha() for c in w.text) >= 3]
    share = None
    if alpha:
        lexicon = vocabulary_for(profile, s)
        seen: dict[str, bool] = {}  # text -> known: a document repeats most of its words
        known = 0
        for w in alpha:
            if w.id in reviewed:
                known += 1
                continue
            ok = seen.get(w.text)
            if ok is None:
                ok = seen[w.text] = _known(lexicon, w.text)
            known += ok
        share = known / len(alpha)
    out: dict = {"words": len(words), "mean_confidence": round(mean, 1),
                 "lexicon_share": round(share, 3) if share is not None else None}
    if len(words) >= s.queue_quality_min_words:
        reasons = []
        if mean < s.queue_min_mean_confidence:
            reasons.append(f"mean word confidence {mean:.0f} is below {s.queue_min_mean_confidence:g}")
        if share is not None and len(alpha) >= s.queue_quality_min_words // 2 and share < s.queue_min_lexicon_share:
            reasons.append(f"only {share:.0%} of the words are in the lexicon (at least {s.queue_min_lexicon_share:.0%})")
        if reasons:
            out["reason"] = "; ".join(reasons)
    return out


def _known(lexicon, text: str) -> bool:
    core = "".join(c for c in text if c.isalpha() or c in "-'")
    return bool(core) and (lexicon.known(core) or any(lexicon.known(part) for part in core.split("-") if part))
