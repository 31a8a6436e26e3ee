"""Stories: one event is one item, across sources, languages and days, and never printed twice.

The modules follow the data, each importing only those above it:

* ``settings``   -- ``ClusterSettings``, the tuned thresholds (``config.cluster`` overrides them);
* ``lexicon``    -- reads the word lists of ``words/`` (stop words, brand aliases, kinds of event…) once;
* ``text``       -- normalising a report: entity tokens (models, brands, amounts) and shingles;
* ``keys``       -- which links identify an event (paper/code keys, canonical URLs, not hubs);
* ``compare``    -- a report's features and ``same_event``, the one notion of "same event";
* ``candidates`` -- pairs worth confirming: MinHash LSH and a headline-entity index;
* ``signature``  -- each report's signature (features + MinHash row), packed; read from the story index;
* ``parallel``   -- signatures computed on every core for a large cold batch (``concurrent.futures``);
* ``distributed``-- the same tasks, and the embedding backend, on Dask (``[scale] dask``);
* ``index``      -- keeping the story index as ingest stores entries, and dropping it (``--recluster``);
* ``cluster``    -- ``cluster_entries``: the window's entries → ``Story`` records;
* ``history``    -- ``match_history`` (published / update) and ``find_repeats`` (``jianbao check``).

Nothing is re-exported here, so importing one module (``settings`` for the configuration) does not
load the others or numpy; import names from their module. ``jianbao.cluster_entries`` is the public
entry point.
"""
