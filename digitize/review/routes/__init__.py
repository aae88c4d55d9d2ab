"""The review page's routes, one router per part: sign-in, the queue, an item's images, admin.

Each route is a plain function that reaches the job through the dependencies of ``review.web``;
``ROUTERS`` is what ``review.app.create_app`` includes.
"""

from __future__ import annotations

from .admin import router as admin_router
from .images import router as image_router
from .queue import router as queue_router
from .signin import router as signin_router

ROUTERS = (signin_router, queue_router, image_router, admin_router)
