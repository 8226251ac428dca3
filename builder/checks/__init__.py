"""The self-inspection rules, one rule set for `showcase check` and `showcase build`: rules says
which problems are errors (and which a site may turn into warnings) and runs them on a document;
text, links, photos and sitewide are the rules; run gathers them for check; report is the HTML
report. Imports model, errors, i18n, yamlio, images.cache, gate.standing and the stages (config,
content, assemble, render) read-only; never build, write or cli."""
