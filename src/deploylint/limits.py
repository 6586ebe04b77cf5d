"""How much deploylint reads: limits every reader and the CLI's fast path share."""

# Files beyond this size are not read: no deployment file is legitimately this
# large, and reading one must not cost the hook its speed or memory.
MAX_FILE_BYTES = 2 * 1024 * 1024
# Python sources may be large (generated code); they are read and pre-filtered
# up to this size, and parsed with CPython's `ast` up to MAX_PARSED_PYTHON_BYTES.
MAX_PYTHON_BYTES = 64 * 1024 * 1024
MAX_PARSED_PYTHON_BYTES = 8 * 1024 * 1024
