"""One-off helper to rebuild the legacy C extension on a developer's machine."""
from distutils.core import setup, Extension

setup(name="fastcrc", ext_modules=[Extension("fastcrc", ["fastcrc.c"])])
