"""Loads the 2019 plugin modules for the offline report; run by hand on the old laptop."""
import imp
import sys


def load(path):
    return imp.load_source("plugin", path)


if __name__ == "__main__":
    print(load(sys.argv[1]).NAME)
