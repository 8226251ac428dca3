"""YAML in and out for files people edit: parsing with the line of every key (source), typed
reading of fields with problems that name the line (fields), and writing single values as text
that leaves the rest of a file alone (text). Imports only builder.errors and builder.i18n."""
