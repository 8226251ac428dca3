"""YAML in and out for files people edit: parsing with the line of every key (source), typed
reading of fields with problems that name the line (fields), single values as text (text), and
front matter edited value by value, every other byte kept (edit). Imports only builder.errors
and builder.i18n."""
