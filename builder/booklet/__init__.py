"""The case collection in print (showcase booklet, showcase qr, the site's /booklet/ page).
groups picks and groups the published cases and qr makes the codes: both import only the model
(and segno), so the render stage uses them for /booklet/ and the case pages' print view.
photos makes 300 dpi print photos, html renders the theme's booklet template for printing,
browser drives a headless Chrome/Edge/Chromium, pdf prints and binds the PDF, docx writes the
Word file (wordbody turns a case's HTML into Word paragraphs), board the display-board files.
These import the model, errors, i18n, images and render; never build or cli."""

GROUP_BY = ("category", "action", "site")      # how the collection can group its cases (`--by`)
