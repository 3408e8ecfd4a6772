from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE "toy_greeting" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "guild_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL,
    "count" INT NOT NULL,
    "last_at" TIMESTAMP NOT NULL,
    CONSTRAINT "uid_toy_greetin_guild_i_261da1" UNIQUE ("guild_id", "user_id")
);
CREATE TABLE "toy_heard_message" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "guild_id" BIGINT NOT NULL,
    "content" VARCHAR(200) NOT NULL
);
CREATE INDEX "idx_toy_heard_m_guild_i_fd351a" ON "toy_heard_message" ("guild_id");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztll1v2jAUhv9KlKtO2ioWKLDesY4VLqBTG21Sq8oyiQkWjp3GjlpU8d/r45DEEKDrtC"
    "+qXpG85z3O8XNCjh/dKCVEkfT4HH4pj9xT59HlOCb6oh5877g4SawQKApPmLErsUCRbZ1I"
    "leJA6dgUM0m0FBIZpDRRVHCt8owxEEWgjfnDV1LG6V1GkBIRUTP9mFPn5saNMspCRENYO5"
    "MkhcvbW31DeUgeiAQX3CZzNKWEhWt7ydOMjtQiMdpnGg25+mq8UMcEBYJlMa/8yULNBC8T"
    "KFegRoSTFCsCT1BpBhuDulccir3me6gseZVWTkimOGPKAjFBleYiNL7w0VXfR8h9AbpAcM"
    "CuS5UGQAQlfPjkec1mx2s0292TVqdz0m10tdfUWw91lnkxFa18KcNseD4c+1CQ0L3NGw/C"
    "0uRghfMs0wzrTbJa9/M9sLOe70TBfV8rCqHqRfVmvrJmVPCL/8qL2FtJb+h/GX0gspzWOv"
    "id1Ev/32Pe+LPAvY+tTqvbbLdKzqWyD28dJcNSIbwF5hcNRNGYbCdqpW0wDVd5x8XFAb7V"
    "ewj6w1H/yu+NvsHysZR3zMDq+X2IeEZdbKhH7Xfrb3S5iPNj6A8cuHWuL8Z9g1NIpce9XP"
    "P51y7UhDMlEBf3CIc2k0IupCWM6+ncGhkgTHAwv8dpiGoR4Yld3noo9uJNBXMcmSYBTaiz"
    "OOEMiF5jRKTE5q2tH4HWDM8fg2ZgR7Hl/61nobdDz//zsT/EQ89r7YU9eLki20bv2Qynu2"
    "ZvmbLBXW/nAGeD/tw9IEZ4pGYwdRuNPVC/9y7PBr3LI+3amADjVcjLY8t/+8lePgE2AZvx"
)
