"""Making an issue, whatever its edition: stored entries in, a composed, worded issue with its 导读 out.

Find a concept by its file name:

  build.py      ``build``: the one build path, top to bottom (gather, pick and section, text, 导读, render, write)
  gather.py     the window's entries → scored stories, history marked
  select.py     how a story scores (``Scoring``: each edition's weights) and the ranking
  section.py    which section a story belongs in (config rules, the LLM when unsure) and 国际 / 中文圈
  compose.py    what every edition's compose step shares (``Pick``, links, the item's report)
  item_text.py  how an item's text is chosen: extractive (each edition's rule), the LLM's, the editor's
  intro.py      the 导读: 字数, reading time, almanac line, ``finalize_intro``
  moments.py    the 朋友圈 text
  trending.py   the GitHub 趋势 table

The editions themselves (sections, quotas, compose steps, templates) are in ``jianbao.editions``.
"""
