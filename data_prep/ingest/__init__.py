"""Read: files, folders, zips, tables and HTML into raw articles, with the limits that guard against hostile input."""
