"""Text ranges that remove one item from a JSON or TOML list or object.

Removing `items[i]` also removes exactly one separating comma and the
whitespace that belonged to the item, so the rest keeps its layout:
`["a", "b"]` -> `["a"]`, and a multi-line list loses one line.
"""

from __future__ import annotations


def removal_ranges(text: str, spans: list[tuple[int, int]], index: int) -> list[tuple[int, int]]:
    """Ranges to delete for removing item `index` of a list whose items are `spans`.

    Spans are whole items (for an object member: from its key to its value's end).
    """
    start, end = spans[index]
    if index + 1 < len(spans):
        # Up to the next item: takes this item's comma and the following whitespace.
        return [(start, spans[index + 1][0])]
    after = _skip_blank(text, end)
    if after < len(text) and text[after] == ",":
        # A trailing comma after the last item goes with it.
        return [(start, after + 1)]
    if index > 0:
        previous_end = spans[index - 1][1]
        between = text[previous_end:start]
        if between.strip() == ",":
            return [(previous_end, end)]
        comma = text.find(",", previous_end, start)
        if comma != -1:
            # Something (a comment) sits between: drop only the comma and the item.
            return [(comma, comma + 1), (start, end)]
    return [(start, end)]


def _skip_blank(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position
