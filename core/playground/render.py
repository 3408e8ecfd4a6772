"""Showing what the bot did in the terminal: messages, embeds, buttons, selects and forms, via rich."""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.text import Text

from guildkit.core import clock

BUTTON_STYLES = {1: "bold blue", 2: "bold", 3: "bold green", 4: "bold red", 5: "underline"}
SELECT_KINDS = {3: "options", 5: "member names", 6: "role names", 7: "member or role names", 8: "channel names"}


class MessageOnly:
    """Stands in for an interaction so a driver Reply can read, click and select on any message."""

    type = 0
    response_type = None
    original_message_id = None
    source_message_id = None
    modal = None
    choices = None

    def __init__(self, channel_id: int) -> None:
        self.channel_id = channel_id
        self.followup_ids: list[int] = []


@dataclass
class Control:
    """A button or select shown to the person, with the message it is on."""

    reply: Any
    component: dict[str, Any]

    @property
    def label(self) -> str:
        c = self.component
        return str(c.get("label") or c.get("placeholder") or c.get("custom_id") or "?")

    @property
    def target(self) -> str:
        return str(self.component.get("custom_id") or self.label)


class Scene(Protocol):
    """What the renderer reads of the playground: the emulator, and who is acting where."""

    emulator: Any
    guild: Any
    member: Any
    channel: str


class Renderer:
    """Prints what the bot said, numbering the buttons and selects it shows so ``:click N`` can find them.

    One action's output is a batch: the controls it showed replace the previous numbering.
    """

    def __init__(self, console: Console, scene: Scene) -> None:
        self.console = console
        self.scene = scene
        self.seen: set[int] = set()
        self.buttons: list[Control] = []
        self.selects: list[Control] = []
        self._shown_buttons: list[Control] = []
        self._shown_selects: list[Control] = []
        self.open_form: Any = None  # the reply whose modal (form) waits to be filled in

    def error(self, message: str) -> None:
        self.console.print(Text.assemble(("✗ ", "bold red"), (message, "red")), soft_wrap=True)

    def note(self, message: str) -> None:
        self.console.print(Text(message, style="dim"), soft_wrap=True)

    def show_reply(self, reply: Any) -> None:
        if reply.modal is not None:
            self.open_form = reply
            self.show_modal(reply)
            return
        message = reply.message
        shown = False
        if message is not None and not message.deleted:
            updated = reply.type in (6, 7)
            self.show_message(message, header="updated the message" if updated else None, reply=reply)
            shown = True
        elif message is not None and message.deleted:
            self.note("(the bot deleted its answer)")
            shown = True
        for followup in reply.followups:
            msg = followup.message
            if msg is None or msg.deleted or msg.id in self.seen or (message is not None and msg.id == message.id):
                continue
            self.show_message(msg, header="follow-up", reply=followup)
            shown = True
        if not shown:
            self.note("(the bot acknowledged without answering)")

    def show_news(self) -> None:
        """Bot messages nobody has seen yet: in the current channel and in the member's DMs."""
        if self.scene.guild is None:
            return
        world = self.scene.emulator.world
        bot_id = self.scene.emulator.bot_user_id
        fresh = []
        channel = self.scene.guild._channel(self.scene.channel)
        for message in world.channel_messages(channel, include_ephemeral=True):
            if message.author_id != bot_id or message.id in self.seen or message.loading:
                continue
            if message.ephemeral:
                inter = world.interactions.get(message.interaction_id or 0)
                if inter is None or inter.user_id != self.scene.member.id:
                    continue  # someone else's "only you can see this"
            fresh.append((message, f"in #{self.scene.channel}"))
        fresh += [(m, "DM") for m in self.scene.member.dms() if m.id not in self.seen]
        if not fresh:
            return
        for message, header in sorted(fresh, key=lambda pair: pair[0].id):
            self.show_message(message, header=header)

    def show_message(self, message: Any, *, header: str | None = None, reply: Any = None) -> None:
        self.seen.add(message.id)
        bot_name = self.scene.emulator.world.user(message.author_id).username
        title = Text()
        title.append(bot_name, style="bold magenta")
        if header:
            title.append(f" ({header})", style="dim")
        if message.ephemeral:
            title.append(" (only you can see this)", style="dim italic")
        parts: list[RenderableType] = []
        content = self.markdown(message.content or "")
        if content.plain and "\n" not in content.plain:
            title.append(": ")
            title.append_text(content)
        elif content.plain:
            parts.append(content)
        else:
            title.append(":")
        for embed in message.embeds:
            parts.append(self.embed_panel(embed))
        for attachment in message.attachments:
            kind = f", {attachment.content_type}" if attachment.content_type else ""
            parts.append(Text(f"attachment: {attachment.filename} ({_size(len(attachment.data))}{kind})"))
        if message.components:
            controls = reply if reply is not None else self._reply_for(message)
            parts += self._components(message.components, controls)
        self.console.print(title, soft_wrap=True)
        for part in parts:
            self._print_indented(part)

    def _print_indented(self, part: RenderableType) -> None:
        """Two spaces in, line by line for text (a padded block would pad every line to the
        widest one, leaving trailing blanks in piped output)."""
        if isinstance(part, Text):
            for line in part.split("\n"):
                self.console.print(Text("  ") + line)
        else:
            self.console.print(Padding(part, (0, 0, 0, 2), expand=False))

    def show_modal(self, reply: Any) -> None:
        modal = reply.modal
        bot_name = self.scene.emulator.world.user(self.scene.emulator.bot_user_id).username
        self.console.print(
            Text.assemble((bot_name, "bold magenta"), f" opened a form: {modal.get('title', '')}"), soft_wrap=True
        )
        fields = modal_fields(modal)
        for item in fields:
            traits = ["required" if item.get("required", True) else "optional"]
            if item.get("style") == 2:
                traits.append("long text")
            if item.get("max_length") is not None:
                traits.append(f"max {item['max_length']}")
            label = item.get("label") or ""
            line = Text.assemble(("  " + item["custom_id"], "bold"), f"  {label}  ", (f"({', '.join(traits)})", "dim"))
            self.console.print(line, soft_wrap=True)
        example = " ".join(f'{f["custom_id"]}="..."' for f in fields)
        self.note(f"fill it in with :modal {example}")

    def embed_panel(self, embed: dict[str, Any]) -> Panel:
        lines: list[RenderableType] = []
        if author := (embed.get("author") or {}).get("name"):
            lines.append(Text(author, style="italic"))
        if title := embed.get("title"):
            heading = self.markdown(str(title))
            heading.stylize("bold")
            lines.append(heading)
        if description := embed.get("description"):
            lines.append(self.markdown(str(description)))
        for item in embed.get("fields") or []:
            name = self.markdown(str(item.get("name", "")))
            name.stylize("bold")
            value = self.markdown(str(item.get("value", "")))
            if "\n" in value.plain:
                lines += [name, Padding(value, (0, 0, 0, 2), expand=False)]
            else:
                lines.append(Text.assemble(name, ": ", value))
        for key in ("image", "thumbnail"):
            if url := (embed.get(key) or {}).get("url"):
                lines.append(Text(f"[{key}] {url}", style="dim"))
        footer = (embed.get("footer") or {}).get("text")
        when = embed.get("timestamp")
        tail = " · ".join(str(x) for x in (footer, _when(when) if when else None) if x)
        if tail:
            lines.append(Text(tail, style="dim"))
        color = embed.get("color")
        style = f"#{int(color):06x}" if isinstance(color, int) else "blue"
        return Panel(Group(*lines), expand=False, border_style=style, padding=(0, 1))

    def _components(self, components: list[dict[str, Any]], reply: Any) -> list[RenderableType]:
        from guildkit.core.testing.emulator.driver import SELECT_TYPES

        out: list[RenderableType] = []
        row = Text()
        for comp in walk_components(components):
            kind = comp.get("type")
            if kind == 2:
                if row.plain:
                    row.append(" ")
                row.append_text(self._button(comp, reply))
            elif kind in SELECT_TYPES:
                if row.plain:
                    out.append(row)
                    row = Text()
                out.append(self._select(comp, reply))
        if row.plain:
            out.append(row)
        return out

    def _button(self, comp: dict[str, Any], reply: Any) -> Text:
        emoji = (comp.get("emoji") or {}).get("name")
        label = " ".join(str(x) for x in (emoji, comp.get("label")) if x) or str(comp.get("custom_id", "?"))
        if comp.get("style") == 5 or comp.get("url"):
            return Text(f"[{label} → {comp.get('url', '')}]", style="underline")
        self._shown_buttons.append(Control(reply, comp))
        number = len(self._shown_buttons)
        if comp.get("disabled"):
            return Text(f"[{number} {label} (disabled)]", style="dim")
        return Text(f"[{number} {label}]", style=BUTTON_STYLES.get(int(comp.get("style") or 2), "bold"))

    def _select(self, comp: dict[str, Any], reply: Any) -> Text:
        self._shown_selects.append(Control(reply, comp))
        number = len(self._shown_selects)
        low, high = int(comp.get("min_values", 1)), int(comp.get("max_values", 1))
        count = f"pick {low}" if low == high else f"pick {low} to {high}"
        placeholder = comp.get("placeholder") or comp.get("custom_id")
        text = Text.assemble((f"<select {number}> ", "bold"), str(placeholder), (f" ({count}", "dim"))
        kind = int(comp.get("type", 3))
        if kind != 3:
            text.append(f" of {SELECT_KINDS.get(kind, 'values')})", style="dim")
        else:
            text.append(")", style="dim")
            for option in comp.get("options") or []:
                value, label = str(option.get("value")), str(option.get("label", ""))
                text.append("\n  • ")
                text.append(value, style="bold")
                if label and label != value:
                    text.append(f"  {label}")
                if description := option.get("description"):
                    text.append(f" — {description}", style="dim")
        if comp.get("disabled"):
            text.append(" (disabled)", style="dim")
        return text

    def markdown(self, text: str) -> Text:
        """Discord markdown as rich Text: mentions by name, **bold**, `code`, <t:...> times."""
        text = self._mentions(text)
        out = Text()
        position = 0
        for match in re.finditer(r"\*\*(.+?)\*\*|`([^`\n]+)`", text, flags=re.S):
            out.append(text[position : match.start()])
            if match.group(1) is not None:
                out.append(match.group(1), style="bold")
            else:
                out.append(f"`{match.group(2)}`", style="cyan")
            position = match.end()
        out.append(text[position:])
        return out

    def _mentions(self, text: str) -> str:
        world = self.scene.emulator.world

        def user(match: re.Match[str]) -> str:
            found = world.users.get(int(match.group(1)))
            return f"@{found.username}" if found else match.group(0)

        def channel(match: re.Match[str]) -> str:
            found = world.channels.get(int(match.group(1)))
            return f"#{found.name}" if found else match.group(0)

        def role(match: re.Match[str]) -> str:
            found = self.scene.guild.model.roles.get(int(match.group(1))) if self.scene.guild else None
            return f"@{found.name}" if found else match.group(0)

        text = re.sub(r"<@!?(\d+)>", user, text)
        text = re.sub(r"<#(\d+)>", channel, text)
        text = re.sub(r"<@&(\d+)>", role, text)
        text = re.sub(r"</([\w -]+):\d+>", r"/\1", text)
        text = re.sub(r"<a?:(\w+):\d+>", r":\1:", text)
        return re.sub(r"<t:(-?\d+)(?::([tTdDfFR]))?>", lambda m: _timestamp(int(m.group(1)), m.group(2)), text)

    def begin_batch(self) -> None:
        self._shown_buttons, self._shown_selects = [], []

    def end_batch(self) -> None:
        """What one action showed: its buttons and selects replace the previous numbering, unless
        it showed none (then the earlier ones stay usable)."""
        if self._shown_buttons or self._shown_selects:
            self.buttons, self.selects = self._shown_buttons, self._shown_selects
        self.begin_batch()

    def _reply_for(self, message: Any) -> Any:
        from guildkit.core.testing.emulator import Reply

        return Reply(self.scene.emulator, MessageOnly(message.channel_id), self.scene.member, message.id)


def walk_components(components: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    from guildkit.core.testing.emulator.driver import walk_components as walk

    return walk(components)


def modal_fields(modal: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in walk_components(modal.get("components") or []) if c.get("type") == 4]


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} B"
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KB"
    return f"{count / 1024 / 1024:.1f} MB"


def _when(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _timestamp(seconds: int, style: str | None) -> str:
    moment = datetime.fromtimestamp(seconds, UTC)
    if style == "R":
        delta = (moment - clock.now()).total_seconds()
        amount, unit = abs(delta), "seconds"
        for size, name in ((86400, "days"), (3600, "hours"), (60, "minutes")):
            if amount >= size:
                amount, unit = amount / size, name
                break
        text = f"{amount:.0f} {unit}"
        return f"in {text}" if delta >= 0 else f"{text} ago"
    if style in ("t", "T"):
        return moment.strftime("%H:%M UTC")
    if style in ("d", "D"):
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def make_console() -> Console:
    """Colour only on a terminal (rich decides); a readable fixed width when piped."""
    with contextlib.suppress(Exception):
        sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 100
    return Console(highlight=False, emoji=False, width=width)
