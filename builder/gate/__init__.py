"""The publishing gate: what may reach the public site. Where each case, model site and page
stands (draft, scheduled, awaiting review, changed since its review: standing.py), the rules whose
errors stop a build (rules.py), what the last build found, for the next (memo.py), and what a
plain build publishes (publishable.py). standing.py imports only model, content and
images.cache, so that assemble can use it; rules.py and publishable.py import the stages and
checks; memo.py only errors and store. Nothing here imports build, write or cli.

The functions other parts call:
    standing.current_digest(root, item, memo=None) -> str      the review digest of an item now
    standing.standing_of(item, site, today, digest) -> Standing
    standing.standings(root, site, content, today=None, memo=None) -> {doc.source: Standing}
    standing.included(item, standing, selection, today) -> bool   published by this selection
    publishable.publishable(root, today=None) -> (SiteModel, problems)   what a plain build publishes
    rules.content_problems(...), rules.link_problems(...)        the errors that stop a build
    memo.GateMemo.load(path) / .save()                           what they found, for the next build
"""
