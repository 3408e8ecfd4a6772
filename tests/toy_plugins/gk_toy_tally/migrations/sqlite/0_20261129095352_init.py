from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE "tally_seen_message" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "message_id" BIGINT NOT NULL,
    "guild_id" BIGINT NOT NULL,
    "owner" VARCHAR(100) NOT NULL
) /* One MESSAGE_CREATE handled, and by which process (its scheduler owner). */;
CREATE INDEX "idx_tally_seen__message_9eb10b" ON "tally_seen_message" ("message_id");
CREATE TABLE "tally_run" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "job_id" BIGINT NOT NULL,
    "guild_id" BIGINT,
    "owner" VARCHAR(100) NOT NULL
) /* One execution of a tally job, and by which process. */;
CREATE INDEX "idx_tally_run_job_id_540418" ON "tally_run" ("job_id");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztVVFv2jAQ/itWnlqJVSysg+2NoazjoVSCaC/TZDnxkXg4dpY4oqjKf5/tJAQa2o6pk9"
    "qKF4K/u+9y+c66785RhPPNxQJAXEOekwicz+jOESQxfw5Ee8ghabqNmbMiAW+zca6zcbKT"
    "HuQqI6HSGUvCc9AQhTzMWKqYFIZ3IwBde4vF+MrDk7k39j0UE0E50B7STxRs0DpmYYzSTI"
    "a6MDpjKkd5GAMtOGRIrgVk5xfmZVSG+m1MRM9ctxDsdwFYyQhUDJmu/uOnhpmgcAt5c0xX"
    "eMmA0z0NGTUFLI7VJrXYFxZNhfpqc03XAQ4lLxLR5qcbFUuxJTChDBqB7ogoMG9QWWG0FA"
    "Xn9QAaeatm25Sqyx0OhSUpuJmIYVcNtJiD8ezGxwvPx9jpTKth7AhdQ6EUZtK61dwKYO/S"
    "u0+uOxgM3f7g4+jyw3B4OeqPdK7ttxsallUzrVpVKavZ9Go6801DUl+n6sYZoLQcokjFss"
    "No1a8vIj52Cvu8p6fRaP/YOBrg7c+j1T8qmGYeq/4u639p3y6jNyu+XWBd5ScxyQ7rviXc"
    "E11/ymsUPSG3mIOIVKyP7/v9RwT9Pp5Pvo3nZzrrfF/WWR1yq1hZmk2/XO1sGwMEJFytSU"
    "ZxJyJd+VBuN5S4yX2ECL2HaP2RZa8xZd/8zgtxwK+3oafNOquz/sqj9QzDwgBILhFBtgL6"
    "JYPDbnrYj/+hxsl7X/S6edh79ViP3vwt5+S5r8xza2FfzPY/We7Jcp/Dcss/R/HAag=="
)
