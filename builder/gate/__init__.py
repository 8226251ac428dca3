"""The publishing gate: what may reach the public site. Where each case, model site and page
stands (draft, scheduled, awaiting review, changed since its review: standing.py), and the rules
whose errors stop a build (rules.py). Imports model, errors, config, content, images, checks;
imported by assemble (standings), build, editors and cli; never imports build or later stages.

The functions other parts call:
    standing.current_digest(root, item, memo=None) -> str      the review digest of an item now
    standing.standing_of(item, site, today, digest) -> Standing
    standing.standings(root, site, content, today=None, memo=None) -> {doc.source: Standing}
    standing.included(item, standing, selection, today) -> bool   published by this selection
    rules.gate_problems(...)                                     the errors that stop a build
"""
