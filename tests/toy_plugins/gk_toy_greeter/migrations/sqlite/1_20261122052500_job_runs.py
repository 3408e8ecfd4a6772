from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "toy_job_run" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "job_id" BIGINT NOT NULL,
    "occurrence" INT NOT NULL,
    "owner" VARCHAR(100) NOT NULL
) /* One execution of a toy job, for tests that count runs across processes. */;
CREATE INDEX IF NOT EXISTS "idx_toy_job_run_job_id_fc58b6" ON "toy_job_run" ("job_id");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "toy_job_run";"""


MODELS_STATE = (
    "eJztV1tP2zAU/itWnpjEUJsW2vHWsQ46iTJBtEkgZDmJm2YkdrAdQYX63+fjNJfeKWJTqf"
    "rU5DuXHH/HPZ/9YgWCUkXF0Tn8hiywTtGLxUhM9cO88RBZJEkqJkAUcSPjrvgIB1VXVypB"
    "PKVtAxJJqiGfSk+EiQo50yhLowhA7mnH7OMTKGXhY0qx4gFVQ/2ZU3R3ZwVpGPk49CF3Kq"
    "mAx/t7/RIynz5TCV7wmjzgQUgjf2otWZjBsRolBvsaBj2mvhtfqMPFHo/SmJX+yUgNOSsC"
    "QqYADSijgigKX1AihYVB3RMe8rVmayhdsiorMT4dkDRSFSJcXGIWxv0rB990HYytDajzOA"
    "PadanSEBBACZ+/2Haj0bJrjZP2cbPVOm7X2trX1Dtvao2zYkq2slSGs955r+9AQVz3Nms8"
    "AGMTQxTJokwzKjup0rrX96Aatb4TOe+rWpEDZS/KnbljzSjJz/8rG3FfCdpT/2bqPZ5mbE"
    "0Tv5T1wv//cV77t4Tb9War2W6cNAueC2QVvfNURkQqTBaQ+U0TosKYLma0EjbDqT+JO8of"
    "PuCuXsGg07vs3jidy5+QPpbyMTJkdZwuWGyDjmbQg5NP0zu6SIJ+95wLBK/o9qrfNXRyqb"
    "Tcyyk/59aCmkiqOGb8CRO/ykkO59AY5HrwUJEMAFziPTwR4eM5C7f5Mt95U2zHswhhJDBN"
    "AjahzvyEc0F1jksqJTG7dv4INOWw/hg0BHccV/zf9Sy0P/Rsz7D/iIeeXe1FVXiZoouk92"
    "xIxDLtLUJmeNfL+YDaoMfdM44oC9QQVLdWW0Hqr8712UXn+kB7zShAf2KyM9t4a0b2D+5e"
    "p2zhsJ6Y1o/pP9zFYuK5bkBbV4wi3UcvBQDxASJI50A6xyEacIEUlUoiNSQKmWMc0pklIp"
    "7gUqJEcE+rAZVH1kzz3jPvXiq2ejwtlwrYiJt2oIzZy8RbZYJ7XioEZR7d4JI2HbRLt+N3"
    "u6zxJ5aN29eKbxGwg9Jbf5X01ldIb30LpHf8F0CI+kQ="
)
