"""The editors' commands that write into a site: init (scaffold), new case/site (newcase, with
the terminal conversation in prompts), review, and status (reads only). Imports the stages and
yamlio; never build, preview or the CLI."""
