"""``guildkit playground``: run as a person or a program runs it, a subprocess fed through a pipe."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from guildkit.core.playground import ActionError, SlashCall, SlashParser, parse_duration, split_line

GUILDKIT = [sys.executable, "-m", "guildkit.core.cli"]
TOY_PLUGINS = Path(__file__).parents[1] / "toy_plugins"

#: A plugin with a select menu, a modal, an embed with a file, and a listener that answers and DMs.
TOYBOX = """
import io

import interactions
from guildkit.core.plugin import Plugin
from interactions import ComponentContext, ModalContext, OptionType, SlashContext, StringSelectMenu, slash_option
from interactions.api.events import MessageCreate


class Toybox(interactions.Extension):
    @interactions.slash_command(name="pick", description="A select menu")
    async def pick(self, ctx: SlashContext) -> None:
        menu = StringSelectMenu("red", "green", "blue", custom_id="toy:colour", placeholder="Colour")
        await ctx.send("pick a colour", components=menu)

    @interactions.component_callback("toy:colour")
    async def picked(self, ctx: ComponentContext) -> None:
        await ctx.edit_origin(content=f"you picked {ctx.values[0]}", components=[])

    @interactions.slash_command(name="form", description="A modal")
    async def form(self, ctx: SlashContext) -> None:
        modal = interactions.Modal(
            interactions.ShortText(label="Title", custom_id="title"),
            interactions.ParagraphText(label="Body", custom_id="body", required=False),
            title="Feedback",
            custom_id="toy:form",
        )
        await ctx.send_modal(modal)

    @interactions.modal_callback("toy:form")
    async def submitted(self, ctx: ModalContext, **fields: str) -> None:
        await ctx.send(f"thanks for {ctx.responses['title']!r} ({len(ctx.responses['body'])} chars)")

    @interactions.slash_command(name="card", description="An embed and a file")
    @slash_option("count", "How many", OptionType.INTEGER, required=True)
    @slash_option("loud", "Shout", OptionType.BOOLEAN)
    @slash_option("where", "A channel", OptionType.CHANNEL)
    @slash_option("who", "A member", OptionType.USER)
    async def card(self, ctx: SlashContext, count: int, loud: bool = False, where=None, who=None) -> None:
        embed = interactions.Embed(title="Card", description=f"count={count} loud={loud}")
        embed.add_field("Where", where.mention if where else "nowhere")
        embed.add_field("Who", who.mention if who else "nobody")
        embed.set_footer("the footer")
        await ctx.send(embeds=embed, file=interactions.File(io.BytesIO(b"a,b\\n1,2\\n"), file_name="data.csv"))

    @interactions.listen(MessageCreate)
    async def on_message(self, event: MessageCreate) -> None:
        message = event.message
        if message.author.bot:
            return
        if message.content == "ping":
            await message.channel.send(f"pong {message.author.mention}")
        elif message.content == "dm me":
            await message.author.send("a secret for you")


plugin = Plugin(
    name="toybox",
    version="0.1.0",
    description="Playground test toys",
    enabled_by_default=True,
    intents=("MESSAGE_CONTENT",),
    extensions=(Toybox,),
)
"""


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "GUILDKIT_DATABASE_URL", "COLUMNS")}
    inherited = [env["PYTHONPATH"]] if env.get("PYTHONPATH") else []
    env["PYTHONPATH"] = os.pathsep.join([str(TOY_PLUGINS), str(tmp_path), *inherited])
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(extra)
    return env


def playground(tmp_path: Path, script: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*GUILDKIT, "playground", *args],
        input=script,
        cwd=tmp_path,
        env=environment(tmp_path, **env),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def assert_clean(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "ERROR" not in result.stderr, result.stderr
    assert "\x1b[" not in result.stdout  # no colour codes when stdout is a pipe


def answer_to(stdout: str, line: str) -> str:
    """What the playground printed after echoing ``line`` (up to the next echoed line)."""
    echoed = re.split(r"^\w+ #[\w-]+ > ", stdout, flags=re.M)
    for block in echoed:
        first, _, rest = block.partition("\n")
        if first == line:
            return rest
    raise AssertionError(f"{line!r} was not run; output:\n{stdout}")


# ---------------------------------------------------------------------- through the pipe


def test_core_commands_as_admin_and_member(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "/plugins list",
            "/timezone zone:Europe/Berlin",
            "/timezone",
            "hello everyone",
            "/nope",
            ":as bob",
            "/plugins enable greeter",
            ":help",
            ":members",
            ":commands",
        ]
    )
    result = playground(tmp_path, script + "\n")
    assert_clean(result)
    out = result.stdout
    banner = out.splitlines()[0]
    assert banner.startswith("guildkit playground: ") and "Database: " in banner and "Plugins: " in banner
    assert ":help" in out.splitlines()[1]

    plugins = answer_to(out, "/plugins list")
    assert "GuildkitBot (only you can see this):" in plugins and "Plugins" in plugins and "╭" in plugins
    assert "Europe/Berlin" in answer_to(out, "/timezone zone:Europe/Berlin")
    assert "Your timezone is Europe/Berlin" in answer_to(out, "/timezone")
    assert answer_to(out, "hello everyone") == ""  # accepted; the core does not answer messages

    unknown = answer_to(out, "/nope")
    assert unknown.startswith("✗ there is no /nope here. Commands here: /config, /permissions, /plugins, ")
    assert "/timezone" in unknown
    assert unknown.count("\n") == 1  # one friendly line

    assert "you are now bob" in answer_to(out, ":as bob")
    refused = answer_to(out, "/plugins enable greeter")
    assert refused.startswith("✗ bob cannot use /plugins: it needs the Manage Server permission")
    assert ":as alice" in refused and refused.count("\n") == 1

    help_text = answer_to(out, ":help")
    for command in (":as", ":channel", ":click", ":select", ":modal", ":dms", ":messages", ":commands", ":quit"):
        assert command in help_text
    members = answer_to(out, ":members")
    assert "alice — owner, Admin" in members and "bob (you)" in members and "carol" in members
    commands = answer_to(out, ":commands")
    assert "/timezone [zone:<text>]" in commands
    assert "/plugins enable name:<text>" in commands and "bob cannot use it" in commands

    database = Path(re.search(r"Database: (\S+) \(temporary\)", banner).group(1))
    assert database.name == "playground.db" and not database.parent.exists()  # removed at exit


def test_plugin_from_the_command_line_with_a_button(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "/greet",
            "/plugins enable greeter",
            "/greet",
            ":click Wave",
            ":as bob",
            ":click 1",
            "/greet @carol",
            ":channel random",
            ":click 1",
            ":as alice",
            '/announce "party in the lounge" 5',
            ":wait 2m",
            ":wait 4m",
        ]
    )
    result = playground(tmp_path, script + "\n", "--plugin", "gk_toy_greeter:plugin")
    assert_clean(result)
    out = result.stdout
    assert "greeter (off)" in out.splitlines()[0].partition("Plugins: ")[2]
    assert "✗ there is no /greet here" in answer_to(out, "/greet")  # off by default
    assert "greeter is now enabled in this server." in answer_to(out, "/plugins enable greeter")
    greeted = out.split("alice #general > /greet\n")[2]
    assert greeted.startswith("GuildkitBot: Hello, alice! (greeting #1)\n  [1 Wave]\n")
    assert answer_to(out, ":click Wave").strip() == "GuildkitBot: 👋 from alice"
    assert answer_to(out, ":click 1").strip() == "GuildkitBot: 👋 from bob"  # the same button, as bob
    assert "Hello, carol!" in answer_to(out, "/greet @carol")
    assert "bob #random > :click 1\nGuildkitBot: 👋 from bob" in out  # the answer stays clickable
    # Scheduled work comes due when time is moved on, and shows up on its own.
    assert "I will post that in 5 minutes." in answer_to(out, '/announce "party in the lounge" 5')
    assert "party" not in answer_to(out, ":wait 2m")
    assert "GuildkitBot (in #random): party in the lounge" in answer_to(out, ":wait 4m")


def test_selects_modals_embeds_files_listeners_and_dms(tmp_path: Path) -> None:
    (tmp_path / "gk_playground_toybox.py").write_text(TOYBOX, encoding="utf-8")
    script = "\n".join(
        [
            "/pick",
            ":select 1 Green",
            "/form",
            ':modal title="Great bot" body=really',
            "/card 3 loud:yes where:#random who:@bob",
            "ping",
            "dm me",
            ":dms",
            ":as bob",
            ":dms",
            "/card count:abc",
            "/card 1 2 3 4 5 6",
            '/card "3',
            ":click 1",
            ":select 1 red",
            ":modal title=x",
            ":teleport",
            ":quit",
            "/pick",
        ]
    )
    result = playground(tmp_path, script + "\n", "--plugin", "gk_playground_toybox:plugin")
    assert_clean(result)
    out = result.stdout

    assert (
        answer_to(out, "/pick")
        == "GuildkitBot: pick a colour\n  <select 1> Colour (pick 1)\n    • red\n    • green\n    • blue\n"
    )
    assert answer_to(out, ":select 1 Green") == "GuildkitBot (updated the message): you picked green\n"
    form = answer_to(out, "/form")
    assert "opened a form: Feedback" in form and "title  Title  (required)" in form
    assert answer_to(out, ':modal title="Great bot" body=really') == "GuildkitBot: thanks for 'Great bot' (6 chars)\n"

    card = answer_to(out, "/card 3 loud:yes where:#random who:@bob")
    for text in ("Card", "count=3 loud=True", "Where: #random", "Who: @bob", "the footer", "attachment: data.csv (8 B"):
        assert text in card
    assert answer_to(out, "ping") == "GuildkitBot (in #general): pong @alice\n"  # a listener's own message
    assert answer_to(out, "dm me") == "GuildkitBot (DM): a secret for you\n"
    assert answer_to(out, ":dms") == "GuildkitBot (DM): a secret for you\n"
    assert "the bot has sent bob no direct messages" in out

    assert answer_to(out, "/card count:abc") == "✗ /card: count wants a whole number, not 'abc'\n"
    assert answer_to(out, "/card 1 2 3 4 5 6").startswith("✗ /card does not take '5 6'; it takes count:<integer>")
    assert "a quote is not closed" in answer_to(out, '/card "3')
    assert "✗ there is no button to use" in answer_to(out, ":click 1")
    assert "✗ menu 'Colour' is no longer on its message (the bot changed it)" in answer_to(out, ":select 1 red")
    assert "✗ no form is open" in answer_to(out, ":modal title=x")
    assert "✗ there is no :teleport; type :help" in answer_to(out, ":teleport")
    assert out.count("pick a colour") == 1  # nothing runs after :quit


def test_database_option_bot_toml_and_environment(tmp_path: Path) -> None:
    (tmp_path / "bot.toml").write_text(
        '[plugins.greeter]\nenabled_by_default = true\n[plugins.greeter.settings]\ngreeting = "Howdy"\n'
    )
    result = playground(
        tmp_path,
        "/greet\n",
        "--plugin",
        "gk_toy_greeter:plugin",
        "--database",
        "sqlite://mine.db",
        GUILDKIT_DATABASE_URL="postgres://nobody@127.0.0.1:9/not-the-playground",
    )
    assert_clean(result)
    assert f"Database: {tmp_path.resolve() / 'mine.db'}." in result.stdout
    assert "GuildkitBot: Howdy, alice! (greeting #1)" in result.stdout  # bot.toml's default and setting
    assert (tmp_path / "mine.db").exists()


def test_bad_plugin_option_is_one_clean_error(tmp_path: Path) -> None:
    result = playground(tmp_path, "", "--plugin", "no_such_module:plugin")
    assert result.returncode == 1
    assert "--plugin 'no_such_module:plugin': cannot import no_such_module" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_shuts_down_cleanly(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [*GUILDKIT, "playground"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=environment(tmp_path),
        text=True,
        encoding="utf-8",
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        process.stdin.write("/timezone zone:UTC\n")
        process.stdin.flush()
        deadline = time.monotonic() + 30
        seen = ""
        while "Your timezone is now UTC" not in seen and time.monotonic() < deadline:
            seen += process.stdout.readline()  # flushed after each command, while stdin stays open
        assert "Your timezone is now UTC" in seen
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Traceback" not in seen + out + err


def test_help_option(tmp_path: Path) -> None:
    result = subprocess.run(
        [*GUILDKIT, "playground", "--help"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and "--plugin" in result.stdout and "--database" in result.stdout


# ---------------------------------------------------------------------- reading command lines

COMMANDS = [
    {
        "name": "plugins",
        "type": 1,
        "options": [
            {"type": 1, "name": "enable", "options": [{"type": 3, "name": "name", "required": True}]},
            {"type": 1, "name": "list"},
        ],
    },
    {
        "name": "xp",
        "type": 1,
        "options": [
            {
                "type": 1,
                "name": "add",
                "options": [
                    {"type": 6, "name": "member", "required": True},
                    {"type": 4, "name": "amount", "required": True},
                    {"type": 7, "name": "where"},
                ],
            }
        ],
    },
    {
        "name": "remind",
        "type": 1,
        "options": [{"type": 3, "name": "when", "required": True}, {"type": 3, "name": "text", "required": True}],
    },
    {
        "name": "flip",
        "type": 1,
        "options": [
            {"type": 5, "name": "loud"},
            {"type": 3, "name": "side", "choices": [{"name": "Heads", "value": "h"}, {"name": "Tails", "value": "t"}]},
            {"type": 10, "name": "bet"},
        ],
    },
    {"name": "nice", "type": 2},  # a context-menu command: not typed at the prompt
]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/plugins enable economy", SlashCall("plugins enable", {"name": "economy"})),
        ("/plugins enable name:economy", SlashCall("plugins enable", {"name": "economy"})),
        ("/plugins enable name=economy", SlashCall("plugins enable", {"name": "economy"})),
        ("/plugins enable name: economy", SlashCall("plugins enable", {"name": "economy"})),
        ("/Plugins ENABLE Economy", SlashCall("plugins enable", {"name": "Economy"})),
        ("/plugins list", SlashCall("plugins list", {})),
        ("/xp add @bob 5 #random", SlashCall("xp add", {"member": "bob", "amount": 5, "where": "random"})),
        ("/xp add amount:5 member:bob", SlashCall("xp add", {"member": "bob", "amount": 5})),
        ('/remind 5m "buy milk"', SlashCall("remind", {"when": "5m", "text": "buy milk"})),
        ("/remind 5m buy milk", SlashCall("remind", {"when": "5m", "text": "buy milk"})),
        ('/remind text:"it\'s late" when:now', SlashCall("remind", {"when": "now", "text": "it's late"})),
        ("/remind now it's late", SlashCall("remind", {"when": "now", "text": "it's late"})),
        ("/flip loud:yes side:tails bet:2.5", SlashCall("flip", {"loud": True, "side": "t", "bet": 2.5})),
        ("/flip off h", SlashCall("flip", {"loud": False, "side": "h"})),
        ("/flip", SlashCall("flip", {})),
    ],
)
def test_slash_lines(line: str, expected: SlashCall) -> None:
    assert SlashParser(COMMANDS).parse(line) == expected


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/nope", "there is no /nope here. Commands here: /flip, /plugins, /remind, /xp."),
        ("/nice", "there is no /nice here"),
        ("/", "type a command after the slash"),
        ("/plugins", "/plugins needs a subcommand: enable, list"),
        ("/plugins wipe", "/plugins needs a subcommand: enable, list; 'wipe' is not one of them"),
        ("/plugins enable", "/plugins enable needs name: /plugins enable name:<text>"),
        ("/plugins list now", "/plugins list does not take 'now'; it takes no options"),
        ("/xp add bob five", "/xp add: amount wants a whole number, not 'five'"),
        ("/xp add bob 1 #general extra", "/xp add does not take 'extra'"),
        ("/flip side:edge", "/flip: side must be one of h, t (got 'edge')"),
        ("/flip loud:maybe", "/flip: loud wants true or false, not 'maybe'"),
        ("/flip bet:lots", "/flip: bet wants a number, not 'lots'"),
        ("/flip loud:yes loud:no", "/flip: option 'loud' is given twice"),
        ('/remind "5m', "a quote is not closed"),
    ],
)
def test_slash_line_mistakes(line: str, message: str) -> None:
    with pytest.raises(ActionError) as caught:
        SlashParser(COMMANDS).parse(line)
    assert message in str(caught.value)


def test_guild_command_wins_over_a_global_one_of_the_same_name() -> None:
    guild = {"name": "echo", "type": 1, "options": [{"type": 3, "name": "guild_text", "required": True}]}
    global_ = {"name": "echo", "type": 1, "options": [{"type": 3, "name": "text", "required": True}]}
    assert SlashParser([guild, global_]).parse("/echo hi") == SlashCall("echo", {"guild_text": "hi"})


def test_entity_options_go_through_the_lookup() -> None:
    seen: list[tuple[int, str]] = []

    def lookup(kind: int, text: str) -> str:
        seen.append((kind, text))
        return f"resolved:{text}"

    call = SlashParser(COMMANDS, lookup).parse("/xp add @bob 3 where:#random")
    assert call.options == {"member": "resolved:@bob", "amount": 3, "where": "resolved:#random"}
    assert seen == [(6, "@bob"), (7, "#random")]


def test_split_line_keeps_apostrophes_and_quotes() -> None:
    assert split_line("say it's fine") == ["say", "it's", "fine"]
    assert split_line("a 'b c' \"d e\"") == ["a", "b c", "d e"]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90", 90),
        ("90s", 90),
        ("10m", 600),
        ("2h", 7200),
        ("1d", 86400),
        ("1h30m", 5400),
        ("1.5 h", 5400),
        ("10min", 600),
        ("2 hours", 7200),
    ],
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["soon", "5 parsecs", "m5", ""])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ActionError, match="is not a duration"):
        parse_duration(text)


def test_the_environment_database_is_never_used_by_the_playground(tmp_path: Path) -> None:
    real_bot = tmp_path / "real-bot.db"
    result = subprocess.run(
        [sys.executable, "-m", "guildkit.core.cli", "playground"],
        input="/timezone\n",
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "GUILDKIT_DATABASE_URL": f"sqlite://{real_bot}"},
    )
    assert result.returncode == 0, result.stderr
    assert "Your timezone is" in result.stdout
    assert not real_bot.exists()


def test_music_plays_generated_tracks_from_an_emulated_node(tmp_path: Path) -> None:
    script = "\n".join(["/plugins enable music", "/play query:lofi", ":wait 30s", "/nowplaying"])
    result = playground(tmp_path, script + "\n")
    assert_clean(result)
    played = answer_to(result.stdout, "/play query:lofi")
    assert "▶️ Playing Lofi 1." in played and "🎶 Now playing Lofi 1 by Artist Lofi" in played
    assert "0:30 / " in answer_to(result.stdout, "/nowplaying")
