"""Reactions on watched messages, followed as they happen (reconciled at every round too)."""

from __future__ import annotations

import interactions
from interactions.api.events import MessageReactionAdd, MessageReactionRemove, MessageReactionRemoveAll

from .service import watches


class RemindersListeners(interactions.Extension):
    @interactions.listen(MessageReactionAdd)
    async def on_reaction_add(self, event: MessageReactionAdd) -> None:
        if event.author.bot:
            return
        key = watches.emoji_key(event.emoji.name or "", event.emoji.id)
        await watches.record_reaction(int(event.message.id), int(event.author.id), key)

    @interactions.listen(MessageReactionRemove)
    async def on_reaction_remove(self, event: MessageReactionRemove) -> None:
        key = watches.emoji_key(event.emoji.name or "", event.emoji.id)
        await watches.remove_reaction(int(event.message.id), int(event.author.id), key)

    @interactions.listen(MessageReactionRemoveAll)
    async def on_reactions_cleared(self, event: MessageReactionRemoveAll) -> None:
        await watches.remove_reaction(int(event.message.id), 0, None)
