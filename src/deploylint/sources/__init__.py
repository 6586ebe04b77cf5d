"""One reader per file kind. Each turns a file into facts with exact locations."""
