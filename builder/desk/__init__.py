"""The editing desk (编辑台) at /_edit/ of `showcase serve`: the lists (listing), the form model
(form), problems beside their fields (check), photos (photos), the recycle folder (recycle),
tokens and the access code (guard), the HTTP handlers (handlers, desk) and the page with its
scripts (static/). Imports the stages, build, editors and yamlio; preview mounts it through
cli, never imports it; prints nothing."""
