"""The option walker shared by the member driver and the playground's parser."""

from __future__ import annotations

import pytest

from guildkit.core.testing.emulator import permissions
from guildkit.core.testing.emulator.command_options import (
    OptionProblem,
    check_value,
    leaves,
    missing_permissions,
    resolve_path,
    text_value,
)

XP = {
    "name": "xp",
    "options": [
        {
            "type": 2,
            "name": "admin",
            "options": [
                {"type": 1, "name": "set", "options": [{"type": 4, "name": "amount", "min_value": 0, "max_value": 100}]}
            ],
        },
        {"type": 1, "name": "show", "description": "Your XP", "options": []},
    ],
}


def test_a_path_through_a_group_and_a_subcommand_nests_the_values() -> None:
    path = resolve_path(XP, ["Admin", "set", "50"])
    assert path.text == "/xp admin set"
    assert path.rest == ["50"]
    assert path.has_option("amount")
    assert path.nest([{"name": "amount", "type": 4, "value": 50}]) == [
        {
            "name": "admin",
            "type": 2,
            "options": [{"name": "set", "type": 1, "options": [{"name": "amount", "type": 4, "value": 50}]}],
        }
    ]


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ([], "/xp needs a subcommand: admin, show"),
        (["wipe"], "/xp needs a subcommand: admin, show; 'wipe' is not one of them"),
        (["admin"], "/xp admin needs a subcommand: set"),
    ],
)
def test_a_missing_or_unknown_subcommand_lists_the_choices(words: list[str], message: str) -> None:
    with pytest.raises(OptionProblem) as caught:
        resolve_path(XP, words)
    assert str(caught.value) == message


def test_leaves_are_every_usable_path() -> None:
    assert [(leaf.names, leaf.description) for leaf in leaves(XP)] == [
        (("xp", "admin", "set"), ""),
        (("xp", "show"), "Your XP"),
    ]


def test_typed_and_given_values_are_checked_the_same_way() -> None:
    amount = resolve_path(XP, ["admin", "set"]).options[0]
    assert check_value(amount, text_value(amount, "42")) == 42
    with pytest.raises(OptionProblem, match=r"amount must not be above 100 \(got 150\)"):
        check_value(amount, text_value(amount, "150"))
    with pytest.raises(OptionProblem, match=r"amount wants a whole number, not 2\.5"):
        check_value(amount, 2.5)
    with pytest.raises(OptionProblem, match="amount wants a whole number, not True"):
        check_value(amount, True)
    name = {"type": 3, "name": "name", "max_length": 3}
    with pytest.raises(OptionProblem, match=r"name must not be longer than 3 characters \(got 4\)"):
        check_value(name, "abcd")


def test_admin_only_commands_and_missing_flags() -> None:
    manage = permissions.flag("MANAGE_GUILD")
    assert missing_permissions({"name": "a"}, 0) == []
    assert missing_permissions({"name": "a", "default_member_permissions": str(manage)}, 0) == ["MANAGE_GUILD"]
    assert missing_permissions({"name": "a", "default_member_permissions": str(manage)}, manage) == []
    assert missing_permissions({"name": "a", "default_member_permissions": "0"}, manage) == ["ADMINISTRATOR"]
    assert missing_permissions({"name": "a", "default_member_permissions": "0"}, permissions.ADMINISTRATOR) == []
