"""The command modules of `selfcheck`: each registers its subcommand and runs it."""
