"""The format parsers: strictness, positions, and no recursion limits."""

from __future__ import annotations

import pytest

from deploylint.parsing import json as jsonparse
from deploylint.parsing import toml as tomlparse
from deploylint.parsing.shell import commands

from conftest import shared_or_skip


def test_json_records_each_value_position():
    text = '{\n  "builds": [\n    {"use": "@vercel/python@3.1.0", "config": {"runtime": "python3.9"}}\n  ]\n}'
    root = jsonparse.parse(text)
    runtime = root.get("builds").items[0].get("config").get("runtime")
    assert text[runtime.start : runtime.end] == '"python3.9"'
    assert runtime.pointer == "/builds/0/config/runtime"


@pytest.mark.parametrize("text", ['{"a": NaN}', '{"a": 1,}', "[1,]", '{"a": 1} // x', "{'a': 1}", '"\t"', "01", ""])
def test_json_rejects_what_json_parse_rejects(text):
    with pytest.raises(jsonparse.JSONError):
        jsonparse.parse(text)


def test_json_error_points_at_the_problem():
    with pytest.raises(jsonparse.JSONError) as error:
        jsonparse.parse('{\n  "a": 1,\n}')
    assert error.value.offset == 12  # the closing brace where a key was expected


def test_json_deep_nesting_does_not_recurse():
    depth = 200_000
    root = jsonparse.parse("[" * depth + "]" * depth)
    assert isinstance(root, jsonparse.JArray)
    with pytest.raises(jsonparse.JSONError):
        jsonparse.parse("[" * depth)


def test_json_duplicate_keys_last_wins_like_json_parse():
    assert jsonparse.parse('{"a": 1, "a": 2}').get("a").value == 2


def test_json_suite_y_accepted_n_rejected():
    suite = shared_or_skip("corpus", "suites", "json")
    wrong = []
    for path in sorted(suite.glob("*.json")):
        data = path.read_bytes()
        try:
            jsonparse.parse(data.decode("utf-8"))
            accepted = True
        except (UnicodeDecodeError, jsonparse.JSONError):
            accepted = False
        if path.name.startswith("y_") and not accepted or path.name.startswith("n_") and accepted:
            wrong.append(path.name)
    assert wrong == []


def test_toml_spans_of_arrays_and_tables():
    text = '[phases.setup]\nnixPkgs = ["python311", "pip"]  # note\n[[a]]\nb = 1\n[[a]]\nb = { c = "d" }\n'
    doc = tomlparse.parse(text)
    start, end = doc.spans[("phases", "setup", "nixPkgs", 1)]
    assert text[start:end] == '"pip"'
    start, end = doc.spans[("a", 1, "b", "c")]
    assert text[start:end] == '"d"'


def test_toml_string_content_offset_only_for_raw_literals():
    text = 'a = "pip install x"\nb = "pip\\tinstall"\n'
    doc = tomlparse.parse(text)
    assert tomlparse.string_content_offset(text, doc.spans[("a",)], "pip install x") == 5
    assert tomlparse.string_content_offset(text, doc.spans[("b",)], "pip\tinstall") is None


def test_toml_scanner_finds_every_value_of_the_valid_suite():
    suite = shared_or_skip("corpus", "suites", "toml", "valid")

    def leaves(value, path=()):
        if isinstance(value, dict):
            for key, item in value.items():
                yield from leaves(item, path + (key,))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from leaves(item, path + (index,))
        else:
            yield path

    missing = []
    for path in sorted(suite.rglob("*.toml")):
        try:
            doc = tomlparse.parse(path.read_bytes().decode("utf-8"))
        except (UnicodeDecodeError, tomlparse.TOMLDecodeError):
            continue
        missing += [(path.name, leaf) for leaf in leaves(doc.data) if leaf not in doc.spans]
    assert missing == []


def test_shell_words_keep_offsets_through_quotes_and_continuations():
    text = 'pip install \\\n  "numpy<2" && echo ok; x'
    parsed = commands(text)
    assert [[w.value for w in c] for c in parsed] == [["pip", "install", "numpy<2"], ["echo", "ok"], ["x"]]
    word = parsed[0][2]
    assert text[word.start : word.end] == '"numpy<2"'
