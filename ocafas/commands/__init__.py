"""Click commands beyond the core ones in ``ocafas.cli``, one module per area.

Each module imports only click (and this package) at the top; everything heavier is imported
inside the command, so that ``ocafas --help`` stays fast. ``ocafas.cli`` registers them.
"""
