"""/leaderboard on the core's paginator, by XP and by activity counters."""


async def test_leaderboard_pages_with_buttons_and_counters(gk, lv) -> None:
    guild = await gk.guild(plugins=["leveling"])
    admin = await guild.member("ada", admin=True)
    members = [await guild.member(f"m{i:02}") for i in range(23)]
    for index, member in enumerate(members):
        await admin.slash("xp set", member=member.id, amount=(index + 1) * 100)
    chatty = members[0]
    await lv.configure(guild, admin, cooldown_seconds=0)
    for _ in range(3):
        await lv.say(chatty, "hi")

    first = await admin.slash("leaderboard")
    assert "page 1/3" in first.content
    lines = first.content.splitlines()
    assert lines[1].startswith(f"1. <@{members[22].id}> — 2,3") and len(lines) == 11
    prev = next(b for b in first.buttons if b["label"] == "Previous")
    assert prev.get("disabled")
    # The core's paginator: first and last page buttons, the page shown, disabled at the ends.
    labels = {b["label"]: bool(b.get("disabled")) for b in first.buttons}
    assert labels == {"«": True, "Previous": True, "1 / 3": True, "Next": False, "»": False}
    second = await first.click("Next")
    assert "page 2/3" in second.content and f"11. <@{members[12].id}>" in second.content
    third = await second.click("Next")
    assert "page 3/3" in third.content and len(third.content.splitlines()) == 4  # 21..23 + title
    back = await third.click("Previous")
    assert "page 2/3" in back.content
    last = await back.click("»")
    assert "page 3/3" in last.content and f"21. <@{members[2].id}>" in last.content
    assert {b["label"]: bool(b.get("disabled")) for b in last.buttons}["Next"]
    assert "page 1/3" in (await last.click("«")).content

    by_messages = await admin.slash("leaderboard", by="messages")
    assert f"1. <@{chatty.id}> — 3 messages" in by_messages.content
