"""The editors' commands that write into a site: init (scaffold, with the starter/ files), new
case/site (newcase with the templates/ files; its terminal conversation in prompts), review, and
status (reads only). Imports the stages, yamlio and i18n; never build, preview or the CLI."""
