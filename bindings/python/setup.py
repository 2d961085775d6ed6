"""Build hook: bundle libqpgo.so into the qpgo package.

The shared library is taken from $QPGO_LIBRARY or from the repository's
build/ directory (run `make build` first); pip install --no-build-isolation
bindings/python then installs the package together with the library, and
qpgo/_lib.py finds it next to the package.
"""
import os
import pathlib
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = pathlib.Path(__file__).resolve().parent


class BuildWithLibrary(build_py):
    def run(self):
        super().run()
        src = os.environ.get("QPGO_LIBRARY") or str(HERE.parents[1] / "build" / "libqpgo.so")
        src = os.path.realpath(src)
        if not os.path.isfile(src):
            raise SystemExit("libqpgo.so not found at {} (run `make build` or set QPGO_LIBRARY)".format(src))
        dst = pathlib.Path(self.build_lib) / "qpgo" / "libqpgo.so"
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)


setup(cmdclass={"build_py": BuildWithLibrary})
