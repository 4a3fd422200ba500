"""Subcommands of the ``stm-kg`` command line, one module each.

Each module defines ``register(subparsers)`` that adds its subparser and sets ``func`` to a callable taking
the parsed arguments and returning an exit code. :mod:`stm_kg.cli` finds the modules here by itself, so a new
command is a new module and nothing else.
"""
