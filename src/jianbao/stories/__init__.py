"""Stories: one event is one item, across sources, languages and days."""
