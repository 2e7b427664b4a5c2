"""Bundles libq.so into the wheel: $LIBQ_SO, else the checkout's release build
(scripts/build-release.sh: linked against glibc 2.17's symbols). Without either the package is
built without it and finds the library at run time ($LIBQ_SO, then the system's search path).
A wheel whose library needs nothing newer than glibc 2.17 is tagged manylinux2014 (PyKX's
wheels' platform); otherwise it is for this kind of machine only (linux_x86_64)."""

import os
import pathlib
import re
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


def glibc_versions(so):
    """The glibc symbol versions the library needs, from objdump -T; None without objdump."""
    try:
        out = subprocess.run(["objdump", "-T", str(so)], capture_output=True, text=True,
                             check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return {tuple(int(p) for p in v.split(".")) for v in re.findall(r"GLIBC_([0-9.]+)", out)}


def manylinux2014(so):
    """Whether the library runs on glibc 2.17, as manylinux2014 promises."""
    versions = glibc_versions(so)
    return versions is not None and all(v <= (2, 17) for v in versions)


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
            so = library()
            if so is None:
                return python, abi, platform
            if platform == "linux_x86_64" and manylinux2014(so):
                platform = "manylinux_2_17_x86_64.manylinux2014_x86_64"
            return "py3", "none", platform

    cmdclass["bdist_wheel"] = PlatformWheel
except ImportError:
    pass

setup(cmdclass=cmdclass, distclass=BinaryDistribution)
