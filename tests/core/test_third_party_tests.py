"""The gk test API works in a third-party plugin's own project, with no guildkit test code copied."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

PLUGIN = """
import interactions
from interactions import OptionType, SlashContext, slash_option

from guildkit.core.plugin import Plugin


class Hello(interactions.Extension):
    @interactions.slash_command(name="hello", description="Say hello")
    @slash_option("name", "Who", opt_type=OptionType.STRING, required=True)
    async def hello(self, ctx: SlashContext, name: str) -> None:
        await ctx.send(f"Hello {name}, from {ctx.guild.name}")


plugin = Plugin(name="hello", version="0.1.0", description="Says hello", extensions=(Hello,))
"""

CONFTEST = """
import pytest
from hello_plugin import plugin


@pytest.fixture
def gk_plugins():
    return [plugin]
"""

TEST = """
async def test_hello(gk):
    guild = await gk.guild("Cafe", plugins=["hello"])
    bob = await guild.member("bob")
    reply = await bob.slash("hello", name="world")
    assert reply.content == "Hello world, from Cafe"


async def test_hello_is_off_by_default(gk):
    guild = await gk.guild("Quiet")
    assert "hello" not in {c["name"] for c in gk.emulator.commands(guild)}
"""


def test_a_plugin_project_tests_itself_with_the_gk_fixture(tmp_path: Path) -> None:
    project = tmp_path / "hello-plugin"
    (project / "hello_plugin").mkdir(parents=True)
    (project / "tests").mkdir()
    (project / "hello_plugin" / "__init__.py").write_text(textwrap.dedent(PLUGIN))
    (project / "tests" / "conftest.py").write_text(textwrap.dedent(CONFTEST))
    (project / "tests" / "test_hello.py").write_text(textwrap.dedent(TEST))
    (project / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n")
    env = {**os.environ, "PYTHONPATH": str(project)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    expected = "4 passed" if os.environ.get("GUILDKIT_TEST_POSTGRES_URL") else "2 passed, 2 skipped"
    assert expected in output, output
