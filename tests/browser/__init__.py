"""Support for the browser tests: the built site, a local server, Chromium, axe-core, the Nu checker."""
