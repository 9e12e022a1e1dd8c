"""`make bench`: what each pattern costs and buys, measured side by side.

Run from the top of the repository with ``python -m bench`` (see bench/__main__.py).
"""
