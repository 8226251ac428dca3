"""Stage 5: the static Chinese search index. text says what a document holds, postings builds the
posting lists with numpy, codec is the compact encoding, index shards and names the files, layouts
caches what documents lay out to, splice and incremental bring the last index up to date.
Imports the model and store; never a later stage."""
