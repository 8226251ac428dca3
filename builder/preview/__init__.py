"""`showcase serve`: server (watch -> build -> reload, tornado), responder (request path ->
file, held while a build runs), errorpage, reload (the LiveReload protocol) and watch (polling).
Imports build and the stages; never the CLI."""
