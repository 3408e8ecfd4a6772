"""/case view|reason, /cases (paginated, filtered), /history, and privacy export/delete."""

from guildkit.plugins.moderation.models import Case, CaseEdit


async def test_case_view_and_reason_edits_keep_history(gk, mod_guild) -> None:
    g = await mod_guild()
    await g.mod.slash("warn", member=g.bob, reason="first reason")
    edited = await g.mod.slash("case reason", number=1, text="better reason")
    assert "better reason" in edited.content
    view = await g.mod.slash("case view", number=1)
    embed = view.embeds[0]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert embed["title"] == "Case 1 · Warning" and fields["Reason"] == "better reason"
    assert any("first reason" in value and "better reason" in value for value in fields.values())
    assert await CaseEdit.filter(guild_id=g.guild.id, number=1).count() == 1
    missing = await g.mod.slash("case view", number=7)
    assert missing.ephemeral and "no case 7" in missing.content


async def test_cases_pages_and_filters(gk, mod_guild) -> None:
    # No DMs and no mod-log: thirteen posts to one channel would go at Discord's pace (5 per 5 s).
    g = await mod_guild(escalation="none", dm_members="off")
    await gk.bot.settings.reset(g.guild.id, "moderation", "modlog_channel_id", channel_id=None, actor_id=None)
    carol = await g.guild.member("carol")
    for i in range(12):
        await g.mod.slash("warn", member=g.bob, reason=f"bob {i}")
    await g.mod.slash("note", member=carol, text="carol note")
    first = await g.mod.slash("cases")
    assert "Cases (13)" in first.embeds[0]["title"] and "`#13`" in first.embeds[0]["description"]
    second = await first.click("Next")
    assert "`#3`" in second.embeds[0]["description"] and "`#13`" not in second.embeds[0]["description"]
    notes = await g.mod.slash("cases", type="note")
    assert "Cases (1)" in notes.embeds[0]["title"] and "carol note" in notes.embeds[0]["description"]
    about_carol = await g.mod.slash("cases", member=carol)
    assert "Cases (1)" in about_carol.embeds[0]["title"]
    by_owner = await g.mod.slash("cases", moderator=g.guild.owner)
    assert "Cases (0)" in by_owner.embeds[0]["title"]


async def test_history_shows_everything_about_one_member(gk, mod_guild) -> None:
    g = await mod_guild(escalation="none")
    await g.mod.slash("warn", member=g.bob, reason="w", points=2)
    await g.mod.slash("note", member=g.bob, text="n")
    await g.mod.slash("timeout", member=g.bob, duration="10m", reason="t")
    reply = await g.mod.slash("history", member=g.bob)
    embed = reply.embeds[0]
    assert "3 case(s), 2 active warning points" in embed["description"]
    listing = embed["fields"][0]["value"]
    assert "Timeout" in listing and "Note" in listing and "Warning" in listing


async def test_privacy_export_includes_cases_and_delete_keeps_them(gk, mod_guild) -> None:
    g = await mod_guild()
    await g.mod.slash("warn", member=g.bob, reason="spam")
    exported = await gk.bot.hooks.call_each("user_data_export", runtime=gk.bot, user_id=g.bob.id)
    data = exported["moderation"]
    assert data["cases_about_you"][0]["reason"] == "spam" and data["warnings"][0]["points"] == 1
    said = await gk.bot.hooks.call_each("user_data_delete", runtime=gk.bot, user_id=g.bob.id)
    assert "kept" in said["moderation"]
    assert await Case.filter(target_id=g.bob.id).count() == 1
