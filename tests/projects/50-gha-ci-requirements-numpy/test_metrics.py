from metrics import p95


def test_p95():
    assert p95(range(101)) == 95.0
