"""trilat-site: research briefings in Git, published as a cross-linked MkDocs site."""

__version__ = "0.1.0"
