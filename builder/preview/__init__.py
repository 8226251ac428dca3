"""`showcase serve`: server (watch -> build -> reload, tornado), responder (request path -> file,
held while a build runs), errorpage, reload (the LiveReload protocol) and watch (polling). Imports
build, the stages, errors and i18n; never cli, and prints nothing: cli words the server's events."""
