"""Bundles libq.so into the wheel: $LIBQ_SO, else the checkout's release build
(cargo build --release). Without either the package is built without it and finds the library
at run time ($LIBQ_SO, then the system's search path)."""

import os
import pathlib
import shutil
import subprocess

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py

HERE = pathlib.Path(__file__).resolve().parent


def library():
    for candidate in (os.environ.get("LIBQ_SO"), HERE.parent / "target" / "release" / "libq.so"):
        if candidate and pathlib.Path(candidate).is_file():
            return pathlib.Path(candidate)
    return None


class BuildWithLibrary(build_py):
    def run(self):
        super().run()
        so = library()
        if so is not None:
            target = pathlib.Path(self.build_lib) / "libq" / "_lib"
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(so, target / "libq.so")
            # Symbols are for debugging the library, not for using it: 24 MB -> a few.
            try:
                subprocess.run(["strip", "--strip-unneeded", str(target / "libq.so")], check=False)
            except OSError:
                pass


class BinaryDistribution(Distribution):
    """A wheel that carries libq.so is for this platform only."""

    def has_ext_modules(self):
        return library() is not None


cmdclass = {"build_py": BuildWithLibrary}
try:
    from wheel.bdist_wheel import bdist_wheel

    class PlatformWheel(bdist_wheel):
        """Pure Python for any CPython 3, with a library for this platform: py3-none-PLATFORM."""

        def get_tag(self):
            python, abi, platform = super().get_tag()
            return ("py3", "none", platform) if library() is not None else (python, abi, platform)

    cmdclass["bdist_wheel"] = PlatformWheel
except ImportError:
    pass

setup(cmdclass=cmdclass, distclass=BinaryDistribution)
