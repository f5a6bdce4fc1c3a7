"""The `trilat` command for editors."""

from __future__ import annotations

import click


@click.group()
@click.version_option(package_name="trilat-site")
def main() -> None:
    """Write and check trilat-site briefings."""
