"""`guildkit new-plugin`: the generated project installs like a real user's and passes its own tests.

The end-to-end test builds a fresh virtual environment (no system or parent site-packages), installs
guildkit from this checkout and the generated project through pip, so the plugin is found through
its ``guildkit.plugins`` entry point, then runs the project's own pytest there.
"""

import os
import subprocess
import sys
import time
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUILDKIT = [sys.executable, "-m", "guildkit.core.cli"]

#: What an author writes to add a command and its test to the generated `quotes` project.
AUTHOR_COMMAND = """
    @interactions.slash_command(name="quotes_count", description="How many notes you keep")
    async def count(self, ctx: SlashContext) -> None:
        kept = await service.count_notes(int(ctx.guild_id), int(ctx.author.id))
        await ctx.send(format.notes_kept(kept), ephemeral=True)
"""
AUTHOR_SERVICE = """

async def count_notes(guild_id: int, user_id: int) -> int:
    return await Note.filter(guild_id=guild_id, user_id=user_id).count()
"""
AUTHOR_FORMAT = """

def notes_kept(count: int) -> str:
    return f"You keep {count} note(s)."
"""
AUTHOR_TEST = """

async def test_a_member_counts_their_notes(gk):
    guild = await gk.guild(plugins=["quotes"])
    alice = await guild.member("alice")
    await alice.slash("quotes", text="one")
    reply = await alice.slash("quotes_count")
    assert reply.content == "You keep 1 note(s)."
"""


def new_plugin(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*GUILDKIT, "new-plugin", *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def run(command: list[str], cwd: Path, env: dict[str, str], timeout: float) -> str:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{output}"
    return output


def author_adds(path: Path, code: str) -> int:
    """Append ``code`` to a generated file; the lines an author typed (blank lines not counted)."""
    path.write_text(path.read_text() + code)
    return sum(1 for line in code.splitlines() if line.strip())


def test_a_generated_plugin_installs_and_passes_its_own_tests_on_both_databases(tmp_path: Path) -> None:
    started = time.monotonic()
    created = new_plugin("quotes", "--dir", str(tmp_path), cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    project = tmp_path / "guildkit-quotes"
    package = project / "guildkit_quotes"
    assert f"created {project}" in created.stdout
    assert f'Next:\n  cd {project}\n  pip install -e ".[test]"\n  pytest' in created.stdout
    assert not (project / "tests" / "conftest.py").exists()  # the entry point is what loads it
    for dialect in ("sqlite", "postgres"):
        (migration,) = (package / "migrations" / dialect).glob("0_*_init.py")
        assert 'CREATE TABLE "quotes_notes"' in migration.read_text()

    written = author_adds(package / "commands" / "quotes.py", AUTHOR_COMMAND)
    written += author_adds(package / "service.py", AUTHOR_SERVICE)
    written += author_adds(package / "commands" / "format.py", AUTHOR_FORMAT)
    written += author_adds(project / "tests" / "test_quotes.py", AUTHOR_TEST)
    assert written < 40

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    venv = tmp_path / "venv"
    # A venv of its own (no system site-packages); this environment's pip installs into it, so
    # the venv needs no pip of its own, and setuptools there lets builds skip build isolation.
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path, env, 120)
    # The same versions as this environment's, so pip takes them from its cache.
    frozen = run([sys.executable, "-m", "pip", "freeze", "--exclude-editable"], tmp_path, env, 60)
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("\n".join(line for line in frozen.splitlines() if not line.startswith("guildkit")))
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python")]
    install = [*pip, "install", "--quiet", "--no-compile", "--no-build-isolation", "-c", str(constraints)]
    run([*install, "setuptools>=69"], tmp_path, env, 120)
    # guildkit from this checkout, then the project as its README says (editable, with [test]).
    run([*install, "-e", f"{ROOT}[test]"], tmp_path, env, 300)
    run([*install, "-e", f"{project}[test]"], tmp_path, env, 120)

    output = run([str(venv / "bin" / "pytest"), "-v", "-p", "no:cacheprovider"], project, env, 180)
    if os.environ.get("GUILDKIT_TEST_POSTGRES_URL"):
        assert "6 passed" in output and "skipped" not in output, output
        assert "test_a_member_counts_their_notes[postgres] PASSED" in output, output
    else:
        assert "3 passed, 3 skipped" in output, output
    for test in ("test_a_member_saves_a_note", "test_the_note_limit_is_a_server_setting"):
        assert f"{test}[sqlite] PASSED" in output, output

    # The generated migrations are exactly the models, by guildkit's own makemigrations.
    made = run([str(venv / "bin" / "guildkit"), "makemigrations", "quotes"], tmp_path, env, 60)
    assert made.split() == ["sqlite:", "no", "changes", "postgres:", "no", "changes"], made
    # What `pip install guildkit-quotes` would get: the entry point and both migration folders.
    wheels = tmp_path / "wheels"
    run(
        [*pip, "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(project)],
        tmp_path,
        env,
        120,
    )
    (wheel,) = wheels.glob("guildkit_quotes-0.1.0-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        entry_points = archive.read("guildkit_quotes-0.1.0.dist-info/entry_points.txt").decode()
    assert "quotes = guildkit_quotes:plugin" in entry_points
    for dialect in ("sqlite", "postgres"):
        assert any(n.startswith(f"guildkit_quotes/migrations/{dialect}/0_") for n in names), names
    assert not any(n.startswith("tests/") for n in names), names
    print(f"new-plugin end to end: {time.monotonic() - started:.0f}s, author wrote {written} lines")


def test_the_generated_pytest_settings_are_guildkits(tmp_path: Path) -> None:
    assert new_plugin("quotes", cwd=tmp_path).returncode == 0
    generated = tomllib.loads((tmp_path / "guildkit-quotes" / "pyproject.toml").read_text())
    ours_project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    ours = ours_project["tool"]["pytest"]["ini_options"]
    theirs = generated["tool"]["pytest"]["ini_options"]
    for key in ("asyncio_mode", "asyncio_default_fixture_loop_scope", "asyncio_default_test_loop_scope"):
        assert theirs[key] == ours[key]
    assert theirs["filterwarnings"] == ours["filterwarnings"]
    assert generated["project"]["entry-points"]["guildkit.plugins"] == {"quotes": "guildkit_quotes:plugin"}
    assert (
        generated["project"]["optional-dependencies"]["test"]
        == ours_project["project"]["optional-dependencies"]["test"]
    )


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("Quotes", "must be a lowercase identifier"),
        ("my-plugin", "must be a lowercase identifier"),
        ("2fast", "must be a lowercase identifier"),
        ("q" * 33, "is longer than 32 characters"),
        ("class", "is taken by Python or by guildkit itself"),
        ("leveling", "is taken by Python or by guildkit itself"),
        ("core", "is taken by Python or by guildkit itself"),
    ],
)
def test_a_bad_name_is_refused_in_one_line(tmp_path: Path, name: str, why: str) -> None:
    result = new_plugin(name, cwd=tmp_path)
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: plugin name {name!r} {why}"), line
    assert list(tmp_path.iterdir()) == []


def test_a_non_empty_folder_is_never_overwritten(tmp_path: Path) -> None:
    project = tmp_path / "guildkit-quotes"
    project.mkdir()
    (project / "notes.txt").write_text("mine")
    result = new_plugin("quotes", "--dir", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == f"error: {project} already exists and is not empty; remove it or pass another --dir"
    assert [p.name for p in project.iterdir()] == ["notes.txt"] and (project / "notes.txt").read_text() == "mine"


def test_an_empty_folder_is_filled(tmp_path: Path) -> None:
    (tmp_path / "guildkit-quotes").mkdir()
    assert new_plugin("quotes", cwd=tmp_path).returncode == 0
    assert (tmp_path / "guildkit-quotes" / "guildkit_quotes" / "__init__.py").is_file()
