"""The site: its URL scheme, page plan, rendering, head metadata, citations, feeds, exports and pictures.

Built on the core, with Jinja templates; it knows no site generator.
"""
