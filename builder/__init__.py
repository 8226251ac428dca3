"""showcase: a static site generator for governance showcase cases."""

__version__ = "0.1.0"
