"""Stage 4: photos -> renditions. process runs the stage (which photos, which workers); codec is
Pillow I/O, geometry pure arithmetic, cache the files in .cache/images/ named by digest.
Imports the model, errors and slugs; never a later stage."""
