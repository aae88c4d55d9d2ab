"""digitize: scanned patent publications to WIPO ST.36/ST.96 full text and ST.37 authority files.

The library's face is ``digitize.api`` (its names are importable from here): load a profile, read
and recognise pages, finish the document in memory, render it; ``process_file`` does it all into a
document folder. ``digitize run`` (``digitize.cli``) is the batch around the same steps.
"""

__version__ = "0.1.0"

from .api import (  # noqa: E402  (after __version__, which the emitters read)
    Decisions,
    Document,
    OcrPage,
    PageImage,
    document_text,
    finish,
    load_profile,
    process_file,
    read_pages,
    recognise,
    render,
    render_page,
)

__all__ = ["Decisions", "Document", "OcrPage", "PageImage", "__version__", "document_text", "finish", "load_profile",
           "process_file", "read_pages", "recognise", "render", "render_page"]
