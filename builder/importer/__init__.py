"""Word import: a .docx becomes a draft case (word reads the file, layout finds its title,
captions, source and date lines, guess fills the front matter, draft writes the folder, convert
turns .doc/.wps into .docx with LibreOffice), and from_html turns untrusted HTML into clean
Markdown, for a document and for text pasted into the editing desk (html_to_markdown).
Imports the model, errors, i18n, yamlio, slugs, the content stage and editors.newcase (slugs and
model sites, as `showcase new` makes them); never build, preview or the CLI."""
