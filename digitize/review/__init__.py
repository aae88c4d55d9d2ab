"""The QA review web page over a job's correction queue (``digitize review DIR``).

``app`` builds the application (``create_app``); ``web`` holds what every route shares (state,
guards, renderer); ``routes`` the pages (sign-in, queue, images, admin); ``crops`` the page
images of an item; ``views`` what the pages show; ``auth`` sessions, CSRF and the login
throttle; ``server`` runs it under uvicorn with bounds on connections and requests.
"""
