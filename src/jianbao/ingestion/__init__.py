"""Ingestion: everything between a source's address and its entries in the store, and the paper and repo
metadata looked up for their links.

``runner.ingest`` drives a run: ``sources/`` says what to fetch for each kind and parses what comes back,
``fetch`` is the polite HTTP layer, ``extract`` understands each entry (text, images, links, language),
``pool`` runs parsing and understanding in worker processes, and the store keeps the result. ``enrich/``
looks up the papers and repositories those entries link to, for a build. Nothing here renders or selects.
"""
