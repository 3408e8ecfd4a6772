"""/rank and /rankcard: level, XP, rank, the PNG card and its colours."""


async def test_rank_shows_level_and_card(gk, lv) -> None:
    from io import BytesIO

    from PIL import Image

    guild = await gk.guild(plugins=["leveling"])
    admin = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    await admin.slash("xp set", member=alice.id, amount=4675)
    reply = await alice.slash("rank")
    assert "Level 10" in reply.content and "4,675 XP" in reply.content and "rank #1" in reply.content
    assert len(reply.attachments) == 1
    image = Image.open(BytesIO(reply.attachments[0].bytes))
    assert image.format == "PNG" and image.size == (800, 200)

    custom = await alice.slash("rankcard", primary="#ff0000", background="00ff00")
    assert "primary #ff0000" in custom.content and "background #00ff00" in custom.content
    image = Image.open(BytesIO((await alice.slash("rank")).attachments[0].bytes)).convert("RGB")
    assert image.getpixel((400, 5)) == (0, 255, 0)
    bad = await alice.slash("rankcard", primary="red")
    assert bad.ephemeral and "not a colour" in bad.content

    await lv.configure(guild, admin, rank_card="text")
    text = await alice.slash("rank", member=admin.id)
    assert "**ada** — Level 0 · 0 XP" in text.content and not text.attachments
