from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "gk_command_usage" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "command" VARCHAR(100) NOT NULL,
    "plugin" VARCHAR(64) NOT NULL,
    "guild_id" BIGINT,
    "user_id" BIGINT NOT NULL,
    "at" TIMESTAMPTZ NOT NULL,
    "latency_ms" INT NOT NULL,
    "success" BOOL NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_gk_command__at_7fdd22" ON "gk_command_usage" ("at");
CREATE INDEX IF NOT EXISTS "idx_gk_command__guild_i_b18e20" ON "gk_command_usage" ("guild_id", "at");
COMMENT ON TABLE "gk_command_usage" IS 'One command use: what, where, who, when, how long, whether it worked. Written in batches.';
        CREATE TABLE IF NOT EXISTS "gk_job" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "plugin" VARCHAR(64) NOT NULL,
    "kind" VARCHAR(64) NOT NULL,
    "guild_id" BIGINT,
    "payload" TEXT NOT NULL,
    "due_at" TIMESTAMPTZ NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "attempts" INT NOT NULL,
    "occurrence" INT NOT NULL,
    "last_error" TEXT,
    "lease_owner" VARCHAR(64),
    "lease_until" TIMESTAMPTZ,
    "key" VARCHAR(200) UNIQUE,
    "recurrence" VARCHAR(120),
    "created_at" TIMESTAMPTZ NOT NULL,
    "finished_at" TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS "idx_gk_job_status_e01ffa" ON "gk_job" ("status", "due_at");
CREATE INDEX IF NOT EXISTS "idx_gk_job_plugin_9811c6" ON "gk_job" ("plugin", "guild_id", "status");
COMMENT ON COLUMN "gk_job"."payload" IS 'JSON text (see SettingValue for why not JSONField).';
COMMENT ON COLUMN "gk_job"."key" IS 'The scheduler''s idempotency key: scheduling twice with one key makes one job.';
COMMENT ON COLUMN "gk_job"."recurrence" IS 'None, \"every:<seconds>\" or \"cron:<expression>@<IANA zone>\".';
COMMENT ON TABLE "gk_job" IS 'Work a plugin (or the core) scheduled: runs once per occurrence, survives restarts.';"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "gk_command_usage";
        DROP TABLE IF EXISTS "gk_job";"""


MODELS_STATE = (
    "eJztXG1z2zYS/isYfakzJ3ts+S3n5jInu07jTmJ3YrnpNO6QEAlJqChABUDLutb/vQuQFN"
    "8kWvRZCq3wiy0CuwD4LLF4Fgvyr4bDBdlp+y5VH3i/cYL+ajA8IvAjU9NEDTweR+X6UuGu"
    "ZwT7QwtrMcsL5bpSCewoqOthTxIocol0BB0rypnWaI/HhLnbnHlTJAg06CLeQ+SOiCnqeb"
    "iPMHORJEpR1pfIGWDWJzvoE59IhAVBTEsif+xiRUBTIJd4BH7u6N5d7kD3oLjqjnxG//SJ"
    "pXifqAER0N2X36GYMpfcExldjodWjxLPTUFLXd2AKbfUdGzKTmn/gql3RlbfRtdyuOePWC"
    "w/nqoBZzMFypQu7RNGhB4flCnha7SZ73mhcSIDBIONRYJRJnRc0sO+p22mtYMBxGUNy7q8"
    "6ljX5x3LauTsGWkkkA+LHM70swBDlQaAvh7C9r9brf3949bu/tHrw4Pj48PXu69B1ow3X3"
    "X8EAwmRitoymB28ePFZUcPiMMDFzyNuuDB6GCFAy1jjBj9vk+hpbI2SGo9bokI9yJTRAWb"
    "b4sYe3ALXJTGPqn1JOxDYAugjz3VJmOvx5lD/myAxULcQ40M6nAzz/PErxf2Eb63PML6ag"
    "CX+60CRH9pfzp73/60td96lYb1Mqxpmao0wAoLWAvKABxrbCDArd3dJRAGqYUQm7o0xl3S"
    "C/lHGuMOuV/gPGKNJ2G8HtfR+On66hIpuIkm8uiQoOuAlPyCPZ/s3Jm/OXazpE7GSAU26Z"
    "z/arzISMo/vaQptj62fzVWGk3Dmg9Xlz9G4gnTnX24Os26nZ4ioozBZgoVttfSU2LtaM/x"
    "Pz8AWoqOyAK45/kfN1TZiX68QG9UBP3Fx/PrTvvjzyn8f2h3znVNK4V9VLp1lPFTs0bQ54"
    "vOe6Qv0W9Xl+cGTi5VX5geY7nObw09JuwrbjE+sbCbxCQqjooedPjQGyYorC7oYmc4wcK1"
    "cjW8xRfJ5qtGrVG2BDPcN0bSaD40wwDwjI+gxr2R2HCWTHiYqm0WhohOIGr5M9lHw8QrRl"
    "CohnxJTtBkgMHXTSDaIvofN79ZEw34BHmc9c21DsYQVWjCxRBCNfRZUKUIQ5ShLlbOgMi8"
    "J11pT48Hil/0JISyL6koQ5fVIWQlQ8jwWSlD9RIqG8j19pbiensFXG8vz/XGnt+npQKWWG"
    "MDMT46WALio4OFCOuqNMBfaSekYhTt60TjsMyU3whJKK1qD+obgL7myBvDkZNm9QB25kyt"
    "kcybd+GMSitt0qRq7R0cH7zePzqYzaVZSdEUyk8X6TsOkXNAPeXcI5jNBzahlUG1C2ovEN"
    "Yit3N19SE1S04vsqH6zcfTcyBAZnqAEFUJ31SJQO8dwcoX5J2H56QBk5XNwjCvF0havUj0"
    "0SjvcxhIYRSwN7Rl2x65Ix4Yw7Zf6bSb9LvbYcPJ2p07Th1i3Y+1GJWIm9ALI0NQ8kHeqj"
    "q6ZbfskiMBoeEIpoNE0AsKHz/UE3yEulztKD6Ch4oABKY+GMJ3EgQdDwviRhqLQsZ0bGis"
    "83udb6wOvXiJ+cZvgOuZ/zngF0eQkfwGxo8ridEJ0/c+79kuIgcJrZocFJODJNjBARXX6k"
    "7L+ZK0Xh2zP9WZRDiWDyDTmnUgWblAshIc/NoZENcHx/gT7+ZJeKq2mIX/EUo8Tr65GCYI"
    "MVBgTU51k6+QjPo7QcJnmvU6wFuBQHPH8YWAsBkalL64o3dEIsBfYaHmJFdW0Iem3LYNF8"
    "qXtn2C9Ck/6A1tv9XNMP1zC2g1TCUXTagaQPewGEnoECRczgj6GxCh0C/8kEM6HhP3e2Tb"
    "AzCSbd+yyQDqzDABSSDp4diB+rtUmqVLBwBUyTAEQJ+IHq7uFxSglCP9PCDFZ0Mzw4AWbx"
    "kj9wr6coHgY2Xb5gyibcc3DEX/QntLp44CFAzqpsUgkRTvhCeJZChbp5WqGSnUCY8VJzyG"
    "tFzSLpKvwa2zSRX0JAnPgacex3OgX3zMKqFS5cc7PuWGtiRJH3JDPSATk8EUMa6QljN3+q"
    "rgpFy5Nr7yWa5wPS8ZasRadZhRuTAjlVeZEbdll6NYY30zthES2MZaVqW9o2W2qLJWS+xQ"
    "HWVXJawUGY1VmZxgUmV9W6+7q12Qni0dGAcqJSBNK9WgZkH1sFQWEYKXOimd1qqPS5dfYs"
    "2ugMUnbN4R9cWOOKO2CcivOjoIIPOZol5ZRpNRfQZaUzHsN4nVDMmc5ERBhE3m5SSeNoNW"
    "sYPU6AzIbJdSfCcRdYEbcHNoCMHgT6JKvcenJtQhwU6f3mOEajTCQyLN1R+8mw9Mnr319b"
    "+RJchiPrDY7mmtCjvQxiXA20S3DfPW+MkbSQBiV769begDI7cNR3B28obcj2EOSVB5+983"
    "F+3LNvofqIFQ3uTP0F4xhW4tleZtFaR5WzkjO4JoQzwl85XSrEPSSjvvHmVUDp5k54xqvU"
    "hXzc7VyHAmdt4a+QxnsrZZmOEMP9ph3c1kH//qSJCsg1V2S6fjGfEs6qL/oF1z9A+jsBDq"
    "ObhmAUux/liIXlzD9F/Y55zPjDxXyzqvae4++P5IvG0JCyV3iYu6U5OVnH2yRBJxB6zgBH"
    "W4UJxKAn3MNjGRMvQAoy40FiRMhW2bDU/sgVt2p9tRu1qniSQHYdNf2EHwXrFtvyeex0F1"
    "wn1oVu+UCu4zdxsQGC93YDFOVIWMLwaqPsdYpZxCfY6xQsaoU8PrSw2vL2791qBNuPpSri"
    "OttzGbxmv2HDOGtOyu8kxhIx7ude8o12d06zO6L3Aq1BHskhHsDYRcPwveo96cADZZ2SyM"
    "X/Wb3MuFrZ3wsKz+MIlAgvQpaEz1J0p0tGYKqTSHSM17ZYL0iNlX1cEhRJvYC4NMuAY2M+"
    "czUqvooIIfx1xmgtZRXsOlcuzhqVX2xams3kaQhzW8QNWjQipLEjInuHtsxzWpWa9XlVuv"
    "cgc8nmLllGJt5EobWZtA5+nK+M2kzhpP9d10zhprcZorOEnCHeyVwjjWWCPChG3fXK8H4+"
    "c5NVkJet0mgjqDPLMOywtINY4lHuPUi2F+Zt76rWQm/s9zkIvZKMQXsuRHqxMqG8hBW4eH"
    "yxzhOTxcfIRH12XOSMOUKoFwKL6B6K6E4UOPirA521GzRG1+KypWyVI+6ij0N/IgRn+BaB"
    "eAq8Eo3ozN7rtmCJxu4PRrL2MP/wA1jS1u"
)
