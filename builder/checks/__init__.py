"""`showcase check`: the self-inspection rules on top of what a build validates. run gathers them;
text, links, photos and sitewide are the rules; report is the HTML report. Imports model, errors,
i18n, yamlio and the stages (config, content, assemble, render) read-only; never build, write or cli."""
