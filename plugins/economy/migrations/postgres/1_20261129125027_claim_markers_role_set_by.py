from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "economy_claim_marker" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL,
    "last_daily" DATE,
    "last_work_at" TIMESTAMPTZ,
    "deleted_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "uid_economy_cla_guild_i_100e97" UNIQUE ("guild_id", "user_id")
);
CREATE INDEX IF NOT EXISTS "idx_economy_cla_deleted_a40ead" ON "economy_claim_marker" ("deleted_at");
COMMENT ON TABLE "economy_claim_marker" IS 'Kept per server after a member deleted their data (privacy delete): they already received the starting';
        ALTER TABLE "economy_shop_item" ADD "role_set_by" BIGINT;
        COMMENT ON COLUMN economy_shop_item."role_set_by" IS 'The manager who attached the role: a role with dangerous permissions is granted only while';"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "economy_shop_item" DROP COLUMN "role_set_by";
        DROP TABLE IF EXISTS "economy_claim_marker";"""


MODELS_STATE = (
    "eJztHV1v2zjyrxB+2QRws0n6ue1T0uauwbXpoU2vwG4XMi3RNhGJVEmqrrDof78ZUrJkS3"
    "YsJ3ZVVw+7ScgZkpoZzheH7D895ksho/TozPdlIkzvOfmnJ2jE4JdKX5/0aByXerDF0GFY"
    "hvZoCXqojaI+jjqioWbQFDDtKx4bLgUinZGIRUOmftMkkoKlhAsCP8k44WFwRAaDRDPl8W"
    "AwIFyTq49v3kC3z4iZsAyTBCxkhgXYxOEvauhz/B3nD6QPC+BivN2pPoshDSnCakNTTQ64"
    "wSGmE2osdsiCMWDTINAkiYmRh2SYGDJkoRRjDX8TIYcySI9wzYngXxLmGTlmgKtg5X/91b"
    "NrhLVZALfM3t9/wx9cBOwb01WoKQ1hrT2AmW8fUnHjUOMbb8RZGMyx3AHZds+ksW075+NL"
    "Yf5lYZGoQ8+XYRKJAj5OzUSKGQJ33B8zwRQFekGbUQlyXyRhmMlLLhDuewsQ90UlnICNaB"
    "KiDCG2W0DR1vO8q3fX3oeLa8/rVeQrxyjJQdYEwoqyCUvVlgBjXMKDP05PHz58enr88Mmz"
    "x4+ePn387PgZwNr1VruefneLKajlhrI0u/z35dU1LkjCBnAbBBu+WxwQHIdlGVdQv8yo9X"
    "lQxrqdEzndV7Eibyh4UWzfPWNGQfx8XzWifQlpI9JnMv5rUz7TVY0IX+DsTuSP94rq1hI0"
    "onmO0VF8M4r7iiF9PFoj66+gx/CI1VN+HnOB/kGGepT/8hOq/BW0vb58e/Hh+uztf3H4SO"
    "svoaXX2fUF9pza1nSh9eDJ4TwzZoOQT5fXrwn+Sf58d3VhySm1GSs7YwF3/WcP10QTIz0h"
    "px44byWa5M150xybQ6qNF1AepvVsrmfxPNYqFrfGrPSuZ64xONWh9GlI4D8mAorecUrkKH"
    "OV8eOI/Tjih5RHfUJFQCZySiIqUoTV6I5TouT0qOK5b2+a9aUQJWthO9uJPMBntEaRLtWi"
    "i2h7o01PTx49ffTs4ZNHMyU6a1mlO6t60m6FqVQ3G2jKRdx70JUt89H2TlWO4Y9NOV3C7T"
    "jdNk5jlmF0U4p0sWFI/ZspVYFX6ZGnchlstSs6jRZbqKBjyySkJq4zz1+9RFvwlqobm06p"
    "5rfK/f21clzWunhRgXJrous/LDYkZopAwPgVk0Ejg/9fnlkiB7HiX6mfZn2HNtWUEhqC4Q"
    "hSopjP+FeHgnknZVCUFk3nbqadJcCcwZ1OmHBY1iBbYgHG784yWwhQ0Cw4ImdEsCnJMoZE"
    "xrA9A7dGZLt2E+jPYqRkRLghB0LClwATgtncZDZ10ecmMph/A5t/2Cdaus9BeJ8KIQ2JYJ"
    "e5RODRZ/GeRRI/Kls54JXXpPtEKjLEjzdMIEfJH8fOm3D0RFq48aW4WxKvS8x1ibn2Rmm/"
    "UGKuI/3Mx/oVQtn78MlqQsQuktln/3YuGeA8qQ34PI+5m9zeLi34z87ltkQxl+IrOJ9SpZ"
    "eGRbVxzDzEepEMz3HWCmOWM73W482c6MwOc1hV5/O2zNZ3Pm+LmFEQf37nrE/+ebyOARsz"
    "IFdWzRRQgdSRfmPSf0moMNzUhBxLCV9G6c5TKif9MhlPavzS5Qf9M4TWErN3bteIx3lGGh"
    "qSg5F0ibiYqQdZejPkETeHL0iiMfFHBcENSgLJNMEUYCinAMRN9cTxvgffAoPb4pa+scWN"
    "r2y0X+eUlvvXc0lduWSRQLg9ue7mIODIKg7kl2Fgk7LUZqFLWVvgHpdBn+gkwoQ05sUzg9"
    "knH69f2sNkTE/fgKBWhWJrs6zhOwMO/kCUzn9uk9nq/OcWMeNn8Z/3dTOUa2MaZYwz8Dum"
    "itsm+s1yxVa3V2j2ckJVPc1y+AWiwQJ+QlKBg/ENDL8Ymwm6QccrSPe/s/cvX5+9Pzg9Xk"
    "gEXmU9p7arrsQY1h0a2kwjLGJ2SvlOFcebsGAer2PAxgzIXNcGkWAJY5/ovkeR1wVwaFXk"
    "5fr7DSKv9WKud4IRH4KfMcP6W7xIl/lOv+m8JEcfkSuGVUdJjBY8eEGo8ie2egj4IclgUA"
    "oOB4NqxLWlOW6tzuEBi2IJ8Zyfejcs7SKuNqmzLuJqETO6iKst9O883BYwofNwfzAD9jGI"
    "7tlS576rau7b2uk+iSn8GrBYag5dU24mgaLTPhkm0K7YKBFBn+DtiD6hQcRFn4TgJoVJjL"
    "3ofPbRs1Lj6jsJW59tx6G/YlQDHRsIRYGxkVi0rMpukb7rEXgVhSskhkBBNi/RLWO1+PJ8"
    "79NEEp8mGkMK87z0HgjedsjlXSr3ZEh+UDiUBqA1C0fVsOY+BmyFtrWeG1MxKIy0MftrkN"
    "ssBXgJVWK4mN+dgYiUwuRU6BFT9ZdWb4FvBQ8VC+3V8qbsm8drO+cwj4U3gri2aYTS0zsH"
    "7vLOkJt5DvXdeX+iwHBp5vqcpTusZ/b9T9EK+VjMhTSwozWoLTaovTM8w1cctLKMcTl4lo"
    "+ujrvqBuQgN/hqlAYuCflAxgieKIHVHwgx4kobaNMwWVVC7nvwlUb+ZC0v6mSFG3VS9aOa"
    "V7Z3Fe1dRfuqBPZ7GbJzKRJHvsX0ddHbXyt5rQDeG84Qbk1gX3wDAIxsCG5FCHNsUY67Oo"
    "pOlzPb2u1SfDIihEG4Le/xQddXt/h9DHhratp+ZVdE3678Q5eSbhEzSq5ttlea+bUFUkf6"
    "jUmf6bQGJ80ljH2i+16cNH+YyHjprbNZ53pmWgO4x3P4e75wVlac3cFty7RDZyVbxIyC+P"
    "ZnhfDLo/ocvs1HJhsmxx+vEzY/Xh41P64EzQ0zJnfJkuzqNGowwI8bDNwNF59qFsA40KQJ"
    "VYy46e2tB7tB7TPYtkLHPTKECNXY6b4G3TF7y6RpwOYFtN2xu9fbyT7ayiFTrLhfo6hWWY"
    "gZSmceNjYP2ki/yfOWM/g2Hwmgv6pJyEbmhTtlixgVGtSMvdTHai5/rYWx5XucWoY1LtJy"
    "TmTgrb3D+cMuxP6QxMCORBvTpmSsqHDv+im8yUpece1LFWBiMj9uqop4I8xW6CbLEs2MN6"
    "zxsm7lZYHYZn7ax49tZK7A65GEGkP9SfYAI37H8yyX7PLKAVZLA+s0OksR1xqG0XiulDNW"
    "ijCFgXhYrfzZ3lSfhX0OUhsehmQCegmGlJrNIR6AnLHfcXh9FKeHR/P/BEta81ZlewQRvs"
    "Nz6X3P2oNmea8Kapvl8XX+mjYecmelDRFNsRRsdl9+zkQK6a7KVxXO3Ybaso3A4ZPI0raq"
    "WiRIKRXL6lrKiAusHALmtqzvrGW3R57n7969mTvtPL9c2C9XH9+eX7w/OLHePgCBv1RP80"
    "Qz2Ata03GjjMQCWnvDqd4nfFrWPRjBDQGRnuKBIB4OUlLIjX1Joq5srBnyD6kD5F+b7pcC"
    "aYd7Jc+x/rRbpfu3RDZhQFeecdupz/f/A49RkEw="
)
