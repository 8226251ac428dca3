"""showcase publish: put a built site on a target (a folder, a zip file, an SFTP or FTP(S) server,
S3-compatible storage), uploading only what changed, in an order that keeps the public site whole.
May import model, errors, i18n, config, write and store; never build or cli (the caller builds)."""
