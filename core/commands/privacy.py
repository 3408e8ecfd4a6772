"""/privacy export | delete"""

from __future__ import annotations

import io

import interactions
from interactions import ButtonStyle, ComponentContext, SlashContext

from guildkit.core.commands.access import runtime_of
from guildkit.core.privacy import delete_user, export_json, export_user

CONFIRM, CANCEL = "gk:privacy:delete:confirm", "gk:privacy:delete:cancel"


class PrivacyCommands(interactions.Extension):
    @interactions.slash_command(
        name="privacy",
        description="Your data in this bot",
        sub_cmd_name="export",
        sub_cmd_description="Get a file with everything the bot stores about you",
    )
    async def privacy_export(self, ctx: SlashContext) -> None:
        await ctx.defer(ephemeral=True)
        data = await export_user(runtime_of(ctx), int(ctx.author_id))
        file = interactions.File(io.BytesIO(export_json(data)), file_name=f"my-data-{ctx.author_id}.json")
        await ctx.send("Here is everything the bot stores about you.", file=file, ephemeral=True)

    @privacy_export.subcommand(sub_cmd_name="delete", sub_cmd_description="Delete what the bot stores about you")
    async def privacy_delete(self, ctx: SlashContext) -> None:
        buttons = [
            interactions.Button(style=ButtonStyle.DANGER, label="Delete my data", custom_id=CONFIRM),
            interactions.Button(style=ButtonStyle.SECONDARY, label="Cancel", custom_id=CANCEL),
        ]
        await ctx.send(
            "This deletes what every plugin stores about you, in every server, and cannot be undone. "
            "Some records may be kept where a plugin must (you will see which and why).",
            components=interactions.spread_to_rows(*buttons),
            ephemeral=True,
        )

    @interactions.component_callback(CONFIRM)
    async def confirm_delete(self, ctx: ComponentContext) -> None:
        await ctx.defer(edit_origin=True)
        report = await delete_user(runtime_of(ctx), int(ctx.author_id))
        lines = ["Your data was deleted."]
        if report.kept:
            lines.append("Kept:")
            lines += [f"- **{owner}**: {reason}" for owner, reason in sorted(report.kept.items())]
        await ctx.edit_origin(content="\n".join(lines), components=[])

    @interactions.component_callback(CANCEL)
    async def cancel_delete(self, ctx: ComponentContext) -> None:
        await ctx.edit_origin(content="Nothing was deleted.", components=[])
