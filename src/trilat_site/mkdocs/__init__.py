"""The MkDocs engine adapter: the plugin and everything that knows MkDocs or mkdocs-material.

The only part of the package that imports MkDocs; ProperDocs, the maintained fork of
MkDocs 1.x, loads the same plugin through the same imports.
"""
