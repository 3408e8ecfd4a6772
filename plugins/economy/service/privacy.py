"""Retention's archive of old ledger entries, and /privacy export and delete."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from guildkit.core import clock
from guildkit.core.upsert import upsert

from ..models import Account, ClaimMarker, InventoryItem, LedgerDaily, LedgerEntry, ShopItem
from ..state import EconomyState

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime


async def archive_entries(rows: Sequence[LedgerEntry]) -> None:
    """Retention's aggregate step, inside its transaction: sum expired entries per account, UTC
    day and kind into LedgerDaily. Balances do not change: the archive still adds up to them."""
    groups: dict[tuple[int, int, date, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        group = groups[(row.guild_id, row.account_id, row.at.date(), row.kind)]
        group[0] += row.wallet_delta
        group[1] += row.bank_delta
        group[2] += 1
    for (guild_id, account_id, day, kind), (wallet, bank, count) in groups.items():
        await upsert(
            LedgerDaily,
            conflict=("account_id", "day", "kind"),
            values={"guild_id": guild_id, "account_id": account_id, "day": day, "kind": kind},
            update=[],
            increment={"wallet_delta": wallet, "bank_delta": bank, "entries": count},
        )


async def export_user(user_id: int) -> dict[str, Any] | None:
    """Everything the economy stores about the member, for /privacy export."""
    accounts = await Account.filter(user_id=user_id)
    kept = await ClaimMarker.filter(user_id=user_id).exists()
    if (
        not accounts
        and not kept
        and not await LedgerEntry.filter(Q(actor_id=user_id) | Q(counterparty_id=user_id)).exists()
    ):
        return None
    ids = [a.id for a in accounts]
    entries = (
        await LedgerEntry.filter(Q(account_id__in=ids) | Q(actor_id=user_id) | Q(counterparty_id=user_id))
        .order_by("id")
        .values(
            "guild_id",
            "account_id",
            "wallet_delta",
            "bank_delta",
            "kind",
            "reason",
            "actor_id",
            "counterparty_id",
            "at",
        )
    )
    holdings = await InventoryItem.filter(account_id__in=ids).values("guild_id", "item_id", "quantity", "bought")
    markers = await ClaimMarker.filter(user_id=user_id).values("guild_id", "last_daily", "last_work_at", "deleted_at")
    return {
        "kept_after_deletion": list(markers),
        "accounts": [
            {
                "guild_id": a.guild_id,
                "wallet": a.wallet,
                "bank": a.bank,
                "created_at": a.created_at,
                "daily_streak": a.daily_streak,
                "last_daily": a.last_daily,
            }
            for a in accounts
        ],
        "ledger": list(entries),
        "archived_days": await LedgerDaily.filter(account_id__in=ids).count(),
        "inventory": list(holdings),
    }


KEPT_SENTENCE = (
    "your past transactions stay in the ledger without your id, and your balance stays with an "
    "account that belongs to nobody, because every balance must add up to the ledger; a note that "
    "you already received the starting balance (and when you last claimed /daily and worked) is kept "
    "per server for 90 days, so that deleting cannot pay them again"
)


async def delete_user(runtime: Runtime, user_id: int) -> str | None:
    """Anonymise rather than delete: money must still add up. Inventories are deleted. A
    :class:`ClaimMarker` per server remembers what was already paid (declared in the plugin's
    ``user_data_kept``), so that a new account does not get the starting balance or today's
    daily again."""
    text = str(user_id)
    runtime.state(EconomyState).forget_accounts()
    now = clock.now()
    async with in_transaction(runtime.database.connection_name) as conn:
        owned = (
            await Account.filter(user_id=user_id).using_db(conn).values("id", "guild_id", "last_daily", "last_work_at")
        )
        accounts = [row["id"] for row in owned]
        touched = bool(accounts)
        for row in owned:
            await upsert(
                ClaimMarker,
                conflict=("guild_id", "user_id"),
                values={
                    "guild_id": row["guild_id"],
                    "user_id": user_id,
                    "last_daily": row["last_daily"],
                    "last_work_at": row["last_work_at"],
                    "deleted_at": now,
                },
                connection=conn,
            )
        await ShopItem.filter(role_set_by=user_id).using_db(conn).update(role_set_by=None)
        if accounts:
            await InventoryItem.filter(account_id__in=list(accounts)).using_db(conn).delete()
            await Account.filter(id__in=list(accounts)).using_db(conn).update(user_id=None)
        # Notes the member wrote may say anything about them: drop them with the id.
        touched |= bool(await LedgerEntry.filter(actor_id=user_id).using_db(conn).update(actor_id=None, reason=None))
        touched |= bool(await LedgerEntry.filter(counterparty_id=user_id).using_db(conn).update(counterparty_id=None))
        keyed = await LedgerEntry.filter(idempotency_key__contains=text).using_db(conn).values("id", "idempotency_key")
        for row in keyed:
            digest = hashlib.sha256(row["idempotency_key"].encode()).hexdigest()[:40]
            await LedgerEntry.filter(id=row["id"]).using_db(conn).update(idempotency_key=f"anon:{digest}")
        stray = await LedgerEntry.filter(reason__contains=text).using_db(conn).update(reason=None)
        touched |= bool(keyed) or bool(stray)
    # A purchased role not granted yet is dropped with the rest: the job would keep their id, and
    # the purchase stays in the ledger like every other anonymised one.
    await runtime.scheduler.edit_payloads(
        "economy", "grant_role", lambda payload: None if int(payload.get("user_id", 0)) == user_id else payload
    )
    return KEPT_SENTENCE if touched else None
