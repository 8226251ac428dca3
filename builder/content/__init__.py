"""Stage 2: content/**.md -> Case / ModelSite / Page (load), with the Markdown -> HTML of their
bodies (markdown), sanitised to an allow-list of HTML (sanitize), and their parsed front matter
(frontmatter_cache) cached by digest; a rebuild reads those caches only when it converts more
than a few documents (deferred).
Imports the model, errors, yamlio, slugs and store; never a later stage."""
