"""Package mapping only; all metadata is in pyproject.toml.

The fixed layout keeps core/ and plugins/ at the top of the repository. They install as
``guildkit.core`` and ``guildkit.plugins`` so nothing as generic as ``core`` lands in site-packages.
"""

from setuptools import find_packages, setup

subpackages = find_packages(include=["core", "core.*", "plugins", "plugins.*"])
setup(
    packages=["guildkit", *(f"guildkit.{name}" for name in subpackages)],
    package_dir={"guildkit": "."},
)
