from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

HOURS = [f"h{hour:02}" for hour in range(24)]
_COLUMNS = ", ".join(HOURS)
_FROM_ROLLUPS = ", ".join(f"COALESCE(json_extract(plays_by_hour, '$[{h}]'), 0)" for h in range(24))
_FROM_PLAYS = ", ".join(f"SUM(CASE WHEN played_hour = {h} THEN 1 ELSE 0 END)" for h in range(24))
_ADD = ", ".join(f"{h} = music_day_hours.{h} + excluded.{h}" for h in HOURS)
# Counters for the history already stored (plays, and days retention already folded), so analytics
# read the same figures right after upgrading.
BACKFILL = f"""
INSERT INTO "music_day_hours" (guild_id, day, {_COLUMNS})
SELECT guild_id, day, {_FROM_ROLLUPS} FROM "music_daily_stats";
INSERT INTO "music_day_hours" (guild_id, day, {_COLUMNS})
SELECT guild_id, date(played_at), {_FROM_PLAYS} FROM "music_play" WHERE true GROUP BY 1, 2
ON CONFLICT (guild_id, day) DO UPDATE SET {_ADD};
INSERT INTO "music_guild_listener" (guild_id, user_id, last_played_at)
SELECT guild_id, user_id, MAX(day) || ' 00:00:00+00:00' FROM "music_daily_listener" GROUP BY guild_id, user_id;
INSERT INTO "music_guild_listener" (guild_id, user_id, last_played_at)
SELECT guild_id, user_id, MAX(played_at) FROM "music_play" WHERE true GROUP BY guild_id, user_id
ON CONFLICT (guild_id, user_id) DO UPDATE SET
last_played_at = MAX(music_guild_listener.last_played_at, excluded.last_played_at);
INSERT INTO "music_daily_track" (guild_id, day, title, artist, plays)
SELECT guild_id, date(played_at), title, artist, COUNT(*) FROM "music_play" WHERE true GROUP BY 1, 2, 3, 4
ON CONFLICT (guild_id, day, title, artist) DO UPDATE SET plays = music_daily_track.plays + excluded.plays;
"""



async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_music_play_guild_i_d8b3b9";
        CREATE TABLE IF NOT EXISTS "music_day_hours" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "guild_id" BIGINT NOT NULL,
    "day" DATE NOT NULL,
    "h00" INT NOT NULL,
    "h01" INT NOT NULL,
    "h02" INT NOT NULL,
    "h03" INT NOT NULL,
    "h04" INT NOT NULL,
    "h05" INT NOT NULL,
    "h06" INT NOT NULL,
    "h07" INT NOT NULL,
    "h08" INT NOT NULL,
    "h09" INT NOT NULL,
    "h10" INT NOT NULL,
    "h11" INT NOT NULL,
    "h12" INT NOT NULL,
    "h13" INT NOT NULL,
    "h14" INT NOT NULL,
    "h15" INT NOT NULL,
    "h16" INT NOT NULL,
    "h17" INT NOT NULL,
    "h18" INT NOT NULL,
    "h19" INT NOT NULL,
    "h20" INT NOT NULL,
    "h21" INT NOT NULL,
    "h22" INT NOT NULL,
    "h23" INT NOT NULL,
    CONSTRAINT "uid_music_day_h_guild_i_485f59" UNIQUE ("guild_id", "day")
) /* Plays per guild, UTC day and UTC hour, counted as plays are written (not at retention), so */;
        CREATE TABLE IF NOT EXISTS "music_guild_listener" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "guild_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL,
    "last_played_at" TIMESTAMP NOT NULL,
    CONSTRAINT "uid_music_guild_guild_i_e6f1dd" UNIQUE ("guild_id", "user_id")
) /* When a member's last track in a guild was played, so distinct listeners since any moment are */;
CREATE INDEX IF NOT EXISTS "idx_music_guild_user_id_bd3769" ON "music_guild_listener" ("user_id");
CREATE INDEX IF NOT EXISTS "idx_music_guild_guild_i_552537" ON "music_guild_listener" ("guild_id", "last_played_at");
        CREATE INDEX "idx_music_play_guild_i_092822" ON "music_play" ("guild_id", "played_at", "id");
""" + BACKFILL


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_music_play_guild_i_092822";
        DROP TABLE IF EXISTS "music_day_hours";
        DROP TABLE IF EXISTS "music_guild_listener";
        CREATE INDEX "idx_music_play_guild_i_d8b3b9" ON "music_play" ("guild_id", "played_at", "id", "played_hour", "user_id", "title", "artist");"""


MODELS_STATE = (
    "eJztXdly27gS/RWUXiLXVVySvMbz5MSexPd6mYk1S02coiERljgmCYYErehO5d+nGyBFii"
    "JlwbFk2sFLYhHdAHgay+nGwn8aXhw5g80z/PeIOu7k1IkE81nYOCD/NHzqMfijWqhFGjQI"
    "piL4W9C+mylZNspbbl6hH4mQDgTI3FA3YvDIZtEgdALhcB81f3HpJCIBC0nIvsQMVEP5y6"
    "YT4vhEjBgJuevGQYtEnMS+A0IkLSIi/A5kKQmpP2QkEqDEvkJ5m1i4zQdQuuMPV1yOErYE"
    "HzLIBtH89KkxjB3XthxbVoROpFzEQnzy+TP8cHybfWURCuPP4Na6cZhrz5hCacvnlpgE8t"
    "lbZ3jii5+lLGbdtwbcjT0/kw8mYsT9qYLjC3w6xPeggmEJIozREn7suokBU+OoV8lEVC1z"
    "Oja7obGL9kRtVYHsWcOyzi961uVxz7Iac7ZONXJmSR4NuI/tBKoaSQCGWIXXb7rdra29bn"
    "trd39ne29vZ7+9D7KyvvNJe99UZTK0VFYSs5P3J+c9rBCHxqhaLD74JnWooEpLGiNDP2/B"
    "5W2Q17rfEinui0yRPshskXWlF2aMDPyky8zifgSolaOeiBcAB9My4XhsE/94htAvQPHosH"
    "dcgCwdXrSaa05pVa31pY4cGfIBzi3zuFeCPpVf3wDRXi3g3c723vb+1u72FOfpk0XwKihx"
    "/ru5zY3B+KBPB7djGtrWXArv8irZ+SSv6xWfUJ8OJUr4Rli5IuO5FDR5uSpOpCSWJUTRVP"
    "p+NsTC13IGIVI1oSSkGTFmk3a7/SoiYHMgGzLPjRYZh44AikL6IMvgD8wIhOhwGLIhtCEC"
    "xWHec3RoRQVd+eMRSI2AOPEQsx1HwJQCJ2Q/EQDenQhnkLIpf5LwqZBRGxlYxEjgxpEiY2"
    "wAhcgMlidZhlnVaHw0zKpGxjDM6juYleCCuhYO3bc603xRzcz2xbY44F7gwmxi64NbpmoA"
    "LgKsmqAdw/tDTSyvBOFFQ26pem1RbiShKuASMDSRphdtkCj2PGbPh4MWi9ZioE4YD3poOh"
    "2jqFZfcx2BDRx/ILKIHFI/KmRMrjngsQ/1Izch98h8OHJj3qaPkN+Ku6N0/Kz+xBrxOJy3"
    "aY99XeQx5hULVoVKr8qqjU+fG5qG/e/lxbmMnRJ+Q7rbBGtPJP4R+g+/9d4RfI95C+ooLj"
    "+j947/lJ3Ni6IvLj44//3w47sPhx+bZ4d/bsiUSZJyenH+PhXP+ub5u9OLtzV0VHs48zUW"
    "OapKorWkoyqm0hphe0nLW9I22M+oD2Mq5tMiaY+jkTQkOIshS/1IGWUXPFCys/H1BbH7xy"
    "/sys95n0lTa8KY4XFshT6uCoxl0VJXlgglb8g/snUAQm/kgoIsWfm7WksDwhGufG8aCmj+"
    "xpGtk+9kHNkaGcM4st/jyKbDzCxo70Y0rHAAUoX18Y1VtlOPfrVc5g/FCDlcu70AvZQigN"
    "RGgQ0kSV2VNotwMn5rQJxpGIyXw9gst7yc5ZbJB+DzCxZbkvRlGKxyjpZdaFlEKVM/YzGr"
    "JE2fA/ET2XrIBhJNPfb6XUVd+WoJp7Cwco65g75tkzggKZc9J/8hHbUgM60LcaB1If0Fdw"
    "tpMNSYMMhiIquweeX/jwUpt8VFGVUx+MuLmHvHUqp7ADXg/sTjcZRQaLNk8yzJlWG6NTKG"
    "YbrfwXRH7bYGQ0ikDT8otrxRu6MFY8fAWA5jVwvGroGxHMYtLRi3DIzlMG5rwbhtYCyHcU"
    "cLxh0DYzmMu1ow7hoYy2Hc04Jxz8BYDuO+Foz7BsZyGN9owfjGwFgKY0fLi+kYL6YCRi0v"
    "pmO8mAoYtbyYjvFiKmDU8mI6xoupgFHLi+kYL6YCRi0vpmO8mAoYtbyYjvFiKmDU8mI6xo"
    "upgFHLi+kYL6YCRi0vpmO8mHIYu1peTNd4MRUwankxXePFVMCo5cV0jRdTAaOWF9M1XswU"
    "xhptwPqZ3vHQEaxRsQFrmt66dwPWTV703v1Xh8RjXp+FryKSKqod9j+ld+/gJiUl0yJyG6"
    "rcL6V2S2bn1EuOAT1u1qWbmHK3Zpid+zXeQmP2M9XIGPW/qeYHgN6cADAnAJ4/xnHo6ACc"
    "iD8I3WRqrCe4O0uBu7MA3J2SBmzbzLZoSRM+SraQVjTjnN6ivaf4xzNs1osOGJ+cHV/2Ds"
    "9+weynp4xxVyqmSAdyesI4fdrcLdhkmgn546T3geBP8tfF+bGEk0diGMoSM7neXw2sE40F"
    "t3w+tgD/HCbp4/RRnbyO90ij7rt8dFbofv9DcTO9y0f/wLuqaOYvuBQcAHXQ18EEdUhinB"
    "zJYLY8SGyn1wxkt4NG8JvJC6087uG1VTScP8W8ysKufDyqLM9epJdrEdlPSDMtkYwdMYJi"
    "5Jl6lYeQV3VReaLDCVWFCskLnKA8Ga662nRWCguw1MvhOPHZ+EbGN6rvgG98ox+hG2TIF0"
    "YnTfYzr204kOFA1RwIT4VWUR+Zdj/jCVKxe3nOhZ+EQBNqkScc+Ss/MdVK7u7cOCDTO9Za"
    "hIckunWCAEQljxiPuAyajkeT+Qjs6osrISQLmcdMx0Se0iIzUdy8bOaOTysk3zB3C5phLo"
    "a51HiYNszlsaEH5w0GoOgW74/j6iy8HODmx75FgrUwk4kAmwjwC8DY7ceeFsSpwsuLAq8E"
    "4IV3xlYO5092VezqZ9NH2zkT8TgcaI3AmcYLHB62uks03q1uZdvFJLM6tLbVoQcHSExspN"
    "6xkRIjl99SfOlR11142VpOtbY7/hrpzVt499X19bR1Xl+TZvt1d0tesEUCRm+lVESGIY8D"
    "jGRc/npKuE/6XIwIeqJ9GrFo3hFYQf7lE9NWd293Oifhj0XT0eXZ4elpSewzuQ5db7YvaN"
    "XX1h/4mLjcHxJHyAW2EaOhrW597zPw0xgmMCiw5KZ4Td11fTGhxM3m3GXULzfVjF7BUH1Q"
    "XJWl0hjUegfctxcXpzNj7duT4pXev529Pf7Y7MhBFoTUHtgSwHksADstupZTWeM17bPByp"
    "WTi87uEtyiU5zEMmqBSbNIyz5k9UuuOlsUQMprPWgAWg+Fk3GhNKSN0W3B5Z8wdjTPuc8O"
    "ZKgIxvwWYZvDTUKhVMdNZePBrQojlWx3fsyMaxGgAotaIaOR+mrZsp1uVqvGZB4MNkHr2I"
    "5N8FbPtN8ekKvGHRfsClSuGtNPWKif9t/qf2kx/JPCnERtwsKQh5ubZa1iNYWsJxBRs3W6"
    "6k1KSWprqbW6ZXcl9Ub45eE7dd0qkwSyuHq29Soiv+L3+XJf5gNuAhYfjPCrBhGSS0rAJR"
    "A0xFtlYQCYayMrKge/qPA3d/xIrthBgxGOD83sgAziMMT9StmXFBwREfBdHHxz0pRfZjml"
    "d9R1/NtkeRCqFQfoFUYbrSv/Drs7IAbtFoT+j19cgKIZjG0u5wHxuM02yRGT0yCRHyJMBj"
    "8CzAjvq73jzqDyywzLntyoyyqTWfBrSHta2BZ95mqbpEz7JYUs172yxL6KB9uiRLnGdK7m"
    "lkhG2nkLVH9hKqdSZ/KEc9bsPNLMzRjMH8AUgB/mQaNsJFtG8guyjpjnSo+U5xN8kKrE5t"
    "aU1On1v1J10wMf2gNTVqMXUCto1Tag9mRrZwGNI+3YV6a0xsDX9MmzjXwpsq3RejOF9TXc"
    "Tvu5NF32xVLOilZUI6+0xmDijavW6Z7j8i+6gjqLGIl4bQfbRhs885sW6aSfOuySL+iSk6"
    "absJTNYAJE5Ujlp0ISm/haJdHC78xrxX3EB6al0z1S+Roz1gd2i93tJbrF7nZlt8Ckwq4I"
    "GUZ5yMr9rKZZuq/d0n2dwqUhu2HgSAxYoypkmkm07g+bzgrrXCuTqUa4qo7nI5Pvb0GZrp"
    "MLEE6IjF7KeGO/dFPv42X74JOU5sRBLQOQdYkFP/XkZU4c/ADd4Ol8w7pxtZfhG9YN1VXv"
    "CzYM2DDglTNguVx+IphXRYAzgfv5r3TOLScVXoL/qgWMMXUEfsw1O3gL1DXx9ItL+1iVjR"
    "aKXl9HLscdqjy0we0vocGPnLvuMV7MwBy+NVS4zkPp0xAy2TOWp2Op+EtC/PHYmFrxnYez"
    "evU8p/Iijmite/HaHEo2h5KfP8bmzOyqhmRzpHOFRzqnW360yVtR8yW13TUTOHPrqglMPH"
    "Zg4tu/wUimDg=="
)
