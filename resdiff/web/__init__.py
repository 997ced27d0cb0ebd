"""The browser front end: ``resdiff serve`` (a local web app) and ``resdiff site`` (static pages).

- ``pages``: each page as one library call, a view for its template and its JSON twin
  (what the command line prints with ``--format json``); no web framework here.
- ``links``: where pages live: server URLs (``/doc/A/RES/79/171``) or the relative file
  paths of the static site (``doc/A_RES_79_171.html``).
- ``assets``: the stylesheet and scripts every page links, served or copied locally.
- ``app``: the ASGI app (Starlette): routes, uploads, error pages; ``guard``: host names,
  body cap and security headers around it; ``cache``: rendered pages per state of the
  store; ``server``: the listening socket and uvicorn. Only ``app`` and ``server`` import
  the web stack, and only the serve command imports them.
- ``site``: the static export of every series, document, consecutive redline and blame
  view, with an index and a client-side search, rewritten only where it changed.
"""
