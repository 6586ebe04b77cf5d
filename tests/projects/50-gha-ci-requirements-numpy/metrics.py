import numpy as np


def p95(values):
    return float(np.percentile(np.asarray(values, dtype=float), 95))
