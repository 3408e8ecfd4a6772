from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE "toy_greeting" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL,
    "count" INT NOT NULL,
    "last_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "uid_toy_greetin_guild_i_261da1" UNIQUE ("guild_id", "user_id")
);
CREATE TABLE "toy_heard_message" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "author_id" BIGINT,
    "content" VARCHAR(200) NOT NULL,
    "heard_at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX "idx_toy_heard_m_guild_i_fd351a" ON "toy_heard_message" ("guild_id");
CREATE INDEX "idx_toy_heard_m_heard_a_2c6fa8" ON "toy_heard_message" ("heard_at");
CREATE TABLE "toy_job_run" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "job_id" BIGINT NOT NULL,
    "occurrence" INT NOT NULL,
    "owner" VARCHAR(100) NOT NULL
);
CREATE INDEX "idx_toy_job_run_job_id_fc58b6" ON "toy_job_run" ("job_id");
COMMENT ON TABLE "toy_job_run" IS 'One execution of a toy job, for tests that count runs across processes.';
CREATE TABLE "toy_visit" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL,
    "at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX "idx_toy_visit_at_9053b6" ON "toy_visit" ("at");
COMMENT ON TABLE "toy_visit" IS 'Raw visits, rolled up into VisitDaily after a while.';
CREATE TABLE "toy_visit_daily" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "day" DATE NOT NULL,
    "visits" INT NOT NULL,
    CONSTRAINT "uid_toy_visit_d_guild_i_85fd69" UNIQUE ("guild_id", "day")
);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztWltv2jAY/StWnjapq7i1sL6xlrVMKp1o1EmtKsskJskabGo7o6jiv892QhLuhNEWWJ"
    "5Ivosv5zM+x4ZXw2EYC8yOL9WnRxzjDLwaBPWwfJh1HgED9fspl7II1PF1uKBD6KRDO1ww"
    "ZAnp6yKfY2myMbeY1xceJdJKAt9XRmrJwLDzyBQQ7znAUFAHC1d2cwYeHgwn8HwberZqO+"
    "CYqcfHR/niERu/YK6i1Gv/CXY97NsTcwnTtB2KYV/bvnlOk4jvOlaNowMt6gc9ksT3h8Kl"
    "JE7wiFBWBxPMkMCqB8ECNTE17giH8VzDOSQh4ShTOTbuosAXKSA6MLEZELZuTHjbMCE0Mk"
    "BnUaJgl0PlGgBHDeHL11KpXK6WCuXT2kmlWj2pFWoyVo931lUdhYNJ0Aqb0pg1L5stUw2I"
    "ytqGhVeGkc5BAoVZuhiplZQq3fo1SGetrsQY92WlGBuSWiQr88CKkYA//q5kwj6VlEO/Mf"
    "QWDUK0JoFfiHoc/36YF94W8FKxUq3UyqeVGOfYsgzeWSh9xAVEc8C8kIAIr4fnI5pKm8LU"
    "jvKOxw97uKqXIGg2rxu3Zv36p2q+x/mzr8Gqmw3lKWnrcMr66fTz5IqOGwG/muYVUK/g/q"
    "bV0HBSLiTd84k4895QY0KBoJDQAUR2GpOxeWwaKbruPqUoQxk6yHoaIGbDGQ8t0UWxs65e"
    "qTdtQQQ5ukgKTTXOscK5wrKNa8w50qt2VgJNBKyWQa4Kh71U/Fa1UC56dmez30fRc6i1SL"
    "CXO41Ls6ueibSN0I+g3RWC+CjZQwSeJ3zOXcQWKZ84ZQp3OZ09ZGZJNi/Qx8QRrtI8hcIS"
    "UO/q7fOrevuTjJri31bkKoW+SZRDkskuidJ576OJ3nO/ySXRdiTRD9ppB2SuGIpcq2XQb9"
    "qBLIpcJYCMG4KBXC9WoAyAdgECsg0g2zgCXcqAwFxwIFwkgD4mAdkyB8hilHPQZ9SSagvz"
    "Y2NqlWyz3VyK7TQBLZZiaiFmrUCSk8uwTYUAtayAMUwsnOESZDLpkG6ftnYZQgck3G7XlV"
    "dxwgGKq+Ja4qq4RFwVQ3G1K9R753FPzGXe0LOaeP/EcStpt40GQIfzI8Co72MbBH0gkaZA"
    "93aBPH8IUFd2I5lz4Ho+nuXYTRvJCXWnN/J9vNv4D47X+Q86H3evlPm0nZ+z83P2SrLX/L"
    "iY8UP3mrQP7Tj6Df+AYaNh/ueLXdqjcq7eoWIk4KvvyVzGmI96FL6MLvYQ+iUoqv1/CrLw"
    "IJHhwiBJOKSF+k+XBR/KbqO/cRuwSw=="
)
