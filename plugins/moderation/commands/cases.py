"""/cases [member] [moderator] [type]: every case, newest first, ten per page."""

from typing import Any

import interactions
from interactions import OptionType, SlashContext

from guildkit.core.pagination import PageSource, PageView, clamp_page, page_count
from guildkit.core.permissions import requires

from .. import service
from ..service.cases import KINDS
from . import format
from .options import MODERATOR_PERMISSIONS

PER_PAGE = 10


def encode(member_id: int | None, moderator_id: int | None, kind: str | None) -> str:
    return f"{member_id or ''}:{moderator_id or ''}:{kind or ''}"


def decode(arg: str) -> tuple[int | None, int | None, str | None]:
    member, _, rest = arg.partition(":")
    moderator, _, kind = rest.partition(":")
    return (
        int(member) if member.isdigit() else None,
        int(moderator) if moderator.isdigit() else None,
        kind if kind in KINDS else None,
    )


async def render(ctx: Any, page: int, arg: str) -> PageView:
    guild_id = int(ctx.guild_id)
    member_id, moderator_id, kind = decode(arg)
    total = await service.cases.count_cases(guild_id, target_id=member_id, moderator_id=moderator_id, kind=kind)
    pages = page_count(total, PER_PAGE)
    page = clamp_page(page, pages)
    rows = await service.cases.list_cases(
        guild_id,
        target_id=member_id,
        moderator_id=moderator_id,
        kind=kind,
        offset=(page - 1) * PER_PAGE,
        limit=PER_PAGE,
    )
    description = "\n".join(format.case_line(row) for row in rows) or "No cases."
    embed = interactions.Embed(title=f"Cases ({total})", description=description[:4000])
    return PageView(page=page, pages=pages, embeds=[embed])


case_pages = PageSource("moderation", "cases", render)


class CasesCommands(interactions.Extension):
    @requires("moderator")
    @interactions.slash_command(
        name="cases",
        description="List cases, newest first",
        default_member_permissions=MODERATOR_PERMISSIONS,
        dm_permission=False,
    )
    @interactions.slash_option("member", "Only cases about this member", opt_type=OptionType.USER)
    @interactions.slash_option("moderator", "Only cases by this moderator", opt_type=OptionType.USER)
    @interactions.slash_option(
        "type",
        "Only this kind of case",
        opt_type=OptionType.STRING,
        choices=[interactions.SlashCommandChoice(name=format.KIND_LABELS[k], value=k) for k in KINDS],
    )
    @interactions.slash_option("page", "Page to open", opt_type=OptionType.INTEGER, min_value=1, max_value=100_000)
    async def cases(
        self,
        ctx: SlashContext,
        member: interactions.User | None = None,
        moderator: interactions.User | None = None,
        type: str | None = None,
        page: int = 1,
    ) -> None:
        arg = encode(int(member.id) if member else None, int(moderator.id) if moderator else None, type)
        await case_pages.send(ctx, page=page, arg=arg)
