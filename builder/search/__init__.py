"""Stage 5: the static Chinese search index. text says what a document holds, postings builds
the posting lists with numpy, codec is the compact encoding, index shards and names the files.
Imports the model and store; never a later stage."""
