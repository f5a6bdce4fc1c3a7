"""The core: records, settings, problems, the front-matter schema, the loader, Git history and the index.

Plain Python with no site generator and no templates: any host can drive it.
"""
