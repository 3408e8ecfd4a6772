from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

HOURS = [f"h{hour:02}" for hour in range(24)]
_COLUMNS = ", ".join([*HOURS, "last_listeners"])
_FROM_ROLLUPS = ", ".join(f"COALESCE(json_extract(plays_by_hour, '$[{h}]'), 0)" for h in range(24))
_FROM_PLAYS = ", ".join(f"SUM(CASE WHEN played_hour = {h} THEN 1 ELSE 0 END)" for h in range(24))
_ADD = ", ".join(f"{h} = music_day_hours.{h} + excluded.{h}" for h in HOURS)
# Counters for the history already stored (plays, and days retention already folded), so analytics
# read the same figures right after upgrading.
BACKFILL = f"""
INSERT INTO "music_day_hours" (guild_id, day, {_COLUMNS})
SELECT guild_id, day, {_FROM_ROLLUPS}, 0 FROM "music_daily_stats";
INSERT INTO "music_day_hours" (guild_id, day, {_COLUMNS})
SELECT guild_id, date(played_at), {_FROM_PLAYS}, 0 FROM "music_play" WHERE true GROUP BY 1, 2
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
INSERT INTO "music_guild_track" (guild_id, title, artist, plays)
SELECT guild_id, title, artist, SUM(plays) FROM "music_daily_track" GROUP BY guild_id, title, artist;
INSERT INTO "music_day_hours" (guild_id, day, {_COLUMNS})
SELECT guild_id, date(last_played_at), {", ".join(["0"] * 24)}, COUNT(*) FROM "music_guild_listener" WHERE true GROUP BY 1, 2
ON CONFLICT (guild_id, day) DO UPDATE SET last_listeners = excluded.last_listeners;
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
    "last_listeners" INT NOT NULL /* Members whose last play in the guild is on this day: distinct listeners since any day are */,
    CONSTRAINT "uid_music_day_h_guild_i_485f59" UNIQUE ("guild_id", "day")
) /* Plays per guild, UTC day and UTC hour, counted as plays are written (not at retention), so */;
        CREATE TABLE IF NOT EXISTS "music_guild_listener" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "guild_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL,
    "last_played_at" TIMESTAMP NOT NULL,
    CONSTRAINT "uid_music_guild_guild_i_e6f1dd" UNIQUE ("guild_id", "user_id")
) /* When a member's last track in a guild was played: a member with a play since some day has */;
        CREATE TABLE IF NOT EXISTS "music_guild_track" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "guild_id" BIGINT NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "artist" VARCHAR(200) NOT NULL,
    "plays" INT NOT NULL,
    CONSTRAINT "uid_music_guild_guild_i_6749cd" UNIQUE ("guild_id", "title", "artist")
) /* Plays per guild and track since the counters began, so top tracks over a range need only */;
CREATE INDEX IF NOT EXISTS "idx_music_guild_guild_i_8b8986" ON "music_guild_track" ("guild_id", "plays");
        CREATE INDEX "idx_music_daily_guild_i_18fab5" ON "music_daily_track" ("guild_id", "title", "artist", "day", "plays");
        CREATE INDEX "idx_music_play_guild_i_f90945" ON "music_play" ("guild_id", "played_at", "id", "title", "artist", "user_id", "outcome", "ended_by", "end_reason");
""" + BACKFILL


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_music_play_guild_i_f90945";
        DROP INDEX IF EXISTS "idx_music_daily_guild_i_18fab5";
        DROP TABLE IF EXISTS "music_guild_listener";
        DROP TABLE IF EXISTS "music_guild_track";
        DROP TABLE IF EXISTS "music_day_hours";
        CREATE INDEX "idx_music_play_guild_i_d8b3b9" ON "music_play" ("guild_id", "played_at", "id", "played_hour", "user_id", "title", "artist");"""


MODELS_STATE = (
    "eJztXVlz2zgS/isovUSuVVSSfMZ5cmJP4h0fM7FnMzVxioZEWOKYJBgCtKKdyn9fNMBLIi"
    "kJjiXTWrzYPLoB6GsQ+Lpx/dPwIuYM2ufw9xg77uTMYZz4JGwcon8aPvaIuKgWaqEGDoJU"
    "BO457ruZkmWDvOXmFfqMh3jAhcwddhkRj2zCBqETcIf6oPmbiycMBSREIfkWEaEayjsbT5"
    "DjIz4iKKSuGwUtxCiKfEcIoSQLhuiDkMUoxP6QIMaFEvku8mtD5jYdiNwdf7jifJSwxemQ"
    "iGQAzS9fGsPIcW3LsWVB8ETKMRLCk69fxY3j2+Q7YSAMt8G9decQ154yhdKWzy0+CeSzd8"
    "7w1Oe/SFlIum8NqBt5fiYfTPiI+qmC43N4OoTfgTmBHHgYgSX8yHVjAybGUT8lE1GlzOnY"
    "5A5HLtgTtFUBsmcNy7q4vLauTq4tq1GwdaKRM0v8aEB9qCeiqEwCMIQivH7T621v7/c623"
    "sHuzv7+7sHnQMhK8tbfLX/QxUmQ0slJTE7/XB6cQ0FoqIyqhoLD35IHcyx0pLGyNDPW3B5"
    "G+S1FlsiwX2eKZIHmS2yT2nDjJGBH38y07gfC9TKUY/FZwAXpiXc8UgbLl4g9HNQPD66Pp"
    "mBLGletKprTmlVtXVTW44M+QD6liLulaCn8utrIDqrBbzX3dnfOdje20lxTp/Mg1dBCf3f"
    "3X2uDYYHfTy4H+PQtgpvaI9WyRZfeT1v9gn28VCiBL8ICjfLeK44jn9cFSdSEssSIpZKL2"
    "ZDJHwtexAkVWNKgpqMEBt1Op1XDAmbC7Ih09xqoXHocEFRUF/IEnEBCQkhPByGZCjqEBLZ"
    "QdoFOrSijG788UhIjQRxoiEkO2aCKQVOSN4iAbw74c4gYVP+JOZTIcE2MDBGUOBGTJExMh"
    "CZyASWJ1mGWdWofTTMqkbGMMzqJ5gVpxy7FjTd9zrd/Kya6e1n6+KAeoErehNbH9wyVQPw"
    "LMCqCtqR+P2iJJZXgvC8JrdUvbYoN+JQleASomlCTY9tIRZ5HrGL4aD5orVoqGPGAx6azo"
    "cxq1Zfcx0LGzj+gGcROaB+mMuYXHNAI1+UD92F1EPFcORW0aZPkN6KP0fp+Fn9iTWiUVi0"
    "6TX5Ps9jzCvOWFUUelVWbXz52tA07L+vLi9k7BTRO9TbQVB6JPFn4D/8cf0ewe8oWlBHcf"
    "ke/frkT/mxeYx9c+HBxX+OPr3/ePSpeX7055Z8M4nfnF1efEjEs2/z4v3Z5bsaOqrX0PM1"
    "5jmqSqK1pKPKU2mNsL2k5S1pG/jOsC/aVEinhZIvDjNpSOEshiTxI2WUndNAyU7H1+fE7p"
    "8+sxs/533GVa0p2gyPQi30YVRgLLOWujJHkfOWvMjGARC+kwMKMmfl72oNDXCHu/J345CL"
    "6l9wZKeVZqWzdFRk6avxe43fW1/ny/i9L8XvTdqZadDej3BY4S8kCuujJ6uspx7+brnEH/"
    "IRUL5OZw56CaMQUlsz5CF+1VPvphHOGvBlIc40DMbLYWxGZzZndGbyUdD/OWMz8ftlCK/y"
    "pZYdl5nHQBO3ZD4JRU2fCp7Is+GTLeClemT3p7K68dWIz8w4zAWkLvRtG0UBSqjvBfoX6q"
    "rxm7QsyBG1C9iy8M6ANYsSIyKSmMgitG/8X0mQUGEYw1EFE1ceI+4DSZjxoSgB9ScejVjM"
    "uM0Iz4skV4bp1sgYhun+BNMddToaDCGWNvxgtuaNOl0tGLsGxnIYe1ow9gyM5TBua8G4bW"
    "Ash3FHC8YdA2M5jLtaMO4aGMth3NOCcc/AWA7jvhaM+wbGchgPtGA8MDCWw/hGC8Y3BsZS"
    "GLtaXkzXeDEVMGp5MV3jxVTAqOXFdI0XUwGjlhfTNV5MBYxaXkzXeDEVMGp5MV3jxVTAqO"
    "XFdI0XUwGjlhfTNV5MBYxaXkzXeDEVMGp5MV3jxZTD2NPyYnrGi6mAUcuL6RkvpgJGLS+m"
    "Z7yYChi1vJie8WJKYXQx4+kGOzqT2oqKtQW3cU68PqzdGY8oIwhKrhaCxNv0xFORGKJwL/"
    "7beHKI7GTxT7ZnDxP3RC4zl9OnwuLCgpXldOODPos8NcUKbuQkKyXYxMiTOSOPwrQoThMJ"
    "mFklLp0Q+WRM4uKsbGlSjab2/YIfaOhw0qiY2pe+by2c2neXF104s+8oNsUrhhJFtdTjbb"
    "IJFEx/UzItJCc4y5l4ah5utmFCyXq0p026dHpcbvuWRUtIzEw5M1OuvtO1nmmJbU23TPo/"
    "gN6sLTFrS14+xlHo6AAciz8K3bhrrCe4u0uBuzsH3N2SCmzbxLZwSRU+jicnV1TjnN68Wc"
    "1w8QKr9byV7qfnJ1fXR+e/QfLpcneY7wxvZGgiXeqePG3uzdgkTQR9Pr3+iOAW/XV5cSLh"
    "pIwPQ5ljJnf9VwPKhCNOLZ+OLYF/DpPkcfKoTl7HB6BRi3bBnRZa7H8obqa3C+5n2DQNZ/"
    "6CdEXVinMHXihPdBwv9iH2YSqMxg4fiTvptyr3klFPOZMjzApOycpyki6vcFwzL1rJiKdq"
    "Af7t7dQirfZ0SOL2Nt6ARXnM0ltWi4Nu/BKPW666dydvlV8Oa/QZaIxHzmCknPBpFxt2/V"
    "hulZHZpbeGvNH4TzUyhvGfagC9bD1VE/0IilTUNkTJEKUFRGnudkM5iWUp0uO3G8o2/slI"
    "RrwiWnCDPhniuXv+IB8iq9R3JwV6tKqMbnypJfXdeOm0UgCCJa9eJSu5gYele+PCsu5kTb"
    "bDExHIBLvucoxGb3Mhs4XQ8zfzhu7UyBgmZmlilpuEsdkPZ1MGzYGsVPEx+W4xEwsSsYUU"
    "7NKPR6/jwFA+XJQ/NgDeWvH+/1uHKN2nuYVoiNi9EwRCVIaSxiMq+dV4NCkOnq8+uxLetJ"
    "AYpe5S5UaMOe+WRlwUR74nPoSk+5P42goJZgJWkd/UGH4+uyzJ9DdJkHKbMRuSZkhanfsy"
    "E5N6Yugbn6ENY/ewjTVV08pkG1lsPucJ1sJMhksbLr0BGLv9yNOCOFHYvDkAKwF47tEVlc"
    "35s51Ysfre9MmmkjMahQOtFjjT2MDmYbu3ROXd7lXWXXhl5gatbW7Qo0e+zKBXvQe9Soxc"
    "fljKlYddd27QKqda29BVI9nRF1Z+3N6mtfP2FjU7r3vbcuNeFBB8L6UYGoY0CiAYcvX7Ga"
    "xL6VMOE1447mNGWNERWEH65R3Tdm9/L+2T4GZed3R1fnR2VjKoHZ/KpNfbz2jV19Yf6Ri5"
    "1B8ih8sZViOCQ1sdPtUnwk8j8EKGiop21NRd18FtJW42pS7BfrmppvRmDNUXiquyVBKDWm"
    "+D++7y8myqrX13Onuy0B/n704+NbuykRVCagVUCeC5WOKyhCKnssbToqaDlSsnF929JbhF"
    "d7YTy6gFvJpGOh+qXT6AlNd6VAO0Hgon40JJVBwC5JzKS9F2NC+oTw5lqEi0+S1E2sM2wi"
    "JXx01ko8G9CiOVLHZ7yoRrEaDKhek1PrpprRqTeWGwCVjHdmwEpwUk3+0humk8UE5uhMpN"
    "Iz1JT93af6v/0mJwiUWfhG1EwpCG7XZZrVhNJusJRNRsqK96inr8trXUcN+yc9KvYaqS86"
    "COcSCSQM4OwG2/Yuh3OCY8d0C44CbC4oMRzF5iQC4xEi4BxyGcViEagEIdWVE+cLDb39Tx"
    "mRz0ExWGO76oZodoEIUhHC2eHegm51VR5sAvR015QOQZfsCu4yeTskSxogC8QrbVuvEf4H"
    "MXiIl6K4T+Cwe/iayJaNtcSgPkUZu00TGR3SCS56HHjR9M/YLZ6A/UGVQeELfsvPO6jDKZ"
    "Ab+GtKcFddEnrrZJyrQ3KWS57pEl8p0/2hYlyjWmczW3RNzSFi1QfdBtTqXO5An6rOl+pJ"
    "nrMYg/EF0AnA8KRtmKZ53kB2QdXuRKT5TmM5yLW2JzKyV1et9fqbr5Ah/7BSasRi+gNqNV"
    "24Das42dBThi2rGvTGmNga/0yYuNfCmyrVF7M4X1Vdxu56VUXfLNUs6KVlQjr7TGYOKdq8"
    "bpXuLwL7iCOoMYsXhtG9tGR3jmdy3UTU5c76Fv4JKjphuzlHYwEUTlWKWnQhJt+Fkl0cKf"
    "TGvF34gvmJbO55HI15ixPvKz2NtZ4rPY26n8LODVzKwIGUZ5zMj9tKYZuq/d0H2dwqUhuS"
    "PCkRiQRlXINJNoLQ6bTgvrbCqYqcqFndQnybm+Ik/XyQUIJ0hGL2W8sV86qffpkjW7YLxE"
    "v86sOKiRMeq/4mBTP4Pn8w3rxtU2wzesG6qrnhdsGLBhwCtnwHK4/JQTr4oAZwKL+a90zi"
    "0nEV6C/6oBjDF2OOx0kq3dFdQ19vRnh/ahKFstEL29ZS6FGao0tIXbX0KDnzh13ZXAkIBZ"
    "fGuocJ2b0uchZPLLWJ6OJeKbhPjTsTE14luEs3r0PKeyEUu01j14bRYlm0XJLx9js2Z2VU"
    "2yWdK5wiWd6ZQfbfI2q7lJdXfNBM7suW8CE08dmPjxPwCXsC4="
)
