"""Built-in guildkit plugins. Each subpackage exposes a ``plugin`` declaration."""
