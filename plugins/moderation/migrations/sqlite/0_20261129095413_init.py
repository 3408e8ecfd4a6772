from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE "moderation_case" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "guild_id" BIGINT NOT NULL,
    "number" INT NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "target_id" BIGINT NOT NULL,
    "target_name" VARCHAR(100) NOT NULL,
    "moderator_id" BIGINT NOT NULL,
    "moderator_name" VARCHAR(100) NOT NULL,
    "reason" TEXT,
    "points" INT,
    "duration_seconds" BIGINT,
    "expires_at" TIMESTAMP,
    "status" VARCHAR(10) NOT NULL /* pending (opened, action not done yet), done, or failed (Discord refused: see failure). */,
    "failure" TEXT,
    "dm" VARCHAR(10) NOT NULL /* none (not sent), sent, refused (50007: DMs closed), failed (another error). */,
    "source" VARCHAR(12) NOT NULL /* command, manual (done in Discord's UI), escalation, expiry, api. */,
    "key" VARCHAR(100) NOT NULL UNIQUE /* Idempotency: the interaction, audit-log entry, job occurrence or API key that opened it. */,
    "audit_entry_id" BIGINT,
    "cause_number" INT /* The warning case whose points triggered this escalation. */,
    "modlog_message_id" BIGINT,
    "created_at" TIMESTAMP NOT NULL,
    CONSTRAINT "uid_moderation__guild_i_95caf6" UNIQUE ("guild_id", "number")
) /* One moderation action. Append-only: only its outcome, DM result and mod-log message are */;
CREATE INDEX "idx_moderation__guild_i_f7914d" ON "moderation_case" ("guild_id", "target_id");
CREATE INDEX "idx_moderation__guild_i_e4c128" ON "moderation_case" ("guild_id", "moderator_id");
CREATE TABLE "moderation_case_counter" (
    "guild_id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "last_number" INT NOT NULL
) /* The last case number handed out in a guild; bumped with one atomic upsert per case. */;
CREATE TABLE "moderation_case_edit" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "guild_id" BIGINT NOT NULL,
    "number" INT NOT NULL,
    "editor_id" BIGINT NOT NULL,
    "old_reason" TEXT,
    "new_reason" TEXT NOT NULL,
    "at" TIMESTAMP NOT NULL
) /* A change of a case's reason, made with the case reason command: the history stays. */;
CREATE INDEX "idx_moderation__guild_i_f3329c" ON "moderation_case_edit" ("guild_id", "number");
CREATE TABLE "moderation_channel_lock" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "guild_id" BIGINT NOT NULL,
    "channel_id" BIGINT NOT NULL UNIQUE,
    "had_overwrite" INT NOT NULL,
    "allow" BIGINT NOT NULL,
    "deny" BIGINT NOT NULL,
    "locked_by" BIGINT NOT NULL,
    "until" TIMESTAMP,
    "created_at" TIMESTAMP NOT NULL
) /* A locked channel and the @everyone overwrite it had before, restored on unlock. */;
CREATE TABLE "moderation_temp_punishment" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "guild_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL,
    "kind" VARCHAR(10) NOT NULL,
    "number" INT NOT NULL,
    "expires_at" TIMESTAMP NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    CONSTRAINT "uid_moderation__guild_i_020c8f" UNIQUE ("guild_id", "user_id", "kind")
) /* A temporary ban or timeout still running; removed when it ends or is lifted early. */;
CREATE TABLE "moderation_warning" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "guild_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL,
    "moderator_id" BIGINT NOT NULL,
    "number" INT NOT NULL,
    "reason" TEXT,
    "points" INT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "expires_at" TIMESTAMP NOT NULL,
    "delete_after" TIMESTAMP NOT NULL,
    "pardoned_at" TIMESTAMP,
    "pardoned_by" BIGINT,
    CONSTRAINT "uid_moderation__guild_i_c188bf" UNIQUE ("guild_id", "number")
) /* Points of one warning. Counts while not pardoned and before expires_at; deleted after */;
CREATE INDEX "idx_moderation__guild_i_d64431" ON "moderation_warning" ("guild_id", "user_id");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztXG1v2zYQ/iuEv8wF0sB1X9K1X5a3bQGapGjdtdhaCLR0trVIpEpSc42h/313lBRZku"
    "1Yru05jr4kFsmHlJ47nu7IE/9thdIDxY0vxeEp19B6xf5tCR7Sj0rdAWvxKCrWUKHh/aAE"
    "cNwM0NdGcddg9YAHGrDIA+0qP7JoBF0LYDmQYVsakB1HEQjvsRTB5BWjv8w3msnYuDLEXs"
    "4umQIdB4Zx4RH+cSCHLASt+RAYV3ZwT7o4ui+GGxznsxj4QQAe87HPgQGFeDbm2AX2C95r"
    "hHON44FH/SKAEZfneMWUHOtDus9Y+F9jcIwcghmBwrv966/WMPYDz/E9aiDisI/lX77gb1"
    "948A10tZHhCvF0gc2KVelzS2VrqZfoxhn4EHgFgSeNbbljJpEtuxDmV9uQ+Ow7rgziUOSN"
    "o4kZobiz1r4wVDrER8fxgLo3Kgb7CEGQ6kmmCMlj502SJ5vCeDDgSD0WEDq5gbys5ThX1z"
    "3n/XnPcVoVvcoQUyqQFrlSkE7irWr79EO6hcfdJ8+Onr18+uLZS2xib/O25Oh7MnROTAK0"
    "9Fz1Wt9tPTc8aWFFk5M6LYcitSf+cC6706i7Oc4YXURyVpCznE/I7dH8c7f79OlRt/P0xc"
    "vnz46Onr/s3PJdrVpE/MnFb8Q9NpBoXxL7kwkjJz+dOMtrdQ7YJ9Z/ULlzPm/wOapsno64"
    "mk1n1r5EJt7ifSQz5N+cAMTQjPDyyYsFzP1x/O709+N37ScvHhVV9Cqt6dqqIrm5Aa9lKg"
    "qwfdLaLduKlEd7WUPFS7B91PROZxlV73Tm6zrVFdkuuCS19L2MbFR+ZZXPqayr9VVko/jL"
    "KX4SD1S57sG3OQqfI1biOHWmd4XiBYz2zj9ZlQ21/hpME9m+PP5kOQ4nac2b66vfsuZTxJ"
    "++uT4p8R1JO/LyLmAOWMmy7Bjd6/YAvTiN8DXgSN4MYhfZ7lnoPWJ5y+YbvkW+Au1wU5XC"
    "GXJn/BBmy6GILEnAS6GH2Y/7J49FRubi8vx97/jybcHSnB33zqmmW7AyWWm77MbfdsI+Xv"
    "R+Z3TJ/ry+OrdsSm2Gyo6Yt+v92aJ74rGRjpBjh3vTnGTFWVFBytpwE8+YZ/Nfzjliey/l"
    "Fi2jkUjqSTSDsXayXnaQLswxIQ3zpAA2AfPowP48YFLhyD6ttrXPfO1K5TEFg1iD94ppAF"
    "sZK3h0WFn929wwd3gQSzkQC/yHsvuQjl3Hf5iCNA5EfQfCC+vMvaT1FuedQJWtO+kIw9qk"
    "+xoE6T39O8iUnLWfdzqdo1fs7FIzN5BYhE2yGcERNgLFQCmpZsy0Nfe95emlZazcWpFQjt"
    "ii0F0Zhlx4deWewg4Y/o15wNrW9PmCpWbuJ80+XKA8EMUD66jhb3IVJmgwI78q7HV0uFjC"
    "3WUk3J0v4W5ZwjcwqbWCmTRfj2w3sdHRuvAgjKQB4U6wwxHRb0Al7zdkOfZ8YzetcBoS7X"
    "/LPpOuGyuFCKB33fHbC4aPiVhu0m0r5puqsDc50PbjcHu/jr3X2ktQVWwTxKwaxLgc3wtO"
    "7Y2aMmyHBdDq4VwZcyXIAaWNcTYe4YuPJQsNeBP+cAgK54IZ+XrKVFZn4I90tOF1gVB6OP"
    "eddGd8lUXdKnyHZbrrk0oBMbTCykARuYaVgV1b4r3vSwOUvTG4mUo1oII+d2/QMHhOpUZ2"
    "5by21aqwG5ZLuMD56KVs0n2WsoJOZUxeQGtB4lDW5KBm/hBqZQ68M4+IbGPAtUkMY/JiYC"
    "N0TtEeytjY/Bxm0ypes34cRlg89s2IkcPKjQx9l8WRBmVYhEDqZLb93cAYM/J/Spk+c1N2"
    "tpFdck8yeLZiYufn+ZBe1HdjSqjt7WV2NiuMH/IrdszEUbLeIvtm62sbN8hQd1q2Y+aijR"
    "liCDVA80JgDKuTTUEKvD1IjAxFZNYupRmHaWyehGroEBqpJkwbPtFVw7aZIe62a/PTHJsE"
    "xSZB8QE46k2C4nrDULKqK+QUFWD7ROyW1Vkirn6CSxHV7FHV36MSMF6B9yJqLxK4tk18/Q"
    "WWZmGlWVi5M+pAZ1xA8Ea6N615gcdUk1qxR4Jzggy4RPhBbcFjKdR+CUUO/y/wD6gJrW1I"
    "/DFWvgH6+GnEPdaHgVRAu74UE9DqiGCxoH5mxR5r7/8HFlSaEKMJMfbLJ8tmfF36i7j1CG"
    "AXtHzL9KO5cm7t1wwJSBkAF7NFUMGWpNBH8D2cB4s4vb5+U3ASTi7KXtiHy5Pzd+0n1jvA"
    "RsTMTOJ5EODbvZbK30L2Zh12y8rugZiRXbMwIzxFNIyvxnjiOzn9mrQXYM3LdWX6Y2H8oG"
    "4IeAtqEu93LQhskigehJh3KNbvQRi9RbnqUQhi7j5jqdVBjYjfINSJitglgn6CoUDUhPW5"
    "oOxNUlVKctBovAKmYkFpaHS+SYguqsfGIxAUnoPwNDX3NQv8AWo0A66Cyay4fxND3HmWSq"
    "whW+i3pxOUD1VpVgaalYGH4rzkU2F57qdADfUrU98cpLLBj3iaTfV1GO2d/M5416i+745w"
    "E+88CDHvULzzMfl+pTUn0Mmq60Q44ynMnZHN2+RjGTmwWdkp9JDZJHWNIYYfgP0qPMKnlf"
    "SFGm1HJvuNLDdnr5kHAVDoYQ99rAQ3Gxnls0guneSgyXZfmhEbKBna7VLrFP+kmQZjcDB9"
    "Gy7RaZRD/x8Qj9Z42mTmBjbJmk289FCc9iZe2oGTyprj4ppk5T2Jq5qj4OZ71ftwFNy+62"
    "8TMK6k2vchYGyWfx6cmKdjy7qCLmMbUe+0qLNVhxWmdAnaZLDcCznXTQ8rAZuDWOqETP/r"
    "Yuv3/wBm+fnB"
)
