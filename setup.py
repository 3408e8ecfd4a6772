"""Package mapping only; all metadata is in pyproject.toml.

The fixed layout keeps core/ and plugins/ at the top of the repository. They install as
``guildkit.core`` and ``guildkit.plugins`` so nothing as generic as ``core`` lands in site-packages.
"""

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

subpackages = find_packages(include=["core", "core.*", "plugins", "plugins.*"])


class BuildPy(build_py):
    """The root package is the repository folder: ship its __init__ only, not this file."""

    def find_package_modules(self, package: str, package_dir: str) -> list[tuple[str, str, str]]:
        modules = super().find_package_modules(package, package_dir)
        if package == "guildkit":
            modules = [m for m in modules if m[1] == "__init__"]
        return modules


setup(
    packages=["guildkit", *(f"guildkit.{name}" for name in subpackages)],
    package_dir={"guildkit": "."},
    # Migration folders hold aerich files, not packages; plugins ship their README;
    # `guildkit new-plugin` reads its project templates.
    package_data={"": ["migrations/*/*.py", "README.md"], "guildkit.core": ["scaffold_template/**/*.tmpl"]},
    exclude_package_data={"guildkit": ["README.md"]},
    cmdclass={"build_py": BuildPy},
)
