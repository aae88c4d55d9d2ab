"""The admin page: progress, the open items, who holds what, the audit trail (page and CSV),
documents the quality gate holds, the office memory's automatic corrections, and the users.

The page reads the open items and the audit trail by SQL with limits (the first 300 open
items, the latest 200 audit rows), never the whole queue; the CSV export is the whole audit
trail, filtered like the page. The admin page never reserves an item.
"""

from __future__ import annotations

import csv
import io
import logging
import sqlite3
import time
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ...proofread.sheet import item_id_of
from ...store.queue import Queue
from ...store.users import ROLES, UserError
from ..views import (audit_title, auto_memory_view, automatic_changes, held_by_quality, item_title, progress_view,
                     when)
from ..web import Auth, admin_page, form_of, redirect, render, state

log = logging.getLogger(__name__)

router = APIRouter()


def _filtered_audit(queue: Queue, doc: str, reviewer: str, action: str) -> list[dict[str, Any]]:
    rows = queue.audit(doc or None)
    return [a for a in rows if (not reviewer or a["reviewer"] == reviewer) and (not action or a["action"] == action)]


@router.get("/admin", response_class=HTMLResponse)
def admin(request: Request, doc: str = "", reviewer: str = "", action: str = "",
          auth: Auth = Depends(admin_page)):
    """Counts, the first 300 open items and the latest 200 audit rows."""
    st = state(request)
    q = st.queue
    per_reviewer = q.audit_summary()
    recent, audit_total = q.audit_page(doc or None, reviewer or None, action or None, limit=200)
    decided_now = q.decided_among(a["item_id"] for a in recent)
    for a in recent:
        a["when"] = when(a["at"])
        a["name"] = audit_title(a)
        a["reopenable"] = a["item_id"] in decided_now and a["action"] not in ("undo", "reopen")
    shown, open_total = q.open_page(doc or None, limit=300)
    skips = q.skip_counts([i.id for i in shown])
    now = time.time()
    open_items = [{"id": i.id, "name": item_title(i), "skips": skips.get(i.id, 0),
                   "holder": i.lease_owner if i.lease_expires and i.lease_expires >= now else None,
                   "confidence": i.confidence} for i in shown]
    holders = [{**h, "name": item_title(q.get(h["id"])), "until": when(h["lease_expires"])} for h in q.holders()]
    progress = progress_view(q.progress(), None)
    return render(request, "admin.html", auth.session, auth.user, users=st.users.list(), roles=ROLES,
                  progress=progress, per_reviewer=per_reviewer, audit=recent,
                  audit_total=audit_total, open_items=open_items, open_total=open_total,
                  holders=holders, quality=held_by_quality(st.cfg.job_dir),
                  auto_memory=auto_memory_view(st.cfg.job_dir), time_spent=q.time_spent(),
                  filters={"doc": doc, "reviewer": reviewer, "action": action},
                  reviewers=sorted(per_reviewer), actions=sorted({a for c in per_reviewer.values() for a in c} - {"total"}),
                  documents=[d["doc_id"] for d in progress["documents"]])


@router.get("/admin/audit.csv")
def audit_csv(request: Request, doc: str = "", reviewer: str = "", action: str = "",
              auth: Auth = Depends(admin_page)):
    """The audit trail (filtered like the page) as CSV; text cells never start a formula."""
    from ...proofread.sheet import neutralise

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["time", "reviewer", "document", "item_id", "item", "action", "before", "after", "series",
                "seconds"])
    for a in _filtered_audit(state(request).queue, doc, reviewer, action):
        w.writerow([when(a["at"]), neutralise(a["reviewer"]), neutralise(a["doc_id"]), a["item_id"],
                    neutralise(audit_title(a)), a["action"], neutralise(a["before"] or ""),
                    neutralise(a["after"] or ""), "yes" if a["series"] else "",
                    "" if a.get("seconds") is None else f"{a['seconds']:.1f}"])
    return Response("\ufeff" + buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="audit.csv"'})


@router.post("/admin/reopen")
def admin_reopen(request: Request, auth: Auth = Depends(admin_page), form: dict = Depends(form_of)):
    item_id = item_id_of(form.get("item_id", ""))
    if item_id is None:
        return redirect("/admin")
    state(request).queue.reopen(item_id, auth.user.name)
    return redirect("/admin?msg=reopened")


@router.post("/admin/auto-memory/reverse")
def admin_reverse_auto_memory(request: Request, auth: Auth = Depends(admin_page), form: dict = Depends(form_of)):
    """Take back one of the office memory's automatic corrections in the whole job: every word it
    changed gets a decided item (the word as read, by this admin), the job's rules drop it and
    the office memory records the reversal, so it is never applied again. ``digitize apply``
    puts the words back in every output."""
    from ...store.memory import MemoryError_, OfficeMemory, drop_correction

    st = state(request)
    job_dir = st.cfg.job_dir
    what = form.get("form", "")
    changes = [c for c in automatic_changes(job_dir) if c["form"] == what]
    if not what or not changes:
        return redirect("/admin")
    for c in changes:
        st.queue.reverse_automatic(c["doc_id"], c["word_id"], c["page"], c["new"], c["old"], auth.user.name)
    try:
        rules = drop_correction(job_dir, what)
        if rules is not None and rules.store:
            with OfficeMemory(rules.store) as store:
                store.reverse(rules.office, changes[0]["old"], changes[0]["new"], auth.user.name,
                              job=str(job_dir), doc_id=changes[0]["doc_id"], item_key=changes[0]["word_id"])
    except (MemoryError_, sqlite3.Error, OSError) as exc:
        log.warning("review: the office memory did not record the reversal of %r: %s", what, exc)
    return redirect("/admin?msg=reversed")


@router.post("/admin/users/add")
def admin_add_user(request: Request, auth: Auth = Depends(admin_page), form: dict = Depends(form_of)):
    try:
        state(request).users.add(form.get("username", "").strip(), form.get("role", ""), form.get("password", ""))
    except UserError:
        return redirect("/admin?msg=user-error")
    return redirect("/admin?msg=user-added")


@router.post("/admin/users/remove")
def admin_remove_user(request: Request, auth: Auth = Depends(admin_page), form: dict = Depends(form_of)):
    st = state(request)
    name = form.get("username", "")
    if name == auth.user.name:
        return redirect("/admin?msg=self")
    try:
        st.users.remove(name)
    except UserError:
        return redirect("/admin?msg=user-error")
    st.queue.release(name)
    return redirect("/admin?msg=user-removed")
