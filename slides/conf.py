"""Sphinx settings for the talk's slides: reveal.js, offline, 16:9, quoting the projects."""

from pathlib import Path

import sphinx

project = "Multi-database Patterns in Django"
author = "the contributors"
copyright = "the contributors, BSD 3-Clause"
# Shown on the first and the last slide: set them before giving the talk.
speaker = "Your Name"
repository = "https://github.com/your-account/multidb-patterns"
rst_prolog = f"""
.. |speaker| replace:: {speaker}
.. |repository| replace:: {repository}
"""

extensions = ["sphinx_revealjs", "sphinx.ext.graphviz"]
# index.rst pulls in each part with `include`: a new pattern is one more part.
exclude_patterns = ["_build", "parts", "tests", "README.rst"]
highlight_language = "python"

# Each pattern's diagram is drawn by Graphviz at build time from its .dot file.
graphviz_output_format = "svg"

# The reveal.js builder copies only these (it replaces html_static_path, where Graphviz
# puts its stylesheet), so the stylesheet is named here too.
revealjs_static_path = [
    "_static",
    str(Path(sphinx.package_dir, "templates", "graphviz", "graphviz.css")),
]
revealjs_css_files = ["revealjs/plugin/highlight/monokai.css", "deck.css"]
# White uses the fonts bundled with reveal.js; other themes fetch theirs from the web.
revealjs_style_theme = "white"
revealjs_use_section_ids = True
revealjs_script_conf = {
    "width": 1280,
    "height": 720,
    "center": False,
    "hash": True,
    "slideNumber": "c/t",
    "transition": "none",
    "pdfMaxPagesPerSlide": 1,
    "margin": 0,  # deck.css pads each slide: the code keeps its full size
}
revealjs_script_plugins = [
    {"name": "RevealHighlight", "src": "revealjs/plugin/highlight/highlight.js"},
    {"name": "RevealNotes", "src": "revealjs/plugin/notes/notes.js"},
]
