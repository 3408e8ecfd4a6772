from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE "economy_account" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "guild_id" BIGINT NOT NULL,
    "user_id" BIGINT,
    "wallet" BIGINT NOT NULL,
    "bank" BIGINT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "last_daily" DATE /* The member's local calendar day of their last daily claim, and how many days in a row. */,
    "daily_streak" INT NOT NULL,
    "last_work_at" TIMESTAMP,
    "last_game_at" TIMESTAMP,
    CONSTRAINT "uid_economy_acc_guild_i_1b326b" UNIQUE ("guild_id", "user_id")
) /* A member's money in one guild. ``user_id`` is NULL once the member deleted their data: the */;
CREATE INDEX "idx_economy_acc_guild_i_7e247e" ON "economy_account" ("guild_id", "wallet");
CREATE INDEX "idx_economy_acc_guild_i_7de954" ON "economy_account" ("guild_id", "bank");
CREATE TABLE "economy_inventory" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "guild_id" BIGINT NOT NULL,
    "account_id" BIGINT NOT NULL,
    "item_id" BIGINT NOT NULL,
    "quantity" INT NOT NULL,
    "bought" INT NOT NULL /* Bought in total (for the per-member limit); using an item does not lower it. */,
    CONSTRAINT "uid_economy_inv_account_f7dc3b" UNIQUE ("account_id", "item_id")
);
CREATE TABLE "economy_ledger_daily" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "guild_id" BIGINT NOT NULL,
    "account_id" BIGINT NOT NULL,
    "day" DATE NOT NULL,
    "kind" VARCHAR(20) NOT NULL,
    "wallet_delta" BIGINT NOT NULL,
    "bank_delta" BIGINT NOT NULL,
    "entries" INT NOT NULL,
    CONSTRAINT "uid_economy_led_account_2d4ae7" UNIQUE ("account_id", "day", "kind")
) /* Ledger entries older than the retention period, summed per account, UTC day and kind. */;
CREATE INDEX "idx_economy_led_account_c01f90" ON "economy_ledger_daily" ("account_id");
CREATE TABLE "economy_ledger" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "guild_id" BIGINT NOT NULL,
    "account_id" BIGINT NOT NULL,
    "wallet_delta" BIGINT NOT NULL,
    "bank_delta" BIGINT NOT NULL,
    "kind" VARCHAR(20) NOT NULL /* start, daily, work, pay, deposit, withdraw, buy, refund, game, admin, levelup, reward, charge */,
    "reason" VARCHAR(200),
    "actor_id" BIGINT /* Who caused it: the member, an admin, or NULL for the bot itself. */,
    "counterparty_id" BIGINT /* The other member of a transfer. */,
    "related_id" BIGINT /* The entry this one belongs to (the debit of a transfer, the purchase of a refund). */,
    "idempotency_key" VARCHAR(120) /* A retried operation with the same key is a no-op returning the first result. */,
    "at" TIMESTAMP NOT NULL,
    CONSTRAINT "uid_economy_led_guild_i_d1b210" UNIQUE ("guild_id", "idempotency_key")
) /* One change of one account's balances. Never updated; archived into ``LedgerDaily``. */;
CREATE INDEX "idx_economy_led_account_cb2814" ON "economy_ledger" ("account_id");
CREATE INDEX "idx_economy_led_at_8a19d1" ON "economy_ledger" ("at");
CREATE TABLE "economy_role_bonus" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "guild_id" BIGINT NOT NULL,
    "role_id" BIGINT NOT NULL,
    "percent" INT NOT NULL,
    CONSTRAINT "uid_economy_rol_guild_i_2d68f2" UNIQUE ("guild_id", "role_id")
) /* Extra pay on work and daily for members with a role, in percent. */;
CREATE TABLE "economy_shop_item" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "guild_id" BIGINT NOT NULL,
    "name" VARCHAR(50) NOT NULL,
    "key" VARCHAR(50) NOT NULL /* ``name`` lowercased: names are unique per guild whatever their case. */,
    "description" VARCHAR(200) NOT NULL,
    "price" BIGINT NOT NULL,
    "stock" INT /* Items left; NULL means unlimited. */,
    "sold" INT NOT NULL,
    "role_id" BIGINT /* Role granted through Discord on purchase. */,
    "per_member_limit" INT /* How many one member may buy in total; NULL means no limit. */,
    "consumable" INT NOT NULL,
    "use_message" VARCHAR(200) NOT NULL /* What using it answers for a consumable item. */,
    "active" INT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    CONSTRAINT "uid_economy_sho_guild_i_780126" UNIQUE ("guild_id", "key")
);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztXG1z0zgQ/isaf7kyEzptoJSDTy30js5AewPhmLmXcRRbSTS1JSPJhAzDf79d2Y6d2E"
    "njkKQm5w+dJtKurOyzWu2L5G8O86SQ4fT4wvNkLIzzgnxzBA0ZfCj1dYhDo6jQgy2GDoIi"
    "tUsL1ANtFPVw1CENNIMmn2lP8chwKZDpgoQsHDD1iyahFGxKuCDwn4xiHvjHpN+PNVMu9/"
    "t9wjW5+fj2LXR7jJgxSzmJzwJmmI9NHL5RQ1/gZ3y+Lz2YABej3T7qHzGgAUVabehUkyNu"
    "cIjJmBrLHTB/BNzU9zWJI2LkIzKIDRmwQIqRhu9EyIH0p8c451jwzzFzjRwx4FUw87//du"
    "wcYW6WIJmm8++/8IULn31lukw1oQHM1QGa+fYBFXcJa3TnDjkL/DnIEyLb7pppZNsu+eha"
    "mN8sLQp14HoyiEOR00dTM5ZixsAT9EdMMEVBXtBmVIzoizgIUn3JFCL5vTlJ8osKPD4b0j"
    "hAHULuZAJ5m+O6N7c998NVz3Wdkn5lHAU9SJtAWVE3YaraCmCEU3j8a7f75Ml59+TJs+dn"
    "T8/Pz56fPAdaO99y1/n3ZDK5tJKhrMyuf7++6eGEJCyAZIFgw3fLA4qTcFngcukXgVofgy"
    "LX/Uhkcl8FRdaQY5Ev3wMDIxd+tq5qyb7AtJHoUx3/f0s+tVW1BJ/z7E/lTw5K6nYnqCXz"
    "jKOV+GYS9xRD+bi0QtdfQ4/hIauW/Dzngvz9lPU4+/ATmvwVsu1dv7v60Lt49wcOH2r9Ob"
    "DyuuhdYU/Xtk4XWo+ePZoHYzYI+XTde0PwK/nr9ubKilNqM1L2iTld7y8H50RjI10hJy44"
    "bwWZZM1Z0xzMAdXG9SkPptUwV0M8z7UK4sZsK05v5hqDUx1IjwYE/pjwKXrHUyKHqauMP4"
    "7YH0e8gPKwQ6jwyVhOSEjFFGk1uuOUKDk5Lnnuu3vM+lqImrWwnO2DXOBntMKQLrWii2wH"
    "Y027p0/Pnz5/8uzpzIjOWlbZzrKdtEthItXdBpZykXcLtrJhPtrBmcoRfNkU6QJvi3TTkM"
    "Ysw/CuEOliw4B6dxOqfLfUI7tyGW25K+yGiy1U0JEFCaWJ88zyV9fiCxNGqum1YaFTleGa"
    "p+islefiGc9ama7loFcmfNIkWhpacphVVcqnTeO0aZzm+vQPE2TNr5z1xT/P1wKwMQCZsa"
    "pngHKmVvQbi/5zTIXhpiLuXCr4IksbiZRyZDIejSs80+UpshlDY4XpXNo5YiBspIFY+mgo"
    "la1TRUw9TitdAQ+5efSSxBrEDVE0wQVKfMk0EdJAED4BIm7Ksfq2B98BwE1xS9/asuBrm/"
    "KpckqL/eu5pEmhMc8i3V9/TZ5BwJFVHMQvA58hXIAJYqaYgR4gRfS49DtEx2HIfPxK0g2z"
    "Qz72Xtk0DOZa7kBRy0qxs6es4TsDD/5DltZ/btK21frPDQLjZ/GfD3UxFLPKtcoGKfkP1g"
    "uapvr1EvHWtpdk9mpMVbXMMvoFocEEfkJRgYPxFTZ+MTJjdINOVojuz4v3r95cvD/qniwk"
    "Am/Snq7tqirOw7wDQzcp0eecrVH+oVr9JhDM87UAbAxA6rrWiAQLHIck9wOKvK4AoVWRV9"
    "LfqRF5rRdz3QpGPAh+Rgwr13gENfWdftEkPUiqj8kN+wLhTxzhDu6/JFR5Y/4FgiLAQ5J+"
    "vxAc9vvliGtHz7j3cCr3WRhJiOe8qXvHpm3E1SRz1kZcDQKjjbiaIv/Ww20ACK2H+8AAHG"
    "IQDbOhynSSI4EdgsfCOiSi8NFnkdQcuibcjH1FJx0yiKFdsWEs/A7Bc0UdQv2Qiw4JwE0K"
    "4gh70fnsoGelRuUbRjt/2p5Df8WoBjnWUIqcYyO1aNj5q0X5rifgVRIuiRgCBVn/1kmRq8"
    "HXTpxPY0k8GmsMKcyLwk06PJib6btUyWW7rFA4kAaoNQuG5bBmGwM2wtpaz42pCAzGtDb8"
    "FcxN1gI8vi0xXMyuUUJESuHhVOghU9XHve+hbwSGigX2UkZd+Ob5mo4c5rGmsI64tmmEwq"
    "XVI1xcPhtwM49QJ6n3xwo2Ls2SvmSne1QN9vYf0Qj9WMyF1NhHK1gbvKE6F1jDVxyssoxw"
    "OljLR1fHoqRBHOQO71trQEnIxzJC8lgJPP2BFEOutIE2DQ8ra8i2B1+5yZ+u5UWdrnCjTs"
    "t+VP2z7fu857XPAL890b6dBPZ7GbBLKeJEfIvp67y3s1byWgG9O5gx3JvAvvoKBBjZEFyK"
    "EObYQznJvSt0upJtWyerFC9bBTAIt8d7PLD15SW+jQHvTU3bX9keom9W/qFNSTcIjIJrm6"
    "6Ven5tztSKfmPRpzatRqW5wHFIcj+ISvOHsYyW3jqbda63TWsgd3lGv+ULZ0XD2RZuG2Yd"
    "2l2yQWDkwrf/S4JfHtVn9E0umWyYHD9bJ2w+Wx41n5WC5poZkx/JkuyrGtXv44/r95MbLh"
    "7VzIdxoEkTqhhJHm9vPdgFal8gZ0/oJG+3QIZy7LStQfcMb1E0NWBeYNsf3I6zl3W0kyJT"
    "pLhXYahW7RAzlnZ72Hh70EZ6dV4MM6NvckkA/VVNAjY0L5MqW8io0GBm7KU+VnH5ay2OHd"
    "/j1DKocJGWI5GSN/YO54NdiH2QxMCeVBvTpmSkqEhe8arwJit5zbUnlY+JyazcVFbxWpyN"
    "sE3gD7hJVtW1y7BeuqHE2mRY32Sv/8LaYlpRDukUT+DMrinPWSYhkxvKZZx/bKgdL00cPg"
    "6tbMurU4KGUrHsOEGRcQHKAXDuyujNWvZbabq8vX07V2S6vF5YLzcf311evT86tU4WEME2"
    "VS3zWDNYC1rTUa1AcIGtuV6s8wnfYZ3c0+eGgEpPsA6DNRlKcr2xF/irTuvUY36Q41f8S9"
    "31kjPtca1kqa2fdqm0Lz/dBIC2Kn5fsv37f7BzmdQ="
)
