# Drop every statement of the listed subjects from one graph: the first half of a patch (the new
# statements follow as INSERT DATA in the same request). Filled in by kg.store.patch_update.
DELETE { GRAPH $graph { ?s ?p ?o } } WHERE { VALUES ?s { $subjects } GRAPH $graph { ?s ?p ?o } }
